"""Year-on-year change of energy and carbon intensity, set against the national targets.

Each year is a mapping ``{"year", "output_value", "energy_tce" | "energy", "emissions_tco2e"
| (computed from "energy" and "process_emissions")}`` — the shape of the evaluate document's
``previous_year`` object; the current year is passed in the same shape by the evaluation.
Intensity = figure / output_value (万元); change % = (current / previous − 1) × 100.
A change at or below the national target of the current year (e.g. −3.5 %) meets it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from indicators.energy.calculator import HUNDRED, calculate_energy, contract_float
from indicators.energy.loader import load_factor_tables
from indicators.energy.tables import (
    FactorTables,
    Target,
    TargetTable,
    to_decimal,
)

MEETS = "meets"
MISSES = "misses"
NO_TARGET = "no_target"
NOT_COMPUTABLE = "not_computable"


@dataclass(frozen=True)
class YearFigures:
    year: int | None
    output_value: Decimal | None
    energy_tce: Decimal | None
    emissions_tco2e: Decimal | None
    factors_used: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class IntensityChange:
    metric: str  # energy_intensity | carbon_intensity
    unit: str
    previous: Decimal | None
    current: Decimal | None
    change_percent: Decimal | None
    target: Target | None
    verdict: str  # meets | misses | no_target | not_computable
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        def number(value: Decimal | None) -> float | None:
            return None if value is None else contract_float(value)

        return {
            "metric": self.metric, "unit": self.unit,
            "previous": number(self.previous), "current": number(self.current),
            "change_percent": number(self.change_percent),
            "target": None if self.target is None else dict(self.target.record),
            "verdict": self.verdict, "reason": self.reason,
        }


@dataclass(frozen=True)
class YearOnYear:
    year: int | None
    previous_year: int | None
    energy_intensity: IntensityChange
    carbon_intensity: IntensityChange
    factors_used: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {"year": self.year, "previous_year": self.previous_year,
                "energy_intensity": self.energy_intensity.as_dict(),
                "carbon_intensity": self.carbon_intensity.as_dict(),
                "factors_used": self.factors_used}


def year_figures(document: Mapping[str, Any], options: Mapping[str, Any] | None = None,
                 tables: FactorTables | None = None, province: str | None = None
                 ) -> YearFigures:
    """The figures of one year: given directly, else computed from its energy list."""

    def optional(key: str) -> Decimal | None:
        value = document.get(key)
        return None if value is None else to_decimal(value)

    energy_tce, emissions, factors = optional("energy_tce"), optional("emissions_tco2e"), []
    if document.get("energy") is not None and (energy_tce is None or emissions is None):
        computed = calculate_energy(document["energy"], document.get("process_emissions"),
                                    document.get("year"), options, tables, province=province)
        factors = computed.factors_used
        # As in the evaluation, a figure given directly wins over the computed one.
        energy_tce = computed.total_tce if energy_tce is None else energy_tce
        emissions = computed.total_tco2e if emissions is None else emissions
    return YearFigures(document.get("year"), optional("output_value"), energy_tce, emissions,
                       factors)


def _change(metric: str, unit: str, previous: YearFigures, current: YearFigures,
            figure: str, targets: TargetTable) -> IntensityChange:
    def intensity(year: YearFigures) -> Decimal | None:
        value = getattr(year, figure)
        if value is None or not year.output_value:
            return None
        return Decimal(value) / year.output_value

    before, now = intensity(previous), intensity(current)
    consecutive = (current.year is not None and previous.year is not None
                   and current.year == previous.year + 1)
    target = targets.for_comparison(metric, current.year) if consecutive else None
    if before is None or now is None or before == 0:
        reason = ("previous intensity is 0" if before == 0
                  else f"{figure} or output_value missing or 0")
        return IntensityChange(metric, unit, before, now, None, target, NOT_COMPUTABLE, reason)
    change = (now / before - 1) * HUNDRED
    if not consecutive:
        return IntensityChange(metric, unit, before, now, change, None, NO_TARGET,
                               "the years are not consecutive: annual targets do not apply")
    if target is None or target.change_percent is None:
        return IntensityChange(metric, unit, before, now, change, None, NO_TARGET,
                               f"no national {metric} target for {current.year}")
    verdict = MEETS if change <= target.change_percent else MISSES
    return IntensityChange(metric, unit, before, now, change, target, verdict)


def compare_with_previous(current: Mapping[str, Any], previous: Mapping[str, Any],
                          targets: TargetTable | None = None, *,
                          options: Mapping[str, Any] | None = None,
                          tables: FactorTables | None = None,
                          province: str | None = None) -> YearOnYear:
    """Change of energy and carbon intensity from ``previous`` to ``current``, with verdicts."""
    tables = tables or load_factor_tables()
    targets = targets or tables.targets
    before = year_figures(previous, options, tables, province)
    now = year_figures(current, options, tables, province)
    return YearOnYear(
        now.year, before.year,
        _change("energy_intensity", "tce/万元", before, now, "energy_tce", targets),
        _change("carbon_intensity", "tCO2e/万元", before, now, "emissions_tco2e", targets),
        before.factors_used + now.factors_used,
    )
