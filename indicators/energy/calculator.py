"""Energy (tce) and emissions (tCO2e) of an energy list plus process emissions.

Method (see docs/energy-and-carbon.md):
- energy: quantity × unit conversion × kgce per base unit / 1000, or quantity ×
  kgce_per_unit / 1000 when the entry gives its own coefficient (per the entry's unit);
- scope 1: fuels burned on site × combustion factor (from NCV, carbon content and oxidation
  rate) plus process emissions (tonnes of gas × GWP);
- scope 2: purchased grid electricity × grid factor of the year; purchased heat and steam ×
  heat factor; certified or on-site renewable electricity counts zero (market-based method).
One calorific value per carrier: a fuel's CO2 is its energy in kgce × the carrier's tCO2 per
kgce, so an entry's own ``kgce_per_unit`` changes both figures in proportion.
Arithmetic is exact Decimal; every factor applied is listed in ``factors_used`` (and, in the
contract's shape, in ``factors``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from types import MappingProxyType
from typing import Any

from indicators.energy.loader import CONTRACT_FACTOR_KEYS, load_factor_tables
from indicators.energy.tables import KG_PER_TONNE, FactorTables, GridChoice, to_decimal
from indicators.energy.validation import RENEWABLE_SOURCES, validate_energy
from indicators.problems import InvalidInput, Notice

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def contract_float(value: Decimal) -> float:
    """The contract carries values at full precision (rounding is for pages and reports)."""
    return float(value)


class _FactorLog:
    """Collects each factor once, with the entries it was applied to.

    Records are kept as given (shared, precomputed at table load, or a builder for those
    that depend on the input) and turned into ``factors_used`` dicts only when asked for:
    most evaluations never read them.
    """

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: dict[Any, tuple[Mapping[str, Any] | Callable[[], Mapping[str, Any]],
                                       list[str]]] = {}

    def use(self, key: Any, record: Mapping[str, Any] | Callable[[], Mapping[str, Any]],
            where: str) -> None:
        entry = self._entries.get(key)
        if entry is None:
            self._entries[key] = (record, [where])
        else:
            entry[1].append(where)

    def records(self) -> list[dict[str, Any]]:
        return [{**(record() if callable(record) else record), "applies_to": list(where)}
                for record, where in self._entries.values()]

    def contract(self) -> list[dict[str, Any]]:
        out = []
        cache = _CONTRACT_FACTORS
        for record, _where in self._entries.values():
            # Shared records live as long as the tables: each is projected once.
            cached = cache.get(id(record))
            if cached is not None and cached[0] is record:
                out.append(cached[1].copy())
            elif callable(record):
                out.append(_contract_factor(record()))
            else:
                cached = cache[id(record)] = (record, _contract_factor(record))
                out.append(cached[1].copy())
        return out


_CONTRACT_FACTORS: dict[int, tuple[Mapping[str, Any], dict[str, Any]]] = {}


def _contract_factor(record: Mapping[str, Any]) -> dict[str, Any]:
    entry = {key: record.get(key) for key in CONTRACT_FACTOR_KEYS}
    entry["applies_to"] = record.get("figure")
    return entry


@dataclass
class EnergyResult:
    """Energy and emissions of one reporting year, with the factors they used."""

    total_tce: Decimal = ZERO
    by_carrier: dict[str, Decimal] = field(default_factory=dict)
    # scope1 includes the process emissions (direct emissions of the enterprise), also
    # reported alone in ``process``.
    scope1: Decimal = ZERO
    scope2: Decimal = ZERO
    process: Decimal = ZERO
    total_tco2e: Decimal = ZERO
    non_fossil_share: Decimal | None = None
    # The grid factor used for purchased electricity (None when there was none).
    grid: GridChoice | None = None
    # Factors taken from another year or level than asked (fallbacks), as warnings.
    notices: list[Notice] = field(default_factory=list)
    _log: _FactorLog | None = field(default=None, repr=False, compare=False)
    _factors: list[dict[str, Any]] | None = field(default=None, repr=False, compare=False)

    @property
    def factors_used(self) -> list[dict[str, Any]]:
        """Every factor applied, once, with source, version, confirmed and ``applies_to``
        (the entries it was applied to)."""
        if self._factors is None:
            self._factors = [] if self._log is None else self._log.records()
        return self._factors

    @property
    def factors(self) -> list[dict[str, Any]]:
        """Every factor applied, in the contract's shape (``applies_to`` = energy, scope1,
        scope2)."""
        return [] if self._log is None else self._log.contract()

    def energy_contract(self) -> dict[str, Any]:
        return {"total_tce": contract_float(self.total_tce),
                "by_carrier": {code: contract_float(v) for code, v in self.by_carrier.items()}}

    def emissions_contract(self) -> dict[str, float]:
        return {"total_tco2e": contract_float(self.total_tco2e),
                "scope1": contract_float(self.scope1),
                "scope2": contract_float(self.scope2)}

    def as_dict(self) -> dict[str, Any]:
        """Everything, for reports and audit: contract figures plus process, share, factors."""
        return {
            "energy": self.energy_contract(),
            "emissions": {**self.emissions_contract(), "process": contract_float(self.process)},
            "non_fossil_share": (None if self.non_fossil_share is None
                                 else contract_float(self.non_fossil_share)),
            "factors_used": self.factors_used,
        }


# Records that depend on the input, built only when factors_used is read.
def _override_record(carrier: str, kgce_per_unit: Decimal, unit_code: str, where: str,
                     year: int | None) -> dict[str, Any]:
    return {"id": f"input.{where}.kgce_per_unit", "what": "standard_coal_coefficient",
            "figure": "energy", "carrier": carrier,
            "value": float(kgce_per_unit), "unit": f"kgce/{unit_code}", "year": year,
            "source": f"stated by the enterprise ({where}.kgce_per_unit)", "version": None,
            "confirmed": False, "fallback": False, "note": "stated by the enterprise"}


def _override_emission_record(base: Mapping[str, Any], tco2_per_unit: Decimal,
                              unit_code: str, where: str) -> dict[str, Any]:
    """The combustion (or heat) factor of an entry with its own coefficient: same carbon
    content and oxidation rate, the entry's calorific value."""
    return {**base, "id": f"{base['id']}.{where}", "value": float(tco2_per_unit),
            "unit": f"tCO2/{unit_code}", "confirmed": False,
            "note": f"calorific value from {where}.kgce_per_unit"}


