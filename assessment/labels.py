"""UI labels the framework data does not carry: list and map choices, energy options.

The framework names inputs in both languages but its allowed values are codes; these are
their labels, translatable like every other UI string (a code without a label shows as is).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

CHOICE_LABELS: dict[str, Any] = {
    # online_business_areas
    "rd_design": _l("R&D and design"),
    "demand_planning": _l("Demand planning"),
    "procurement": _l("Procurement"),
    "production": _l("Production"),
    "quality": _l("Quality"),
    "sales": _l("Sales"),
    "warehousing": _l("Warehousing"),
    "transport": _l("Transport"),
    "after_sales": _l("After-sales service"),
    "settlement": _l("Settlement"),
    # resource_sharing
    "production_capacity": _l("Production capacity"),
    "transport_infrastructure": _l("Transport infrastructure"),
    "testing": _l("Testing"),
    "information_systems": _l("Information systems"),
    "chain_data": _l("Supply-chain data"),
}

ELECTRICITY_SOURCE_LABELS: dict[str, Any] = {
    "grid": _l("Grid"),
    "renewable_onsite": _l("Renewable, generated on site"),
    "green_certificate": _l("Green certificates / green power trading"),
}

ELECTRICITY_BASIS_LABELS: dict[str, Any] = {
    "calorific": _l("Calorific value (当量值), as comprehensive energy consumption uses"),
    "equivalent": _l("Equivalent value (等价值)"),
}

STATE_LABELS: dict[str, Any] = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted for review"),
    "returned": _l("Returned for changes"),
    "finalised": _l("Finalised"),
}


def state_label(state: str) -> str:
    """An assessment's state in the reader's language (a template global)."""
    label = STATE_LABELS.get(state)
    return str(label) if label is not None else state


def choice_label(code: str) -> str:
    label = CHOICE_LABELS.get(code)
    return str(label) if label is not None else code
