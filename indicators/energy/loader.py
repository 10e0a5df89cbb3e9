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
    Province,
    Region,
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
_META_KEYS = {"source", "citation_zh", "citation_en", "version", "retrieved", "notes",
              "data_year"}
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


# The keys of a factor in the evaluate output's `factors` (the contract); factors_used
# records carry them plus details (what, confirmed, carrier, parameters, note...).
CONTRACT_FACTOR_KEYS = ("id", "applies_to", "value", "unit", "year", "source", "version",
                        "fallback")


def _record(what: str, value: Decimal, unit: str, meta: Mapping[str, Any], confirmed: bool,
            *, id: str, figure: str, year: int | None = None, source: str | None = None,
            **extra: Any) -> dict[str, Any]:
    """A factors_used entry: id, what was applied, the figure it feeds (energy, scope1,
    scope2), value, unit, data year, source (the citation), version, confirmed, fallback."""
    record: dict[str, Any] = {
        "id": id,
        "what": what,
        "figure": figure,
        "value": float(value),
        "unit": unit,
        "year": meta.get("data_year") if year is None else year,
        "source": source or meta["citation_en"],
        "version": meta["version"],
        "confirmed": confirmed,
        "fallback": False,
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
        grid = self._grid()
        gases, sets, default_set, set_years, gwp_meta = self._gwp()
        targets, targets_meta = self._targets()
        plausibility, plausibility_meta = self._plausibility(carriers, units, aliases)
        # The tables figures are computed from (a report's methodology cites them); the
        # plausibility ranges only word warnings and carry their own source.
        metas = {"carriers": carriers_meta, "combustion": combustion["meta"],
                 "grid": grid["meta"], "gwp": gwp_meta, "targets": targets_meta}
        return FactorTables(
            directory=str(self.directory),
            units=units,
            unit_aliases=aliases,
            carriers=carriers,
            grid=grid["series"],
            default_grid_series=grid["default"],
            gwp_sets=sets,
            default_gwp_set=default_set,
            gases=gases,
            targets=targets,
            provinces=grid["provinces"],
            regions=grid["regions"],
            grid_announcements=grid["announcements"],
            plausibility={**plausibility, "source": TableSource(
                "plausibility", plausibility_meta["source"], plausibility_meta["citation_zh"],
                plausibility_meta["citation_en"], plausibility_meta["version"])},
            gwp_set_years=set_years,
            versions={table: meta["version"] for table, meta in metas.items()},
            sources={table: TableSource(table, meta["source"], meta["citation_zh"],
                                        meta["citation_en"], meta["version"])
                     for table, meta in metas.items()},
        )

    def _reader(self, name: str) -> tuple[_FileReader, dict[str, Any]]:
        reader = _FileReader(self.directory / name)
        return reader, reader.document()

    @staticmethod
    def _meta(doc: dict[str, Any]) -> dict[str, Any]:
        # Folded YAML text: whitespace (line breaks of the file) collapses to single spaces.
        year = doc.get("data_year")
        return {"source": str(doc.get("source", "")).strip(),
                "citation_zh": " ".join(str(doc.get("citation_zh", "")).split()),
                "citation_en": " ".join(str(doc.get("citation_en", "")).split()),
                "version": str(doc.get("version", "")),
                "data_year": year if isinstance(year, int) else None}

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
        r.known_keys(doc, _META_KEYS | {"co2_per_carbon", "gj_per_kgce", "fuels",
                                        "purchased_heat"}, "")
        ratio_node = r.mapping(doc.get("co2_per_carbon"), "co2_per_carbon")
        co2_per_carbon = (r.number(ratio_node, "numerator", "co2_per_carbon")
                          / (r.number(ratio_node, "denominator", "co2_per_carbon") or 1))
        gj_per_kgce = r.number(doc, "gj_per_kgce", "")
        meta = self._meta(doc)
        fuels: dict[str, dict[str, Any]] = {}
        for code, node in r.mapping(doc.get("fuels"), "fuels").items():
            where = f"fuels.{code}"
            node = r.mapping(node, where)
            r.known_keys(node, {"guideline_ncv", "ncv_per", "carbon_content", "oxidation_rate",
                                "confirmed", "data_year"}, where)
            if code not in carriers or carriers[code]["scope"] != 1:
                r.fail(where, "must be a carrier of scope 1 in carriers.yaml")
                continue
            carbon = r.number(node, "carbon_content", where)
            oxidation = r.number(node, "oxidation_rate", where)
            if oxidation > 1:
                r.fail(f"{where}.oxidation_rate", "must be a fraction between 0 and 1")
            ncv_per = node.get("ncv_per")
            if ncv_per not in units or units[ncv_per].dimension != carriers[code]["dimension"]:
                r.fail(f"{where}.ncv_per", "must be a unit of the carrier's dimension")
                continue
            guideline = (r.number(node, "guideline_ncv", where)
                         if "guideline_ncv" in node else None)
            # One calorific value: the standard-coal coefficient of carriers.yaml.
            tco2_per_kgce = gj_per_kgce * carbon / GJ_PER_TJ * oxidation * co2_per_carbon
            kgce_per_ncv_unit = carriers[code]["kgce_per_base_unit"] * units[ncv_per].to_base
            ncv = kgce_per_ncv_unit * gj_per_kgce
            confirmed = r.flag(node, "confirmed", where)
            fuels[code] = {
                "tco2_per_kgce": tco2_per_kgce,
                "ncv_per": ncv_per,
                "record": _record(
                    "combustion_emission_factor", kgce_per_ncv_unit * tco2_per_kgce,
                    f"tCO2/{ncv_per}", meta, confirmed and carriers[code]["confirmed"],
                    id=f"combustion.{code}", figure="scope1",
                    year=node.get("data_year") if isinstance(node.get("data_year"), int)
                    else None, carrier=code,
                    method="kgce × gj_per_kgce × carbon_content / 1000 × oxidation_rate × 44/12",
                    parameters={"ncv": float(ncv), "ncv_unit": f"GJ/{ncv_per}",
                                "ncv_from": "standard-coal coefficient (carriers.yaml)",
                                "guideline_ncv": None if guideline is None else float(guideline),
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
                              r.flag(heat, "confirmed", "purchased_heat"),
                              id="purchased_heat", figure="scope2")
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
            kgce = row["kgce_per_base_unit"]
            tco2_per_kgce: Decimal | None
            if row["scope"] == 1:
                tco2_per_kgce = combustion["fuels"][code]["tco2_per_kgce"]
                tco2_base: Decimal | None = kgce * tco2_per_kgce
                emission_record = combustion["fuels"][code]["record"]
            elif row["dimension"] == "heat":
                tco2_base = combustion["heat_tco2_per_base_unit"]
                tco2_per_kgce = tco2_base / kgce
                emission_record = combustion["heat_record"]
            else:
                tco2_base, emission_record, tco2_per_kgce = None, None, None
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
                    row["confirmed"], id=f"standard_coal.{code}", figure="energy",
                    carrier=code, note=row["default_note"],
                    range=[float(b) for b in row["range"]] if row["range"] else None),
                emission_record=emission_record,
                tco2_per_kgce=tco2_per_kgce,
            )
        return carriers

    # grid.yaml -------------------------------------------------------------------------

    def _grid(self) -> dict[str, Any]:
        r, doc = self._reader("grid.yaml")
        r.known_keys(doc, _META_KEYS | {"unit", "default_series", "series", "announcements",
                                        "regions", "regions_confirmed", "provinces"}, "")
        meta = self._meta(doc)
        default_unit = r.text(doc, "unit", "")
        citations: dict[int, str] = {}
        announcements: dict[int, tuple[str, str]] = {}
        for year, node in r.mapping(doc.get("announcements"), "announcements").items():
            node = r.mapping(node, f"announcements.{year}")
            citations[year] = r.text(node, "citation_en", f"announcements.{year}")
            announcements[year] = (r.text(node, "citation_zh", f"announcements.{year}"),
                                   citations[year])
        regions: dict[str, Region] = {}
        for code, node in r.mapping(doc.get("regions"), "regions").items():
            node = r.mapping(node, f"regions.{code}")
            regions[str(code)] = Region(str(code), r.text(node, "name_zh", f"regions.{code}"),
                                        r.text(node, "name_en", f"regions.{code}"))
        provinces: dict[str, Province] = {}
        for code, node in r.mapping(doc.get("provinces"), "provinces").items():
            where = f"provinces.{code}"
            node = r.mapping(node, where)
            if not (isinstance(code, str) and len(code) == 6 and code.isdigit()):
                r.fail(where, "the key must be a GB/T 2260 six-digit code in quotes")
                continue
            region = node.get("region")
            if region is not None and region not in regions:
                r.fail(f"{where}.region", "must name one of the regions or be null")
            provinces[code] = Province(code, r.text(node, "name_zh", where),
                                       r.text(node, "name_en", where), region)
        regions_confirmed = doc.get("regions_confirmed") is True
        series: dict[str, GridSeries] = {}
        for code, node in r.mapping(doc.get("series"), "series").items():
            code = str(code)
            where = f"series.{code}"
            node = r.mapping(node, where)
            r.known_keys(node, {"name_zh", "name_en", "unit", "notes", "factors", "regional",
                                "provincial", "citation_zh", "citation_en"}, where)
            unit = r.text(node, "unit", where, required=False) or default_unit
            notes = r.text(node, "notes", where, required=False) or None
            own_citation = r.text(node, "citation_en", where, required=False) or None

            def factor(fnode: Any, fwhere: str, year: int, level: str, area: str | None,
                       series_code: str = code, unit: str = unit, notes: str | None = notes,
                       own_citation: str | None = own_citation) -> GridFactor | None:
                fnode = r.mapping(fnode, fwhere)
                r.known_keys(fnode, {"value", "confirmed"}, fwhere)
                value = r.number(fnode, "value", fwhere)
                confirmed = r.flag(fnode, "confirmed", fwhere)
                # A regional value is published, but which provinces the region covers is not
                # confirmed here, so the use of a regional factor for a province is not either.
                confirmed_use = confirmed and (level != "region" or regions_confirmed)
                source = own_citation or citations.get(year)
                if source is None:
                    r.fail(fwhere, "no announcement cited for this data year (announcements)")
                path = series_code if area is None else f"{series_code}.{level}.{area}"
                return GridFactor(
                    series_code, year, value, confirmed,
                    _record("grid_emission_factor", value, unit, meta, confirmed_use,
                            id=f"grid.{path}.{year}", figure="scope2", year=year,
                            source=source, series=series_code, level=level, area=area,
                            note=notes),
                    level, area)

            def years(node_key: str, node: dict[Any, Any] = node, where: str = where
                      ) -> dict[int, Any]:
                out: dict[int, Any] = {}
                for year, ynode in r.mapping(node.get(node_key) or {},
                                             f"{where}.{node_key}").items():
                    if not isinstance(year, int) or isinstance(year, bool):
                        r.fail(f"{where}.{node_key}.{year}",
                               "the key must be a data year such as 2023")
                        continue
                    out[year] = ynode
                return out

            factors: dict[int, GridFactor] = {}
            for year, fnode in years("factors").items():
                built = factor(fnode, f"{where}.factors.{year}", year, "national", None)
                if built is not None:
                    factors[year] = built
            regional: dict[int, dict[str, GridFactor]] = {}
            for year, ynode in years("regional").items():
                for area, fnode in r.mapping(ynode, f"{where}.regional.{year}").items():
                    if area not in regions:
                        r.fail(f"{where}.regional.{year}.{area}", "unknown region")
                        continue
                    built = factor(fnode, f"{where}.regional.{year}.{area}", year, "region",
                                   str(area))
                    if built is not None:
                        regional.setdefault(year, {})[str(area)] = built
            provincial: dict[int, dict[str, GridFactor]] = {}
            for year, ynode in years("provincial").items():
                for area, fnode in r.mapping(ynode, f"{where}.provincial.{year}").items():
                    if area not in provinces:
                        r.fail(f"{where}.provincial.{year}.{area}", "unknown province code")
                        continue
                    built = factor(fnode, f"{where}.provincial.{year}.{area}", year,
                                   "province", str(area))
                    if built is not None:
                        provincial.setdefault(year, {})[str(area)] = built
            if not factors:
                r.fail(f"{where}.factors", "must give at least one year")
                continue
            series[code] = GridSeries(code, r.text(node, "name_zh", where),
                                      r.text(node, "name_en", where), unit, factors,
                                      max(factors), regional, provincial)
        default_series = doc.get("default_series")
        if default_series not in series:
            r.fail("default_series", "must name one of the series")
        r.raise_if_failed()
        return {"series": series, "default": str(default_series), "meta": meta,
                "regions": regions, "provinces": provinces, "announcements": announcements}

    # gwp.yaml --------------------------------------------------------------------------

    def _gwp(self) -> tuple[dict[str, Gas], tuple[str, ...], str, dict[str, int],
                            dict[str, Any]]:
        r, doc = self._reader("gwp.yaml")
        r.known_keys(doc, _META_KEYS | {"unit", "default_set", "sets", "gases"}, "")
        meta = self._meta(doc)
        unit = r.text(doc, "unit", "")
        set_nodes = r.mapping(doc.get("sets"), "sets")
        sets = tuple(str(s) for s in set_nodes)
        if doc.get("default_set") not in sets:
            r.fail("default_set", "must name one of the sets")
        years: dict[str, int] = {}
        unconfirmed: dict[str, set[str]] = {}
        citations: dict[str, str] = {}
        for name, node in set_nodes.items():
            node = r.mapping(node, f"sets.{name}")
            r.known_keys(node, {"name_zh", "name_en", "year", "unconfirmed", "citation_en"},
                         f"sets.{name}")
            citations[str(name)] = r.text(node, "citation_en", f"sets.{name}")
            year = node.get("year")
            if not isinstance(year, int) or isinstance(year, bool):
                r.fail(f"sets.{name}.year", "must give the report's year")
                year = 0
            years[str(name)] = year
            unconfirmed[str(name)] = set(node.get("unconfirmed") or ())
        gases: dict[str, Gas] = {}
        for code, node in r.mapping(doc.get("gases"), "gases").items():
            where = f"gases.{code}"
            node = r.mapping(node, where)
            r.known_keys(node, {"name_zh", "group", *sets}, where)
            # null: the report gives no value for the gas (e.g. NF3 in SAR).
            values = {s: r.number(node, s, where) for s in sets
                      if s in node and node[s] is not None}
            for s in sets:
                if s not in node:
                    r.fail(f"{where}.{s}", "missing (write null where the report has no value)")
            gases[str(code)] = Gas(
                str(code), r.text(node, "name_zh", where), r.text(node, "group", where), values,
                {s: _record("gwp", v, unit, meta, str(code) not in unconfirmed[s],
                            id=f"gwp.{s}.{code}", figure="scope1", year=years[s],
                            source=citations[s],
                            gas=str(code), gwp_set=s)
                 for s, v in values.items()})
        for name, codes in unconfirmed.items():
            for code in codes - set(gases):
                r.fail(f"sets.{name}.unconfirmed", f"unknown gas {code}")
        r.raise_if_failed()
        return gases, sets, str(doc.get("default_set")), years, meta

    # plausibility.yaml -----------------------------------------------------------------

    def _plausibility(self, carriers: Mapping[str, Carrier], units: Mapping[str, Unit],
                      aliases: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
        r, doc = self._reader("plausibility.yaml")
        r.known_keys(doc, _META_KEYS | {"per_output", "intensities", "emissions_per_energy",
                                        "override", "electricity_equivalent"}, "")
        meta = self._meta(doc)

        def bounds(node: Any, where: str, keys: tuple[str, ...] = ("low", "high")
                   ) -> dict[str, Decimal | None]:
            node = r.mapping(node, where)
            out: dict[str, Decimal | None] = {}
            for key in keys:
                out[key] = r.number(node, key, where) if key in node else None
            if all(v is None for v in out.values()):
                r.fail(where, "must give at least one bound")
            return out

        per_carrier: dict[str, dict[str, Any]] = {}
        for name, node in r.mapping(doc.get("per_output"), "per_output").items():
            where = f"per_output.{name}"
            node = r.mapping(node, where)
            r.known_keys(node, {"carriers", "unit", "low", "high", "reasoning"}, where)
            r.text(node, "reasoning", where)
            codes = node.get("carriers") or [name]
            for carrier_code in codes:
                carrier = carriers.get(carrier_code)
                if carrier is None:
                    r.fail(f"{where}.carriers", f"unknown carrier {carrier_code}")
                    continue
                if node.get("unit") != carrier.base_unit:
                    r.fail(f"{where}.unit", f"must be the base unit of {carrier_code}")
                # Floats: compared on every evaluation, and only to word a warning.
                per_carrier[carrier_code] = {
                    **{k: None if v is None else float(v)
                       for k, v in bounds(node, where).items()},
                    "unit": carrier.base_unit}
        intensities = {}
        for name, node in r.mapping(doc.get("intensities"), "intensities").items():
            r.text(r.mapping(node, f"intensities.{name}"), "reasoning", f"intensities.{name}")
            intensities[str(name)] = {k: None if v is None else float(v) for k, v in
                                      bounds(node, f"intensities.{name}").items()}
        ratio = r.mapping(doc.get("emissions_per_energy"), "emissions_per_energy")
        r.text(ratio, "reasoning", "emissions_per_energy")
        override = r.mapping(doc.get("override"), "override")
        r.text(override, "reasoning", "override")
        # Every spelling of every unit of every carrier → the range in that unit (and whether
        # the carrier is grid electricity): one look-up per entry on each evaluation.
        per_entry_unit: dict[tuple[str, str], tuple[float | None, float | None, bool]] = {}
        spellings: dict[str, list[str]] = {}
        for alias, unit_code in aliases.items():
            spellings.setdefault(unit_code, []).append(alias)
        for code, carrier in carriers.items():
            bounds_of = per_carrier.get(code, {"low": None, "high": None})
            for unit_code in carrier.units:
                unit = units[unit_code]
                if unit.dimension != carrier.dimension:
                    continue
                to_base = float(unit.to_base)
                entry_bounds = tuple(None if bounds_of[k] is None else bounds_of[k] / to_base
                                     for k in ("low", "high"))
                for spelling in [unit_code, *spellings.get(unit_code, ())]:
                    per_entry_unit[(code, spelling)] = (
                        entry_bounds[0], entry_bounds[1], carrier.is_grid_electricity)
        data = {
            "per_entry_unit": per_entry_unit,
            "per_output": per_carrier,
            "intensities": intensities,
            "emissions_per_energy": {k: None if v is None else float(v) for k, v in
                                     bounds(ratio, "emissions_per_energy").items()},
            "override": bounds(override, "override", ("low_ratio", "high_ratio")),
            "steam_kgce_per_t": bounds(override.get("steam_kgce_per_t"),
                                       "override.steam_kgce_per_t"),
            "electricity_equivalent": bounds(doc.get("electricity_equivalent"),
                                             "electricity_equivalent"),
        }
        for name in ("energy_intensity", "carbon_intensity", "process_emissions"):
            if name not in intensities:
                r.fail(f"intensities.{name}", "missing")
        r.raise_if_failed()
        return data, meta

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
                            id=f"target.{year}.{code}", figure="year_on_year", year=year,
                            target=str(code), name_zh=name_zh, lines=lines))
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
