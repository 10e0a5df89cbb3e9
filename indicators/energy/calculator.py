"""Energy (tce) and emissions (tCO2e) of an energy list plus process emissions.

Method (see docs/energy-and-carbon.md):
- energy: quantity × unit conversion × kgce per base unit / 1000, or quantity ×
  kgce_per_unit / 1000 when the entry gives its own coefficient (per the entry's unit);
- scope 1: fuels burned on site × combustion factor (from NCV, carbon content and oxidation
  rate) plus process emissions (tonnes of gas × GWP);
- scope 2: purchased grid electricity × grid factor of the year; purchased heat and steam ×
  heat factor; certified or on-site renewable electricity counts zero (market-based method).
Arithmetic is exact Decimal; every factor applied is listed in ``factors_used``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from types import MappingProxyType
from typing import Any

from indicators.energy.loader import load_factor_tables
from indicators.energy.tables import KG_PER_TONNE, FactorTables, to_decimal
from indicators.energy.validation import RENEWABLE_SOURCES, validate_energy
from indicators.problems import InvalidInput

# The public contract carries floats; six decimals keep a gram of CO2 and a gram of
# standard coal while hiding the tails of 44/12.
CONTRACT_QUANTUM = Decimal("0.000001")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def contract_float(value: Decimal) -> float:
    return float(value.quantize(CONTRACT_QUANTUM))


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
    _log: _FactorLog | None = field(default=None, repr=False, compare=False)
    _factors: list[dict[str, Any]] | None = field(default=None, repr=False, compare=False)

    @property
    def factors_used(self) -> list[dict[str, Any]]:
        """Every factor applied, once, with source, version, confirmed and ``applies_to``."""
        if self._factors is None:
            self._factors = [] if self._log is None else self._log.records()
        return self._factors

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
def _override_record(carrier: str, kgce_per_unit: Decimal, unit_code: str, where: str
                     ) -> dict[str, Any]:
    return {"what": "standard_coal_coefficient", "carrier": carrier,
            "value": float(kgce_per_unit), "unit": f"kgce/{unit_code}",
            "source": f"input: {where}.kgce_per_unit", "version": None,
            "confirmed": False, "note": "stated by the enterprise"}


def _equivalent_record(carrier: str, kgce_per_kwh: Decimal) -> dict[str, Any]:
    return {"what": "electricity_equivalent_coefficient", "carrier": carrier,
            "value": float(kgce_per_kwh), "unit": "kgce/kWh",
            "source": "input: options.electricity_equivalent_kgce_per_kwh",
            "version": None, "confirmed": False,
            "note": "equivalent value (等价值) stated by the enterprise"}


RENEWABLE_RECORD: Mapping[str, Any] = MappingProxyType({
    "what": "grid_emission_factor", "value": 0.0, "unit": "kgCO2/kWh",
    "source": "market-based method: certified (绿证/绿电) or on-site renewable "
              "electricity carries no scope-2 emissions",
    "version": None, "confirmed": True})


@dataclass(frozen=True)
class _Options:
    gwp_set: str
    equivalent_electricity: bool
    equivalent_kgce_per_kwh: Decimal | None
    grid_series: str

    @classmethod
    def read(cls, options: Mapping[str, Any] | None, tables: FactorTables) -> _Options:
        options = options or {}
        value = options.get("electricity_equivalent_kgce_per_kwh")
        return cls(
            gwp_set=options.get("gwp_set", tables.default_gwp_set),
            equivalent_electricity=options.get("electricity_basis") == "equivalent",
            equivalent_kgce_per_kwh=None if value is None else to_decimal(value),
            grid_series=options.get("grid_series", tables.default_grid_series),
        )


def _grid_record(tables: FactorTables, options: _Options, year: int | None
                 ) -> tuple[Decimal, Mapping[str, Any]]:
    factor, fallback = tables.grid_factor(options.grid_series, year)
    if not fallback:
        return factor.kg_co2_per_kwh, factor.record
    asked = "no reporting year" if year is None else f"no published factor for {year}"
    return factor.kg_co2_per_kwh, {
        **factor.record, "fallback": True, "reporting_year": year,
        "note": f"{asked} in series {options.grid_series}; latest published data year "
                f"{factor.data_year} used",
    }


def calculate_energy(energy: Sequence[Mapping[str, Any]] | None,
                     process_emissions: Sequence[Mapping[str, Any]] | None,
                     year: int | None, options: Mapping[str, Any] | None = None,
                     tables: FactorTables | None = None, *, validated: bool = False
                     ) -> EnergyResult:
    """Energy and emissions of ``energy`` and ``process_emissions`` in reporting ``year``.

    Raises InvalidInput with every problem when the input does not validate.
    ``validated=True`` skips that check: for callers that have just run ``validate_energy``
    on the same arguments and got no problem (the evaluation does).
    """
    tables = tables or load_factor_tables()
    if not validated:
        problems = validate_energy(energy, process_emissions, options, tables=tables)
        if problems:
            raise InvalidInput(problems)
    opts = _Options.read(options, tables)
    result = EnergyResult()
    log = _FactorLog()
    result._log = log
    non_fossil_tce: Decimal | None = None
    grid: tuple[Decimal, Mapping[str, Any]] | None = None

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
                    partial(_override_record, carrier.code, kgce_per_unit, unit_code, where),
                    where)
        elif carrier.is_grid_electricity and opts.equivalent_electricity:
            assert opts.equivalent_kgce_per_kwh is not None  # validated above
            kgce_per_unit = opts.equivalent_kgce_per_kwh * tables.units[unit_code].to_base
            tce = quantity * kgce_per_unit / KG_PER_TONNE
            log.use("equivalent",
                    partial(_equivalent_record, carrier.code, opts.equivalent_kgce_per_kwh),
                    where)
        else:
            kgce_per_unit = None
            tce = quantity * carrier.tce_per_unit[unit_code]
            log.use(carrier.code, carrier.coefficient_record, where)
        result.by_carrier[carrier.code] = result.by_carrier.get(carrier.code, ZERO) + tce
        result.total_tce += tce

        # Emissions in tonnes of CO2.
        if carrier.scope == 1:
            assert carrier.emission_record is not None
            result.scope1 += quantity * carrier.tco2_per_unit[unit_code]
            log.use(("emission", carrier.code), carrier.emission_record, where)
        elif carrier.is_grid_electricity:
            if entry.get("source", "grid") in RENEWABLE_SOURCES:
                non_fossil_tce = (non_fossil_tce or ZERO) + tce
                log.use("renewable", RENEWABLE_RECORD, where)
            else:
                grid = grid or _grid_record(tables, opts, year)
                kwh = quantity * tables.units[unit_code].to_base
                result.scope2 += kwh * grid[0] / KG_PER_TONNE
                log.use("grid", grid[1], where)
        else:
            assert carrier.emission_record is not None
            if unit_code in carrier.tco2_per_unit:
                result.scope2 += quantity * carrier.tco2_per_unit[unit_code]
            else:
                # Steam in tonnes: its heat follows from the stated kgce and the heat coefficient.
                assert kgce_per_unit is not None  # validated above
                heat_in_base_unit = quantity * kgce_per_unit / carrier.kgce_per_base_unit
                result.scope2 += heat_in_base_unit * carrier.tco2_per_unit[carrier.base_unit]
            log.use(("emission", carrier.code), carrier.emission_record, where)

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