def _equivalent_record(carrier: str, kgce_per_kwh: Decimal, year: int | None
                       ) -> dict[str, Any]:
    return {"id": "input.options.electricity_equivalent_kgce_per_kwh",
            "what": "electricity_equivalent_coefficient", "figure": "energy",
            "carrier": carrier, "value": float(kgce_per_kwh), "unit": "kgce/kWh", "year": year,
            "source": "stated by the enterprise (options.electricity_equivalent_kgce_per_kwh)",
            "version": None, "confirmed": False, "fallback": False,
            "note": "equivalent value (等价值) stated by the enterprise"}


RENEWABLE_RECORD: Mapping[str, Any] = MappingProxyType({
    "id": "grid.renewable", "what": "grid_emission_factor", "figure": "scope2",
    "value": 0.0, "unit": "tCO2/MWh", "year": None,
    "source": "market-based method: certified (绿证/绿电) or on-site renewable "
              "electricity carries no scope-2 emissions",
    "version": None, "confirmed": True, "fallback": False})


@dataclass(frozen=True)
class _Options:
    gwp_set: str
    equivalent_electricity: bool
    equivalent_kgce_per_kwh: Decimal | None
    grid_series: str
    grid_basis: str

    @classmethod
    def read(cls, options: Mapping[str, Any] | None, tables: FactorTables,
             province: str | None) -> _Options:
        options = options or {}
        value = options.get("electricity_equivalent_kgce_per_kwh")
        return cls(
            gwp_set=options.get("gwp_set", tables.default_gwp_set),
            equivalent_electricity=options.get("electricity_basis") == "equivalent",
            equivalent_kgce_per_kwh=None if value is None else to_decimal(value),
            grid_series=options.get("grid_series", tables.default_grid_series),
            grid_basis=options.get("grid_factor_basis",
                                   "province" if province else "national"),
        )


def _grid(tables: FactorTables, options: _Options, province: str | None, year: int | None
          ) -> tuple[GridChoice, Mapping[str, Any] | Callable[[], Mapping[str, Any]],
                     list[Notice]]:
    """The grid factor, its record (marked when it is a fallback) and the warnings to show."""
    from indicators.energy.plausibility import grid_fallback_notices

    choice = tables.choose_grid_factor(options.grid_series, options.grid_basis, province,
                                       year)
    if not choice.fallback:
        return choice, choice.factor.record, []
    notices = grid_fallback_notices(tables, options.grid_series, choice, province)
    # Built when read (a callable), like the other records that depend on the input.
    record: Callable[[], Mapping[str, Any]] = partial(
        dict, choice.factor.record, fallback=True, reporting_year=year, basis=choice.basis,
        note=notices[0].message_en)
    return choice, record, notices


