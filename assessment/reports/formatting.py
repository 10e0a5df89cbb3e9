"""Numbers and labels as a report prints them (pure: no Flask, no database).

Every figure arrives computed (by the engine or the benchmark services); these helpers only
format it, the same way in both languages, with a dash for "no figure".
"""

from __future__ import annotations

import math
from typing import Any

from assessment.units import unit_label

DASH = "—"


def number(value: Any, decimals: int = 1) -> str:
    """``value`` with ``decimals`` places and thin grouping of thousands; a dash for None."""
    if value is None or isinstance(value, bool):
        return DASH
    try:
        figure = float(value)
    except (TypeError, ValueError):
        return DASH
    if math.isnan(figure) or math.isinf(figure):
        return DASH
    text = f"{figure:,.{decimals}f}"
    return "0" + text[2:] if text.startswith("-0") and float(text.replace(",", "")) == 0 else text


def short_number(value: Any, decimals: int = 1) -> str:
    """At most ``decimals`` places, trailing zeros dropped: 3, 2.5."""
    text = number(value, decimals)
    return text.rstrip("0").rstrip(".") if "." in text else text


def score(value: Any) -> str:
    return number(value, 1)


def percent(value: Any, decimals: int = 1) -> str:
    text = number(value, decimals)
    return text if text == DASH else f"{text}%"


def signed(value: Any, decimals: int = 1) -> str:
    text = number(value, decimals)
    if text == DASH:
        return text
    return text if text.startswith("-") else f"+{text}"


def value_with_unit(value: Any, unit: str, decimals: int) -> str:
    """An indicator's value as the contract gives it (a level is shown as a whole number)."""
    if value is None:
        return DASH
    if isinstance(value, list | dict):
        return DASH
    if unit == "1-5":
        return number(value, 0)
    text = number(value, decimals)
    if unit == "%":
        return f"{text}%"
    label = unit_label(unit)
    return f"{text} {label}" if label else text


def pick(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def framework_label(framework: Any, lang: str) -> str:
    """The framework as a reader names it: its title and version, not its internal id."""
    return pick(lang, f"{framework.name_zh}（{framework.version} 版）",
                f"{framework.name_en} (version {framework.version})")


def clamp_percent(value: float | None) -> float | None:
    """A 0-100 position for bars and gauges (None stays None)."""
    if value is None:
        return None
    return max(0.0, min(100.0, float(value)))
