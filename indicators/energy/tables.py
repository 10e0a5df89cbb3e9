"""The factor tables of the energy and carbon calculator, as loaded by ``loader.py``.

Everything the calculator multiplies by is precomputed at load (per carrier and unit), together
with the ``factors_used`` record it reports, so that a calculation is a handful of dictionary
look-ups and Decimal products.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# Unit definitions (SI prefixes), not coefficients: the tables state kgce and kg CO2 while
# results are in tonnes, and carbon contents are per TJ while calorific values are in GJ.
KG_PER_TONNE = Decimal(1000)
GJ_PER_TJ = Decimal(1000)


def to_decimal(value: Any) -> Decimal:
    """Exact decimal of a YAML/JSON number: floats go through their shortest repr."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(float(value)))


def is_number(value: Any) -> bool:
    # bool is an int subclass in Python; a YAML/JSON ``true`` is never a quantity.
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


# --------------------------------------------------------------------------- data model


@dataclass(frozen=True)
class Unit:
    code: str
    dimension: str
    to_base: Decimal
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Carrier:
    code: str
    name_zh: str
    name_en: str
    dimension: str
    base_unit: str
    kgce_per_base_unit: Decimal
    fossil_fuel: bool
    scope: int
    confirmed: bool
    range: tuple[Decimal, Decimal] | None
    units: frozenset[str]
    # Units with no fixed conversion (steam in tonnes): the entry must give kgce_per_unit.
    units_requiring_kgce_per_unit: frozenset[str]
    # Precomputed per unit of the entry: tonnes of standard coal (default coefficient) and,
    # for fuels and heat, tonnes of CO2. Electricity's CO2 depends on the year, see GridTable.
    tce_per_unit: Mapping[str, Decimal]
    tco2_per_unit: Mapping[str, Decimal]
    coefficient_record: Mapping[str, Any]
    emission_record: Mapping[str, Any] | None
    # Tonnes of CO2 per kgce of this carrier (fuels and heat): one calorific value feeds both
    # figures, so an entry's own kgce_per_unit gives its CO2 as kgce × this.
    tco2_per_kgce: Decimal | None = None

    def kgce_per_unit(self, unit_code: str) -> Decimal | None:
        """The default coefficient for ``unit_code`` (None where there is none: steam in t)."""
        tce = self.tce_per_unit.get(unit_code)
        return None if tce is None else tce * KG_PER_TONNE

    @property
    def is_grid_electricity(self) -> bool:
        return self.dimension == "electricity"


@dataclass(frozen=True)
class GridFactor:
    series: str
    data_year: int
    kg_co2_per_kwh: Decimal
    confirmed: bool
    record: Mapping[str, Any]
    # national | region | province, and the region or province code (None for national).
    level: str = "national"
    area: str | None = None


@dataclass(frozen=True)
class GridSeries:
    code: str
    name_zh: str
    name_en: str
    unit: str
    factors: Mapping[int, GridFactor]
    latest_year: int
    # Regional and provincial factors by data year, then region or province code.
    regional: Mapping[int, Mapping[str, GridFactor]] = field(default_factory=dict)
    provincial: Mapping[int, Mapping[str, GridFactor]] = field(default_factory=dict)


@dataclass(frozen=True)
class Province:
    code: str  # GB/T 2260 six-digit code, e.g. "530000"
    name_zh: str
    name_en: str
    region: str | None


@dataclass(frozen=True)
class Region:
    code: str
    name_zh: str
    name_en: str


GRID_BASES = ("province", "region", "national")


@dataclass(frozen=True)
class GridChoice:
    """The grid factor chosen for a document, and how it was found."""

    factor: GridFactor
    basis: str  # the basis asked for (province | region | national)
    level: str  # the level of the factor used (may be broader than the basis)
    year_fallback: bool  # the reporting year had no published factor at that level
    reporting_year: int | None

    @property
    def fallback(self) -> bool:
        return self.year_fallback or self.level != self.basis


def _pick_year(years: Mapping[int, Any], year: int | None) -> tuple[int, bool] | None:
    """The data year to use for ``year``: itself, else the latest earlier, else the earliest."""
    if not years:
        return None
    if year is not None and year in years:
        return year, False
    earlier = [y for y in years if year is not None and y < year]
    return (max(earlier) if earlier else min(years)), True


