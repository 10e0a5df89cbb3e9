"""Recommendation catalogue: the guide's 27 measures, the 2024 national catalogue of
energy-saving and carbon-reduction technologies, its high-efficiency equipment list, and the
GB/T 4754-2017 manufacturing divisions. Pure data plus loaders; no Flask, no database.
"""

from indicators.catalogue.industries import (
    division,
    find_division,
    group_of,
    list_divisions,
    list_groups,
    sectors_for,
)
from indicators.catalogue.loader import (
    load_catalogue,
    load_equipment,
    load_industries,
    load_measures,
    load_technologies,
)
from indicators.catalogue.model import (
    Catalogue,
    Division,
    EquipmentCategory,
    Group,
    Measure,
    Section,
    Sector,
    Technology,
)

__all__ = [
    "Catalogue",
    "Division",
    "EquipmentCategory",
    "Group",
    "Measure",
    "Section",
    "Sector",
    "Technology",
    "division",
    "find_division",
    "group_of",
    "list_divisions",
    "list_groups",
    "load_catalogue",
    "load_equipment",
    "load_industries",
    "load_measures",
    "load_technologies",
    "sectors_for",
]
