"""The energy and carbon page: carriers and process emissions as rows, options, direct totals.

Rows are stored as the document sections ``energy``, ``process_emissions`` and ``options``
(one answer each, so each carries one version). Blank and removed rows are dropped before
saving; ``entry_rows`` remembers which form row each stored entry came from, so that an
engine problem such as ``energy[2].unit`` is shown on the row the user sees.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from assessment.labels import ELECTRICITY_BASIS_LABELS, ELECTRICITY_SOURCE_LABELS
from assessment.questionnaire.numbers import ParseError, parse_number
from assessment.wording import gas_name, reader_lang
from indicators.energy import ELECTRICITY_SOURCES, FactorTables, load_factor_tables
from indicators.energy.plausibility import grid_fallback_notices
from indicators.energy.tables import GRID_BASES

ENERGY_ATTRIBUTES = ("carrier", "quantity", "unit", "kgce_per_unit", "source")
PROCESS_ATTRIBUTES = ("gas", "tonnes")
OPTION_ATTRIBUTES = ("gwp_set", "electricity_basis", "electricity_equivalent_kgce_per_kwh",
                     "grid_factor_basis")
NUMBER_ATTRIBUTES = ("quantity", "kgce_per_unit", "tonnes",
                     "electricity_equivalent_kgce_per_kwh")
SECTION_NAMES: dict[str, Any] = {
    "energy": _l("Energy carriers"),
    "process_emissions": _l("Process emissions"),
    "options": _l("Options"),
}
ROW_PREFIX = {"energy": "energy", "process_emissions": "process"}
_ROW_FIELD = re.compile(r"^(energy|process)-(\d+)-(\w+)$")


@dataclass
class Row:
    """One row as shown: the raw values typed, and the errors next to each attribute."""

    index: int
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def error(self, attribute: str, text: str) -> None:
        messages = self.errors.setdefault(attribute, [])
        if text not in messages:
            messages.append(text)


@dataclass
class Section:
    """A parsed list section: the value to store, and the form row of each entry."""

    value: list[dict[str, Any]]
    rows: list[Row]
    entry_rows: list[int]  # entry index -> index into rows
    parse_errors: bool = False


def tables() -> FactorTables:
    return load_factor_tables()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows_from_form(formdata: Any, prefix: str) -> list[Row]:
    found: dict[int, Row] = {}
    for name in formdata:
        match = _ROW_FIELD.match(name)
        if match and match.group(1) == prefix:
            index = int(match.group(2))
            row = found.setdefault(index, Row(index))
            row.values[match.group(3)] = str(formdata.get(name, "")).strip()
    return [found[i] for i in sorted(found)]


def parse_rows(section: str, rows: list[Row]) -> Section:
    """The entries of ``rows`` (blank and removed rows dropped); numbers parsed here."""
    attributes = ENERGY_ATTRIBUTES if section == "energy" else PROCESS_ATTRIBUTES
    parsed = Section([], rows, [])
    for position, row in enumerate(rows):
        if row.values.get("remove") or not any(row.values.get(a) for a in attributes):
            continue
        entry: dict[str, Any] = {}
        for attribute in attributes:
            raw = row.values.get(attribute, "")
            if raw == "":
                continue
            if attribute in NUMBER_ATTRIBUTES:
                try:
                    entry[attribute] = parse_number(raw, "decimal")
                except ParseError as error:
                    row.error(attribute, str(error.message))
                    parsed.parse_errors = True
            else:
                entry[attribute] = raw
        if section == "energy" and entry.get("carrier") != "electricity":
            entry.pop("source", None)  # only electricity has a source; the select may linger
        parsed.value.append(entry)
        parsed.entry_rows.append(position)
    return parsed


def section_from_form(formdata: Any, section: str) -> Section:
    return parse_rows(section, _rows_from_form(formdata, ROW_PREFIX[section]))


def section_from_json(section: str, value: Any) -> Section:
    """The autosave sends the rows it shows (blank rows already left out)."""
    if not isinstance(value, list):
        raise ParseError(_l("Send the rows as a list."))
    rows = []
    for index, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise ParseError(_l("Send each row as an object."))
        rows.append(Row(index, {str(k): _text(v).strip() for k, v in item.items()}))
    return parse_rows(section, rows)


def rows_from_value(section: str, value: Any) -> list[Row]:
    """Stored entries as rows to show."""
    entries = value if isinstance(value, list) else []
    return [Row(i, {k: _text(v) for k, v in entry.items()}) for i, entry in enumerate(entries)
            if isinstance(entry, Mapping)]


def options_from_form(formdata: Any) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    raw = {a: str(formdata.get(f"options-{a}", "")).strip() for a in OPTION_ATTRIBUTES}
    return parse_options(raw)


def parse_options(raw: Mapping[str, Any]) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    options: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for attribute in OPTION_ATTRIBUTES:
        value = raw.get(attribute)
        if value in (None, ""):
            continue
        if attribute in NUMBER_ATTRIBUTES:
            try:
                options[attribute] = parse_number(value, "decimal")
            except ParseError as error:
                errors[attribute] = [str(error.message)]
        else:
            options[attribute] = str(value)
    return (options or None), errors


# -- choices and the grid factor shown ------------------------------------------------------
def carrier_choices(english: bool) -> list[tuple[str, str, str]]:
    """(code, name, space-separated allowed units) of every carrier in the factor tables."""
    return [(c.code, c.name_en if english else c.name_zh, " ".join(sorted(c.units)))
            for c in tables().carriers.values()]


def unit_choices(english: bool) -> list[tuple[str, str]]:
    return [(u.code, f"{u.code} ({u.name_en if english else u.name_zh})")
            for u in tables().units.values()]


def gas_choices(english: bool = False) -> list[tuple[str, str]]:
    """Gases by formula and name in the reader's language ("CO2 carbon dioxide")."""
    lang = "en" if english else "zh"
    return [(g.code, gas_name(g.code, g.name_zh, lang)) for g in tables().gases.values()]