@dataclass(frozen=True)
class Gas:
    code: str
    name_zh: str
    group: str
    gwp: Mapping[str, Decimal]
    records: Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class Target:
    year: int
    code: str
    name_zh: str
    name_en: str
    change_percent: Decimal | None
    share_percent: Decimal | None
    lines: str
    record: Mapping[str, Any]


@dataclass(frozen=True)
class TargetTable:
    national: Mapping[int, Mapping[str, Target]]
    comparison: Mapping[str, str]
    sectors: tuple[Mapping[str, Any], ...]

    def for_comparison(self, what: str, year: int | None) -> Target | None:
        """The national target an enterprise's ``what`` (energy_intensity, ...) is set against."""
        if year is None:
            return None
        return self.national.get(year, {}).get(self.comparison[what])


@dataclass(frozen=True)
class TableSource:
    """Where one factor table comes from, from its file's metadata.

    ``source`` is the maintainers' note (in English, it may name internal files and say how the
    figures were checked); ``citation_zh`` and ``citation_en`` cite the document only, for
    readers such as a report's methodology.
    """

    table: str
    source: str
    citation_zh: str
    citation_en: str
    version: str


@dataclass(frozen=True)
class FactorTables:
    directory: str
    units: Mapping[str, Unit]
    unit_aliases: Mapping[str, str]
    carriers: Mapping[str, Carrier]
    grid: Mapping[str, GridSeries]
    default_grid_series: str
    gwp_sets: tuple[str, ...]
    default_gwp_set: str
    gases: Mapping[str, Gas]
    targets: TargetTable
    provinces: Mapping[str, Province] = field(default_factory=dict)
    regions: Mapping[str, Region] = field(default_factory=dict)
    # The MEE/NBS announcement that published each grid data year: (zh, en) citation.
    grid_announcements: Mapping[int, tuple[str, str]] = field(default_factory=dict)
    # plausibility.yaml as loaded (ranges for warnings; see indicators/energy/plausibility.py).
    plausibility: Mapping[str, Any] = field(default_factory=dict)
    gwp_set_years: Mapping[str, int] = field(default_factory=dict)
    versions: Mapping[str, str] = field(default_factory=dict)
    # Every table's source, citation and version, in the order of the files (carriers,
    # combustion, grid, gwp, targets).
    sources: Mapping[str, TableSource] = field(default_factory=dict)

    def unit_code(self, unit: str) -> str | None:
        """The canonical unit code of ``unit`` or of one of its aliases (万立方米 → 10^4 m3)."""
        if unit in self.units:
            return unit
        return self.unit_aliases.get(unit)

    def grid_factor(self, series: str, year: int | None) -> tuple[GridFactor, bool]:
        """The national factor of ``year`` in ``series``: else the latest earlier data year,
        else (a year before the first publication, or no year) the nearest one; True = fallback.
        """
        table = self.grid[series]
        if year is None:
            return table.factors[table.latest_year], True
        picked = _pick_year(table.factors, year)
        assert picked is not None  # the loader requires at least one year
        return table.factors[picked[0]], picked[1]

    def choose_grid_factor(self, series: str, basis: str, province: str | None,
                           year: int | None) -> GridChoice:
        """The factor for ``basis`` (province, region, national) of ``province`` in ``year``.

        A level with no factor held for the province (none published, or not held here) gives
        way to the next broader level: province → region → national; a year without a factor
        at the level used takes the latest earlier data year (the earliest for a year before
        any publication). Both are fallbacks the caller reports.
        """
        table = self.grid[series]
        levels = GRID_BASES[GRID_BASES.index(basis):]
        place = self.provinces.get(province) if province else None
        for level in levels:
            if level == "national":
                factor, fell_back = self.grid_factor(series, year)
                return GridChoice(factor, basis, level, fell_back, year)
            area = (place.code if level == "province" else place.region) if place else None
            by_year = table.provincial if level == "province" else table.regional
            years = {y: f[area] for y, f in by_year.items() if area is not None and area in f}
            picked = _pick_year(years, year) if year is not None else (
                (max(years), True) if years else None)
            if picked is not None:
                return GridChoice(years[picked[0]], basis, level, picked[1], year)
        raise AssertionError("national is always the last level")  # pragma: no cover
