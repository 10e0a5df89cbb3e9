"""Units as readers see them.

The framework and the contract's output keep their unit codes ("times", "persons/year",
"1-5"); pages and reports show them in the reader's language. A level (unit "1-5") is shown
as its number alone: the level's name says what it means.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_pgettext

# The framework writes units as the guide does, partly in Chinese; each maps to an English
# label whose Chinese translation is the guide's own unit again. The labels carry the
# translation context "unit", so that "orders" the unit is never confused with "orders"
# elsewhere in the interface.
UNIT_LABELS: dict[str, Any] = {
    "times": lazy_pgettext("unit", "times"),
    "sessions per person": lazy_pgettext("unit", "sessions per person"),
    "persons/year": lazy_pgettext("unit", "persons/year"),
    "万元": lazy_pgettext("unit", "10k CNY"),
    "tce/万元": lazy_pgettext("unit", "tce/10k CNY"),
    "tCO2e/万元": lazy_pgettext("unit", "tCO2e/10k CNY"),
    "人": lazy_pgettext("unit", "persons"),
    "人次": lazy_pgettext("unit", "person-times"),
    "件": lazy_pgettext("unit", "pieces"),
    "单": lazy_pgettext("unit", "orders"),
    "家": lazy_pgettext("unit", "enterprises"),
    "次": lazy_pgettext("unit", "occasions"),
    "起": lazy_pgettext("unit", "incidents"),
}


def unit_label(unit: str | None) -> str:
    if not unit or unit == "1-5":
        return ""
    return str(UNIT_LABELS.get(unit, unit))
