"""Loading of the factor tables from the versioned YAML files in ``indicators/data/factors/``.

The files are the only place where coefficients live. They are validated at load: a broken
file raises :class:`InvalidFramework` naming the file and the YAML path of every problem.
Tables are loaded once per directory and cached for the life of the process.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from indicators.energy.tables import (
    GJ_PER_TJ,
    KG_PER_TONNE,
    Carrier,
    FactorTables,
    Gas,
    GridFactor,
    GridSeries,
    TableSource,
    Target,
    TargetTable,
    Unit,
    is_number,
    to_decimal,
)
from indicators.problems import InvalidFramework

DEFAULT_DIRECTORY = Path(__file__).resolve().parent.parent / "data" / "factors"
_DEFAULT_KEY = str(DEFAULT_DIRECTORY)
_META_KEYS = {"source", "citation_zh", "citation_en", "version", "retrieved", "notes"}
_DIMENSIONS = ("mass", "volume", "electricity", "heat")

@functools.lru_cache(maxsize=8)
def _load_cached(directory: str) -> FactorTables:
    return _Loader(Path(directory)).load()


def load_factor_tables(directory: str | Path | None = None) -> FactorTables:
    """Load, validate and precompute the factor tables; cached per directory.

    Raises InvalidFramework(path, problems) for the first broken file, naming YAML paths.
    """
    if directory is None:
        # The common case skips path resolution: it costs more than a whole calculation.
        return _load_cached(_DEFAULT_KEY)
    return _load_cached(str(Path(directory).resolve()))


class _FileReader:
    """Reads one YAML document and collects schema problems as 'yaml.path: message'."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def document(self) -> dict[str, Any]:
        try:
            with self.path.open(encoding="utf-8") as handle:
                data = yaml.safe_load(handle)
        except FileNotFoundError:
            raise InvalidFramework(str(self.path), ["file not found"]) from None
        except yaml.YAMLError as exc:
            raise InvalidFramework(str(self.path), [f"(document): not valid YAML: {exc}"]) from exc
        if not isinstance(data, dict):
            raise InvalidFramework(str(self.path), ["(document): must be a mapping"])
        # citation_zh/citation_en: how a reader is told the document, in each language.
        for key in ("source", "citation_zh", "citation_en", "version"):
            self.text(data, key, "")
        if not any(isinstance(data.get(k), str) and data[k].strip()
                   for k in ("retrieved", "notes")):
            self.fail("retrieved",
                      "give 'retrieved' or 'notes' (when and how the figures were taken)")
        return data

    def raise_if_failed(self) -> None:
        if self.problems:
            raise InvalidFramework(str(self.path), self.problems)

    @staticmethod
    def _join(where: str, key: str | int) -> str:
        return f"{where}.{key}" if where else str(key)

    def mapping(self, node: Any, where: str) -> dict[Any, Any]:
        if isinstance(node, dict):
            return node
        self.fail(where, "must be a mapping")
        return {}

    def known_keys(self, node: dict[Any, Any], allowed: set[str], where: str) -> None:
        for key in node:
            if key not in allowed:
                self.fail(self._join(where, key),
                          f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def text(self, node: dict[Any, Any], key: str, where: str, *, required: bool = True) -> str:
        value = node.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(self._join(where, key), "must be a non-empty text")
            return ""
        return value

    def number(
        self, node: dict[Any, Any], key: str, where: str, *, positive: bool = True
    ) -> Decimal:
        value = node.get(key)
        if not is_number(value):
            self.fail(self._join(where, key), f"must be a number (got {value!r})")
            return Decimal(0)
        number = to_decimal(value)
        if not number.is_finite() or (positive and number <= 0):
            self.fail(self._join(where, key), f"must be a positive number (got {value!r})")
            return Decimal(0)
        return number

    def flag(self, node: dict[Any, Any], key: str, where: str) -> bool:
        value = node.get(key)
        if not isinstance(value, bool):
            self.fail(self._join(where, key), "must be true or false")
            return False
        return value


def _record(what: str, value: Decimal, unit: str, meta: Mapping[str, str], confirmed: bool,
            **extra: Any) -> dict[str, Any]:
    """A factors_used entry: what was applied, its value, unit, source, version, confirmed."""
    record: dict[str, Any] = {
        "what": what,
        "value": float(value),
        "unit": unit,
        "source": meta["source"],
        "version": meta["version"],
        "confirmed": confirmed,
    }
    record.update({k: v for k, v in extra.items() if v is not None})
    return record


class _Loader:
    def __init__(self, directory: Path):
        self.directory = directory

    def load(self) -> FactorTables:
        units, aliases, carrier_rows, carriers_meta = self._carriers()
        combustion = self._combustion(carrier_rows, units)
        carriers = self._build_carriers(carrier_rows, units, carriers_meta, combustion)
        grid, default_series, grid_meta = self._grid()
        gases, sets, default_set, gwp_meta = self._gwp()
        targets, targets_meta = self._targets()
        metas = {"carriers": carriers_meta, "combustion": combustion["meta"], "grid": grid_meta,
                 "gwp": gwp_meta, "targets": targets_meta}
        return FactorTables(
            directory=str(self.directory),
            units=units,
            unit_aliases=aliases,
            carriers=carriers,
            grid=grid,
            default_grid_series=default_series,
            gwp_sets=sets,
            default_gwp_set=default_set,
            gases=gases,
            targets=targets,
            versions={table: meta["version"] for table, meta in metas.items()},
            sources={table: TableSource(table, meta["source"], meta["citation_zh"],
                                        meta["citation_en"], meta["version"])
                     for table, meta in metas.items()},
        )

    def _reader(self, name: str) -> tuple[_FileReader, dict[str, Any]]:
        reader = _FileReader(self.directory / name)
        return reader, reader.document()

    @staticmethod
    def _meta(doc: dict[str, Any]) -> dict[str, str]:
        # Folded YAML text: whitespace (line breaks of the file) collapses to single spaces.
        return {"source": str(doc.get("source", "")).strip(),
                "citation_zh": " ".join(str(doc.get("citation_zh", "")).split()),
                "citation_en": " ".join(str(doc.get("citation_en", "")).split()),
                "version": str(doc.get("version", ""))}

    # carriers.yaml ---------------------------------------------------------------------

    def _carriers(self) -> tuple[dict[str, Unit], dict[str, str], dict[str, dict[str, Any]],
                                 dict[str, str]]:
        r, doc = self._reader("carriers.yaml")
        r.known_keys(doc, _META_KEYS | {"base_units", "units", "carriers"}, "")
        base_units = r.mapping(doc.get("base_units"), "base_units")
        units: dict[str, Unit] = {}
        aliases: dict[str, str] = {}
        for code, node in r.mapping(doc.get("units"), "units").items():
            where = f"units.{code}"
            node = r.mapping(node, where)
            r.known_keys(node, {"dimension", "to_base", "name_zh", "name_en", "aliases"}, where)
            dimension = node.get("dimension")
            if dimension not in _DIMENSIONS:
                r.fail(f"{where}.dimension", f"must be one of {', '.join(_DIMENSIONS)}")
            units[str(code)] = Unit(str(code), str(dimension), r.number(node, "to_base", where),
                                    r.text(node, "name_zh", where), r.text(node, "name_en", where))
            for alias in node.get("aliases") or []:
                aliases[str(alias)] = str(code)
        for dimension in _DIMENSIONS:
            base = base_units.get(dimension)
            if base not in units or units[base].to_base != 1:
                r.fail(f"base_units.{dimension}",
                       "must name a unit of that dimension with to_base 1")
        rows: dict[str, dict[str, Any]] = {}
        allowed = {"name_zh", "name_en", "dimension", "kgce_per_base_unit", "range", "default_note",
                   "fossil_fuel", "scope", "confirmed", "units_requiring_kgce_per_unit"}
        carriers = r.mapping(doc.get("carriers"), "carriers")
        if not carriers:
            r.fail("carriers", "must list at least one carrier")
        for code, node in carriers.items():
            where = f"carriers.{code}"
            node = r.mapping(node, where)
            r.known_keys(node, allowed, where)
            row: dict[str, Any] = {
                "code": str(code),
                "name_zh": r.text(node, "name_zh", where),
                "name_en": r.text(node, "name_en", where),
                "kgce_per_base_unit": r.number(node, "kgce_per_base_unit", where),
                "fossil_fuel": r.flag(node, "fossil_fuel", where),
                "confirmed": r.flag(node, "confirmed", where),
                "default_note": r.text(node, "default_note", where, required=False) or None,
            }
            dimension = node.get("dimension")
            if dimension not in _DIMENSIONS:
                r.fail(f"{where}.dimension", f"must be one of {', '.join(_DIMENSIONS)}")
            row["dimension"] = dimension
            if node.get("scope") not in (1, 2) or isinstance(node.get("scope"), bool):
                r.fail(f"{where}.scope", "must be 1 (burned on site) or 2 (purchased)")
            row["scope"] = node.get("scope")
            row["range"] = None
            if "range" in node:
                bounds = node["range"]
                if (not isinstance(bounds, list) or len(bounds) != 2
                        or not all(is_number(b) for b in bounds)
                        or not to_decimal(bounds[0]) <= row["kgce_per_base_unit"]
                        <= to_decimal(bounds[1])):
                    r.fail(f"{where}.range", "must be [low, high] around kgce_per_base_unit")
                else:
                    row["range"] = (to_decimal(bounds[0]), to_decimal(bounds[1]))
            extra = node.get("units_requiring_kgce_per_unit") or []
            if not isinstance(extra, list) or any(u not in units for u in extra):
                r.fail(f"{where}.units_requiring_kgce_per_unit", "must list known unit codes")
                extra = []
            row["extra_units"] = frozenset(extra)
            rows[str(code)] = row
        r.raise_if_failed()
        return units, aliases, rows, self._meta(doc)

    # combustion.yaml -------------------------------------------------------------------

    def _combustion(self, carriers: dict[str, dict[str, Any]], units: dict[str, Unit]
                    ) -> dict[str, Any]:
        r, doc = self._reader("combustion.yaml")
        r.known_keys(doc, _META_KEYS | {"co2_per_carbon", "fuels", "purchased_heat"}, "")
        ratio_node = r.mapping(doc.get("co2_per_carbon"), "co2_per_carbon")
        co2_per_carbon = (r.number(ratio_node, "numerator", "co2_per_carbon")
                          / (r.number(ratio_node, "denominator", "co2_per_carbon") or 1))
        meta = self._meta(doc)
        fuels: dict[str, dict[str, Any]] = {}
        for code, node in r.mapping(doc.get("fuels"), "fuels").items():
            where = f"fuels.{code}"
            node = r.mapping(node, where)
            r.known_keys(node, {"ncv", "ncv_per", "carbon_content", "oxidation_rate", "confirmed"},
                         where)
            if code not in carriers or carriers[code]["scope"] != 1:
                r.fail(where, "must be a carrier of scope 1 in carriers.yaml")
                continue
            ncv = r.number(node, "ncv", where)
            carbon = r.number(node, "carbon_content", where)
            oxidation = r.number(node, "oxidation_rate", where)
            if oxidation > 1:
                r.fail(f"{where}.oxidation_rate", "must be a fraction between 0 and 1")
            ncv_per = node.get("ncv_per")
            if ncv_per not in units or units[ncv_per].dimension != carriers[code]["dimension"]:
                r.fail(f"{where}.ncv_per", "must be a unit of the carrier's dimension")
                continue
            tco2_per_ncv_unit = ncv * carbon / GJ_PER_TJ * oxidation * co2_per_carbon
            fuels[code] = {
                "tco2_per_base_unit": tco2_per_ncv_unit / units[ncv_per].to_base,
                "record": _record(
                    "combustion_emission_factor", tco2_per_ncv_unit, f"tCO2/{ncv_per}", meta,
                    r.flag(node, "confirmed", where), carrier=code,
                    method="ncv × carbon_content / 1000 × oxidation_rate × 44/12",
                    parameters={"ncv": float(ncv), "ncv_unit": f"GJ/{ncv_per}",
                                "carbon_content": float(carbon), "carbon_content_unit": "tC/TJ",
                                "oxidation_rate": float(oxidation)}),
            }
        for code, row in carriers.items():
            if row["scope"] == 1 and code not in fuels:
                r.fail(f"fuels.{code}",
                       "missing: every scope-1 carrier needs combustion parameters")
        heat = r.mapping(doc.get("purchased_heat"), "purchased_heat")
        r.known_keys(heat, {"tco2_per_gj", "confirmed"}, "purchased_heat")
        tco2_per_gj = r.number(heat, "tco2_per_gj", "purchased_heat")
        heat_record = _record("purchased_heat_emission_factor", tco2_per_gj, "tCO2/GJ", meta,
                              r.flag(heat, "confirmed", "purchased_heat"))
        if "GJ" not in units or units["GJ"].dimension != "heat":
            r.fail("purchased_heat", "carriers.yaml must define the heat unit GJ")
        r.raise_if_failed()
        return {"meta": meta, "fuels": fuels,
                "heat_tco2_per_base_unit": tco2_per_gj / units["GJ"].to_base,
                "heat_record": heat_record}

    def _build_carriers(self, rows: dict[str, dict[str, Any]], units: dict[str, Unit],
                        meta: dict[str, str], combustion: dict[str, Any]) -> dict[str, Carrier]:
        carriers: dict[str, Carrier] = {}
        for code, row in rows.items():
            dimension_units = {u for u, unit in units.items() if unit.dimension == row["dimension"]}
            allowed_units = frozenset(dimension_units | row["extra_units"])
            if row["scope"] == 1:
                tco2_base: Decimal | None = combustion["fuels"][code]["tco2_per_base_unit"]
                emission_record = combustion["fuels"][code]["record"]
            elif row["dimension"] == "heat":
                tco2_base = combustion["heat_tco2_per_base_unit"]
                emission_record = combustion["heat_record"]
            else:
                tco2_base, emission_record = None, None
            kgce = row["kgce_per_base_unit"]
            base_unit = next(u for u in dimension_units if units[u].to_base == 1)
            carriers[code] = Carrier(
                code=code, name_zh=row["name_zh"], name_en=row["name_en"],
                dimension=row["dimension"], base_unit=base_unit, kgce_per_base_unit=kgce,
                fossil_fuel=row["fossil_fuel"], scope=row["scope"], confirmed=row["confirmed"],
                range=row["range"], units=allowed_units,
                units_requiring_kgce_per_unit=row["extra_units"],
                tce_per_unit={u: kgce * units[u].to_base / KG_PER_TONNE for u in dimension_units},
                tco2_per_unit=({u: tco2_base * units[u].to_base for u in dimension_units}
                               if tco2_base is not None else {}),
                coefficient_record=_record(
                    "standard_coal_coefficient", kgce, f"kgce/{base_unit}", meta,
                    row["confirmed"], carrier=code, note=row["default_note"],
                    range=[float(b) for b in row["range"]] if row["range"] else None),
                emission_record=emission_record,
            )
        return carriers

    # grid.yaml -------------------------------------------------------------------------

    def _grid(self) -> tuple[dict[str, GridSeries], str, dict[str, str]]:
        r, doc = self._reader("grid.yaml")
        r.known_keys(doc, _META_KEYS | {"unit", "default_series", "series"}, "")
        meta = self._meta(doc)
        default_unit = r.text(doc, "unit", "")
        series: dict[str, GridSeries] = {}
        for code, node in r.mapping(doc.get("series"), "series").items():
            where = f"series.{code}"
            node = r.mapping(node, where)
            r.known_keys(node, {"name_zh", "name_en", "unit", "notes", "factors"}, where)
            unit = r.text(node, "unit", where, required=False) or default_unit
            notes = r.text(node, "notes", where, required=False) or None
            factors: dict[int, GridFactor] = {}
            for year, fnode in r.mapping(node.get("factors"), f"{where}.factors").items():
                fwhere = f"{where}.factors.{year}"
                if not isinstance(year, int) or isinstance(year, bool):
                    r.fail(fwhere, "the key must be a data year such as 2023")
                    continue
                fnode = r.mapping(fnode, fwhere)
                r.known_keys(fnode, {"value", "confirmed"}, fwhere)
                value = r.number(fnode, "value", fwhere)
                confirmed = r.flag(fnode, "confirmed", fwhere)
                factors[year] = GridFactor(
                    str(code), year, value, confirmed,
                    _record("grid_emission_factor", value, unit, meta, confirmed,
                            series=str(code), data_year=year, note=notes))
            if not factors:
                r.fail(f"{where}.factors", "must give at least one year")
                continue
            series[str(code)] = GridSeries(str(code), r.text(node, "name_zh", where),
                                           r.text(node, "name_en", where), unit, factors,
                                           max(factors))
        default_series = doc.get("default_series")
        if default_series not in series:
            r.fail("default_series", "must name one of the series")
        r.raise_if_failed()
        return series, str(default_series), meta

    # gwp.yaml --------------------------------------------------------------------------

    def _gwp(self) -> tuple[dict[str, Gas], tuple[str, ...], str, dict[str, str]]:
        r, doc = self._reader("gwp.yaml")
        r.known_keys(doc, _META_KEYS | {"unit", "default_set", "sets", "gases"}, "")
        meta = self._meta(doc)
        unit = r.text(doc, "unit", "")
        sets = tuple(str(s) for s in r.mapping(doc.get("sets"), "sets"))
        if doc.get("default_set") not in sets:
            r.fail("default_set", "must name one of the sets")
        gases: dict[str, Gas] = {}
        for code, node in r.mapping(doc.get("gases"), "gases").items():
            where = f"gases.{code}"
            node = r.mapping(node, where)
            r.known_keys(node, {"name_zh", "group", *sets}, where)
            values = {s: r.number(node, s, where) for s in sets}
            gases[str(code)] = Gas(
                str(code), r.text(node, "name_zh", where), r.text(node, "group", where), values,
                {s: _record("gwp", v, unit, meta, True, gas=str(code), gwp_set=s)
                 for s, v in values.items()})
        r.raise_if_failed()
        return gases, sets, str(doc.get("default_set")), meta

    # targets.yaml ----------------------------------------------------------------------

    def _targets(self) -> tuple[TargetTable, dict[str, str]]:
        r, doc = self._reader("targets.yaml")
        r.known_keys(doc, _META_KEYS | {"seed", "comparison", "national", "sectors"}, "")
        meta = self._meta(doc)
        national: dict[int, dict[str, Target]] = {}
        for year, node in r.mapping(doc.get("national"), "national").items():
            if not isinstance(year, int) or isinstance(year, bool):
                r.fail(f"national.{year}", "the key must be a year")
                continue
            national[year] = {}
            for code, tnode in r.mapping(node, f"national.{year}").items():
                where = f"national.{year}.{code}"
                tnode = r.mapping(tnode, where)
                r.known_keys(tnode, {"change_percent", "share_percent", "name_zh", "name_en",
                                     "lines"}, where)
                change = (r.number(tnode, "change_percent", where, positive=False)
                          if "change_percent" in tnode else None)
                share = (r.number(tnode, "share_percent", where)
                         if "share_percent" in tnode else None)
                if (change is None) == (share is None):
                    r.fail(where, "give exactly one of change_percent and share_percent")
                lines = str(tnode.get("lines", ""))
                if not lines:
                    r.fail(f"{where}.lines", "must give the seed lines of the target")
                name_zh = r.text(tnode, "name_zh", where)
                name_en = r.text(tnode, "name_en", where)
                value = change if change is not None else share
                national[year][str(code)] = Target(
                    year, str(code), name_zh, name_en, change, share, lines,
                    _record("national_target", value or Decimal(0), "%", meta, True,
                            target=str(code), year=year, name_zh=name_zh, lines=lines))
        comparison = r.mapping(doc.get("comparison"), "comparison")
        for what in ("energy_intensity", "carbon_intensity"):
            if not isinstance(comparison.get(what), str):
                r.fail(f"comparison.{what}", "must name the national target it is compared with")
        sectors = doc.get("sectors") or []
        if not isinstance(sectors, list):
            r.fail("sectors", "must be a list")
            sectors = []
        for index, node in enumerate(sectors):
            node = r.mapping(node, f"sectors[{index}]")
            r.text(node, "sector", f"sectors[{index}]")
            r.text(node, "text_zh", f"sectors[{index}]")
            if not node.get("lines"):
                r.fail(f"sectors[{index}].lines", "must give the seed lines")
        r.raise_if_failed()
        return TargetTable(national, dict(comparison), tuple(sectors)), meta
