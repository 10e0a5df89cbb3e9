"""Energy and carbon calculator: standard-coal energy, scope 1/2 emissions, year-on-year.

Pure Python; coefficients come from the versioned files in ``indicators/data/factors/``.
See docs/energy-and-carbon.md for the method, the inputs and the sources.
"""

from indicators.energy.calculator import EnergyResult, calculate_energy
from indicators.energy.loader import load_factor_tables
from indicators.energy.tables import FactorTables, TableSource
from indicators.energy.validation import (
    ELECTRICITY_SOURCES,
    OPTION_KEYS,
    PREVIOUS_YEAR_KEYS,
    validate_energy,
)
from indicators.energy.yoy import IntensityChange, YearOnYear, compare_with_previous, year_figures

__all__ = [
    "ELECTRICITY_SOURCES",
    "OPTION_KEYS",
    "PREVIOUS_YEAR_KEYS",
    "EnergyResult",
    "FactorTables",
    "IntensityChange",
    "TableSource",
    "YearOnYear",
    "calculate_energy",
    "compare_with_previous",
    "load_factor_tables",
    "validate_energy",
    "year_figures",
]
