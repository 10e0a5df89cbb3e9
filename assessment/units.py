"""Units as readers see them.

The framework and the contract's output keep their unit codes ("times", "persons/year",
"1-5"); pages and reports show them in the reader's language. A level (unit "1-5") is shown
as its number alone: the level's name says what it means.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

UNIT_LABELS: dict[str, Any] = {
    "times": _l("times"),
    "sessions per person": _l("sessions per person"),
    "persons/year": _l("persons/year"),
}


def unit_label(unit: str | None) -> str:
    if not unit or unit == "1-5":
        return ""
    return str(UNIT_LABELS.get(unit, unit))