def calculate_energy(energy: Sequence[Mapping[str, Any]] | None,
                     process_emissions: Sequence[Mapping[str, Any]] | None,
                     year: int | None, options: Mapping[str, Any] | None = None,
                     tables: FactorTables | None = None, *, validated: bool = False,
                     province: str | None = None) -> EnergyResult:
    """Energy and emissions of ``energy`` and ``process_emissions`` in reporting ``year``.

    ``province`` (GB/T 2260 six-digit code) chooses the grid factor with
    ``options.grid_factor_basis`` (province by default when given, region, national).

    Raises InvalidInput with every problem when the input does not validate.
    ``validated=True`` skips that check: for callers that have just run ``validate_energy``
    on the same arguments and got no problem (the evaluation does).
    """
    tables = tables or load_factor_tables()
    if not validated:
        problems = validate_energy(energy, process_emissions, options, tables=tables,
                                   province=province)
        if problems:
            raise InvalidInput(problems)
    opts = _Options.read(options, tables, province)
    result = EnergyResult()
    log = _FactorLog()
    result._log = log
    non_fossil_tce: Decimal | None = None
    grid_record: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None

    for index, entry in enumerate(energy or ()):
        where = f"energy[{index}]"
        carrier = tables.carriers[entry["carrier"]]
        unit_code = tables.unit_code(entry["unit"])
        assert unit_code is not None  # validated above
        quantity = to_decimal(entry["quantity"])
        override = entry.get("kgce_per_unit")

        # Energy in tonnes of standard coal.
        if override is not None:
            kgce_per_unit = to_decimal(override)
            tce = quantity * kgce_per_unit / KG_PER_TONNE
            log.use(("override", where),
                    partial(_override_record, carrier.code, kgce_per_unit, unit_code, where,
                            year),
                    where)
        elif carrier.is_grid_electricity and opts.equivalent_electricity:
            assert opts.equivalent_kgce_per_kwh is not None  # validated above
            kgce_per_unit = opts.equivalent_kgce_per_kwh * tables.units[unit_code].to_base
            tce = quantity * kgce_per_unit / KG_PER_TONNE
            log.use("equivalent",
                    partial(_equivalent_record, carrier.code, opts.equivalent_kgce_per_kwh,
                            year),
                    where)
        else:
            kgce_per_unit = None
            tce = quantity * carrier.tce_per_unit[unit_code]
            log.use(carrier.code, carrier.coefficient_record, where)
        result.by_carrier[carrier.code] = result.by_carrier.get(carrier.code, ZERO) + tce
        result.total_tce += tce

        # Emissions in tonnes of CO2.
        if carrier.is_grid_electricity:
            if entry.get("source", "grid") in RENEWABLE_SOURCES:
                non_fossil_tce = (non_fossil_tce or ZERO) + tce
                log.use("renewable", RENEWABLE_RECORD, where)
            else:
                if result.grid is None:
                    result.grid, grid_record, notices = _grid(tables, opts, province, year)
                    result.notices.extend(notices)
                assert grid_record is not None
                kwh = quantity * tables.units[unit_code].to_base
                result.scope2 += kwh * result.grid.factor.kg_co2_per_kwh / KG_PER_TONNE
                log.use("grid", grid_record, where)
        else:
            assert carrier.emission_record is not None and carrier.tco2_per_kgce is not None
            if override is None:
                tco2 = quantity * carrier.tco2_per_unit[unit_code]
                log.use(("emission", carrier.code), carrier.emission_record, where)
            else:
                # One calorific value: the entry's own coefficient scales its CO2 too (steam
                # in tonnes: its heat follows from the stated kgce and the heat coefficient).
                assert kgce_per_unit is not None
                per_unit = kgce_per_unit * carrier.tco2_per_kgce
                tco2 = quantity * per_unit
                log.use(("emission", where),
                        partial(_override_emission_record, carrier.emission_record, per_unit,
                                unit_code, where), where)
            if carrier.scope == 1:
                result.scope1 += tco2
            else:
                result.scope2 += tco2

    for index, entry in enumerate(process_emissions or ()):
        where = f"process_emissions[{index}]"
        gas = tables.gases[entry["gas"]]
        result.process += to_decimal(entry["tonnes"]) * gas.gwp[opts.gwp_set]
        log.use(("gwp", gas.code), gas.records[opts.gwp_set], where)

    result.scope1 += result.process
    result.total_tco2e = result.scope1 + result.scope2
    if non_fossil_tce is not None and result.total_tce:
        result.non_fossil_share = non_fossil_tce / result.total_tce * HUNDRED
    return result