def source_choices() -> list[tuple[str, str]]:
    return [(s, str(ELECTRICITY_SOURCE_LABELS.get(s, s))) for s in ELECTRICITY_SOURCES]


def basis_choices() -> list[tuple[str, str]]:
    return [(b, str(label)) for b, label in ELECTRICITY_BASIS_LABELS.items()]


GRID_BASIS_LABELS: dict[str, Any] = {
    "province": _l("Provincial factor of the enterprise's province"),
    "region": _l("Factor of the regional grid the province belongs to"),
    "national": _l("National average factor"),
}
GWP_SET_LABELS: dict[str, Any] = {
    "AR5": _l("IPCC AR5 (default)"),
    "AR6": _l("IPCC AR6"),
    "SAR": _l("IPCC SAR (second assessment report, as China's enterprise GHG accounting "
              "guidelines use: CH4 21, N2O 310)"),
}


def gwp_choices() -> list[tuple[str, str]]:
    """Every GWP set the factor tables hold (AR5, AR6, SAR), labelled."""
    return [(code, str(GWP_SET_LABELS.get(code, code))) for code in tables().gwp_sets]


def grid_basis_choices() -> list[tuple[str, str]]:
    return [(b, str(label)) for b, label in GRID_BASIS_LABELS.items()]


def default_grid_basis(province: str | None) -> str:
    """The engine's default: the province's own factor when the profile names a province."""
    return "province" if province else "national"


@dataclass(frozen=True)
class GridFactorShown:
    """The grid factor the engine will use for purchased electricity, in words."""

    series_name: str
    value: str
    unit: str
    data_year: int
    source: str  # the announcement that published it, in the reader's language
    version: str
    fallback: bool
    basis: str  # asked for: province | region | national
    level: str  # of the factor used (broader than the basis when none is held)
    area_name: str  # the province, the regional grid, or the whole country
    note: str  # why another year or level is used (the engine's own warning), or ""


def grid_factor_shown(year: int, options: Mapping[str, Any] | None, english: bool,
                      province: str | None = None) -> GridFactorShown:
    """What ``evaluate`` will use for this assessment: the series, the basis
    (``options.grid_factor_basis``, else the province's factor when the enterprise profile
    names one) and the reporting year, with the engine's own fallback rules and words.

    ``province`` is the profile's GB/T 2260 code (two digits, as stored, or six)."""

    factor_tables = tables()
    options = options or {}
    series = options.get("grid_series") or factor_tables.default_grid_series
    if series not in factor_tables.grid:
        series = factor_tables.default_grid_series
    code = f"{province}0000" if province and len(province) == 2 else (province or None)
    if code is not None and code not in factor_tables.provinces:
        code = None
    basis = options.get("grid_factor_basis") or default_grid_basis(code)
    if basis not in GRID_BASES:
        basis = default_grid_basis(code)
    choice = factor_tables.choose_grid_factor(series, basis, code, year)
    factor = choice.factor
    table = factor_tables.grid[series]
    place = factor_tables.provinces.get(code) if code else None
    if choice.level == "province" and place is not None:
        area = place.name_en if english else place.name_zh
    elif choice.level == "region" and factor.area in factor_tables.regions:
        region = factor_tables.regions[factor.area or ""]
        area = region.name_en if english else region.name_zh
    else:
        area = str(_l("China (national average)"))
    cited = factor_tables.grid_announcements.get(factor.data_year)
    source = (cited[1] if english else cited[0]) if cited else str(
        factor.record.get("source", ""))
    note = ""
    if choice.fallback:
        notices = grid_fallback_notices(factor_tables, series, choice, code)
        note = notices[0].message("en" if english else "zh") if notices else ""
    return GridFactorShown(
        series_name=table.name_en if english else table.name_zh,
        value=f"{factor.kg_co2_per_kwh:.4f}", unit=table.unit, data_year=factor.data_year,
        source=source, version=str(factor.record.get("version", "")),
        fallback=choice.fallback, basis=basis, level=choice.level, area_name=area, note=note,
    )


OPTION_LABELS: tuple[tuple[str, Any], ...] = (
    ("gwp_set", _l("GWP set")),
    ("electricity_basis", _l("Electricity conversion")),
    ("electricity_equivalent_kgce_per_kwh", _l("Equivalent value (kgce per kWh)")),
    ("grid_series", _l("Grid factor series")),
)


def _option_value(key: str, value: Any) -> str:
    if key == "electricity_basis":
        return str(ELECTRICITY_BASIS_LABELS.get(str(value), value))
    return str(value)


def summary(section: str, value: Any) -> str:
    """A stored section in a line, for history and conflicts."""
    if value is None:
        return "—"
    english = reader_lang() == "en"
    if section == "options" and isinstance(value, Mapping):
        labels = dict(OPTION_LABELS)
        return "; ".join(f"{labels.get(k, k)} {_option_value(k, v)}"
                         for k, v in value.items()) or "—"
    if isinstance(value, list):
        parts = []
        for entry in value:
            if not isinstance(entry, Mapping):
                continue
            if section == "energy":
                carrier = tables().carriers.get(str(entry.get("carrier")))
                name = (carrier.name_en if english else carrier.name_zh) if carrier \
                    else str(entry.get("carrier", "?"))
                parts.append(f"{name} {_text(entry.get('quantity'))} "
                             f"{entry.get('unit', '')}".strip())
            else:
                parts.append(f"{entry.get('gas', '?')} {_text(entry.get('tonnes'))} t")
        return "; ".join(parts) or "—"
    return str(value)
