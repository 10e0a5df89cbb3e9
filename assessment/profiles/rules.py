"""Pure rules of the enterprise profile: credit code, size class, reference lists."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# GB 32100-2015 统一社会信用代码: 18 characters from this alphabet (no I, O, Z, S, V).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(first17: str) -> str:
    """The 18th character of a unified social credit code, per GB 32100-2015 (mod 31)."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why ``code`` is not a valid unified social credit code, or None if it is."""
    code = code.strip().upper()
    if len(code) != 18:
        return "length"
    if any(ch not in USCC_ALPHABET for ch in code):
        return "characters"
    if uscc_check_character(code[:17]) != code[17]:
        return "check"
    return None


@dataclass(frozen=True)
class SizeClass:
    code: str
    name_zh: str
    name_en: str
    min_employees: int
    min_revenue_wan: Decimal


@cache
def size_classes() -> tuple[SizeClass, ...]:
    data: dict[str, Any] = yaml.safe_load((DATA_DIR / "size_classes.yaml").read_text("utf-8"))
    return tuple(
        SizeClass(c["code"], c["name_zh"], c["name_en"], int(c["min_employees"]),
                  Decimal(str(c["min_revenue_wan"])))
        for c in data["classes"]
    )


def size_class(employees: int, revenue_wan: Decimal) -> SizeClass:
    """大/中/小/微 by the 2017 NBS rule for industry: both thresholds of a class must be met."""
    for cls in size_classes():
        if employees >= cls.min_employees and revenue_wan >= cls.min_revenue_wan:
            return cls
    return size_classes()[-1]


def size_class_by_code(code: str) -> SizeClass | None:
    return next((c for c in size_classes() if c.code == code), None)


@dataclass(frozen=True)
class Province:
    code: str
    name_zh: str
    name_en: str

    def name(self, locale: str) -> str:
        return self.name_en if locale.startswith("en") else self.name_zh


@cache
def provinces() -> tuple[Province, ...]:
    data: dict[str, Any] = yaml.safe_load((DATA_DIR / "provinces.yaml").read_text("utf-8"))
    return tuple(Province(p["code"], p["name_zh"], p["name_en"]) for p in data["provinces"])


def province(code: str) -> Province | None:
    return next((p for p in provinces() if p.code == code), None)


@cache
def regions() -> tuple[Province, ...]:
    """The six major regions (华北, 东北, 华东, 中南, 西南, 西北); a region's code is the first
    digit of its provinces' codes."""
    data: dict[str, Any] = yaml.safe_load((DATA_DIR / "provinces.yaml").read_text("utf-8"))
    return tuple(Province(r["code"], r["name_zh"], r["name_en"]) for r in data["regions"])


def region_of(province_code: str) -> Province | None:
    """The region of a province code ("32" → 华东), None for an unknown code."""
    if province(province_code) is None:
        return None
    return next((r for r in regions() if r.code == province_code[:1]), None)
