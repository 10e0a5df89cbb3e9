"""Industry calibration of intensity bands (``data/calibration/intensity.yaml``).

``bands_for(series, industry)`` gives the bands an intensity indicator is scored on for an
enterprise of a GB/T 4754 division, and what they stand for (``ScoredAgainst``): the
division's own bands from a cited statistic, else the cited bands of its benchmark group,
else all manufacturing. The engine puts the industry cohort between the first and the
others (see the data file's header).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from indicators.catalogue.industries import find_division
from indicators.problems import InvalidFramework

INTENSITY_FILE = Path(__file__).resolve().parent.parent / "data" / "calibration" / "intensity.yaml"
SERIES = ("energy", "carbon")

Bands = tuple[tuple[float, float], ...]


@dataclass(frozen=True, slots=True)
class ScoredAgainst:
    """What an industry-calibrated figure was compared with, for the result's details."""

    scope: str  # division | industry_cohort | group | manufacturing
    code: str | None
    name_zh: str
    name_en: str
    source: str | None = None
    cohort_size: int = 0

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"scope": self.scope, "code": self.code,
                               "name": {"zh": self.name_zh, "en": self.name_en}}
        if self.source is not None:
            out["source"] = self.source
        if self.cohort_size:
            out["cohort_size"] = self.cohort_size
        return out

    def note(self) -> tuple[str, str]:
        if self.scope == "division":
            return (f"按本行业（{self.code} {self.name_zh}）公布的统计刻度评分",
                    f"scored on the bands of its own industry ({self.code} {self.name_en})")
        if self.scope == "industry_cohort":
            where_zh = f"{self.code} {self.name_zh}" if self.code else self.name_zh
            where_en = f"{self.code} {self.name_en}" if self.code else self.name_en
            return (f"按本行业（{where_zh}）{self.cohort_size} 家企业的队列评分",
                    f"scored within its industry cohort ({where_en}, "
                    f"{self.cohort_size} enterprises)")
        return (f"本行业无可引用的统计，也无足够的行业队列，按更宽的组别评分：{self.name_zh}",
                f"no cited statistic and no large enough cohort for its industry; scored "
                f"against a wider group: {self.name_en}")


@dataclass(frozen=True)
class Calibration:
    rule: Bands
    divisions: dict[str, dict[str, Any]]
    groups: dict[str, dict[str, Any]]
    manufacturing: dict[str, Any]

    def _from_average(self, average: float) -> Bands:
        return tuple((round(average * m, 6), s) for m, s in self.rule)

    def bands_for(self, series: str, industry: str | None) -> tuple[Bands, ScoredAgainst]:
        division = find_division(industry) if industry else None
        if division is not None:
            cited = self.divisions.get(division.code, {})
            if series in cited:
                return self._from_average(float(cited[series]["average"])), ScoredAgainst(
                    "division", division.code, division.name_zh, division.name_en,
                    _source_text(cited.get("source")),
                )
            group = self.groups.get(division.group.code, {})
            if series in group:
                return self._from_average(float(group[series]["average"])), ScoredAgainst(
                    "group", division.group.code, division.group.name_zh,
                    division.group.name_en, _source_text(group.get("source")),
                )
        widest = self.manufacturing
        bands = tuple((float(v), float(s)) for v, s in widest[series])
        return bands, ScoredAgainst("manufacturing", None, widest["name_zh"], widest["name_en"])

    def division_is_cited(self, series: str, industry: str | None) -> bool:
        division = find_division(industry) if industry else None
        return division is not None and series in self.divisions.get(division.code, {})


def _source_text(source: Any) -> str | None:
    if not isinstance(source, dict):
        return None
    return "; ".join(str(source[k]) for k in ("publisher", "title", "table", "url")
                     if source.get(k))


def _check(data: Any, path: Path) -> Calibration:
    problems: list[str] = []
    if not isinstance(data, dict):
        raise InvalidFramework(str(path), ["(root): must be a mapping"])
    rule = data.get("rule")
    if not (isinstance(rule, list) and len(rule) >= 2 and all(
        isinstance(r, list) and len(r) == 2 for r in rule
    )):
        problems.append("rule: required list of [multiple, score] pairs")
        rule = [[1, 50], [2, 0]]
    multiples = [float(r[0]) for r in rule]
    scores = [float(r[1]) for r in rule]
    if multiples != sorted(set(multiples)) or scores != sorted(scores, reverse=True):
        problems.append("rule: multiples must rise and scores must not rise")
    if 1.0 not in multiples or not 20 <= scores[multiples.index(1.0)] < 80:
        problems.append("rule: the cited average (multiple 1) must score within levels 2-4")
    for section in ("divisions", "groups"):
        entries = data.get(section) or {}
        if not isinstance(entries, dict):
            problems.append(f"{section}: must be a mapping")
            continue
        for code, entry in entries.items():
            where = f"{section}.{code}"
            if section == "divisions" and find_division(str(code)) is None:
                problems.append(f"{where}: not a manufacturing division C13-C43")
            if not isinstance(entry, dict):
                problems.append(f"{where}: must be a mapping")
                continue
            source = entry.get("source")
            if not isinstance(source, dict) or not all(
                source.get(k) for k in ("publisher", "title", "retrieved")
            ):
                problems.append(f"{where}.source: publisher, title and retrieved are required")
            for series in SERIES:
                if series in entry:
                    figure = entry[series]
                    if not isinstance(figure, dict) or not isinstance(
                        figure.get("average"), int | float
                    ) or figure["average"] <= 0 or not isinstance(figure.get("year"), int):
                        problems.append(f"{where}.{series}: needs average > 0 and year")
    widest = data.get("manufacturing")
    if not isinstance(widest, dict) or not all(s in widest for s in SERIES):
        problems.append("manufacturing: bands for energy and carbon are required")
    if problems:
        raise InvalidFramework(str(path), problems)
    return Calibration(
        rule=tuple((float(m), float(s)) for m, s in rule),
        divisions=dict(data.get("divisions") or {}),
        groups=dict(data.get("groups") or {}),
        manufacturing=widest,  # type: ignore[arg-type]
    )


def load_calibration(path: Path | None = None) -> Calibration:
    """The calibration file (the packaged one, read once, unless ``path`` is given)."""
    if path is None:
        return _packaged()
    return _read(path)


def _read(path: Path) -> Calibration:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidFramework(str(path), [f"(file): cannot be read: {exc}"]) from None
    return _check(data, path)


@functools.cache
def _packaged() -> Calibration:
    return _read(INTENSITY_FILE)
