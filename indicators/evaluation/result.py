"""The result of one evaluation: per indicator, per dimension, overall; contract output.

Indicator values are at full precision (rounding is for pages and reports); scores are
rounded to one decimal. Aggregation works on the rounded indicator scores (the figures a
user sees), so the contributions in the trace add up to the published dimension and overall scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from indicators.framework.model import Framework
from indicators.problems import Notice


@dataclass(slots=True)
class IndicatorResult:
    code: str
    status: str  # ok | missing | not_applicable | not_computable
    value: float | int | None = None
    score: float | None = None
    level: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    reason: tuple[str, str] | None = None
    method: str | None = None  # level | bands | relative
    segment: int | None = None  # index of the band segment used
    band_score: float | None = None  # before any penalty
    penalty_points: float = 0.0
    percentile_of: int = 0  # cohort size when scored relatively
    note: tuple[str, str] | None = None  # e.g. the fallback from relative to absolute bands
    source: str | None = None  # where a derived input came from (the energy list)
    weight_share: float = 0.0
    contribution: float = 0.0
    # Version-2 scoring: the bands used when they are not the indicator's own (industry
    # calibration), the figure scored when it is not the value (undisclosed shares counted
    # as 0), and the companion figure's band score (trainings held).
    bands: tuple[tuple[float, float], ...] | None = None
    scored_value: float | None = None
    companion_score: float | None = None


@dataclass(slots=True)
class DimensionResult:
    code: str
    score: float | None
    level: int | None
    coverage: float | None
    weight: float
    weight_share: float = 0.0
    contribution: float = 0.0
    exact_score: float | None = None


@dataclass(slots=True)
class OverallResult:
    score: float | None
    level: int | None
    coverage: float | None


@dataclass
class Evaluation:
    """One evaluated document. ``to_contract()`` is the `evaluate` command's output."""

    framework: Framework
    indicators: dict[str, IndicatorResult]
    dimensions: dict[str, DimensionResult]
    overall: OverallResult
    inputs: dict[str, Any]
    document: dict[str, Any]
    energy: dict[str, Any] | None = None
    emissions: dict[str, Any] | None = None
    energy_result: Any = None
    cohorts: dict[str, tuple[float, ...]] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    # Figures that are valid but look wrong (unit slips, factors from an earlier year): shown
    # to the user, never an error. ``Notice.as_dict()`` is the contract's shape.
    warnings: list[Notice] = field(default_factory=list)

    @property
    def factors(self) -> list[dict[str, Any]]:
        """Every factor the computed energy and emissions used (the contract's ``factors``)."""
        return [] if self.energy_result is None else self.energy_result.factors

    def to_contract(self) -> dict[str, Any]:
        indicators: dict[str, Any] = {}
        for code, r in self.indicators.items():
            entry: dict[str, Any] = {
                "value": r.value,
                "unit": self.units[code],
                "status": r.status,
                "score": r.score,
                "level": r.level,
                "details": r.details,
            }
            if r.reason is not None:
                entry["reason"] = {"zh": r.reason[0], "en": r.reason[1]}
            indicators[code] = entry
        out: dict[str, Any] = {
            "framework": {"id": self.framework.id, "version": self.framework.version},
            "indicators": indicators,
            "dimensions": {
                code: {"score": d.score, "level": d.level, "coverage": d.coverage}
                for code, d in self.dimensions.items()
            },
            "overall": {
                "score": self.overall.score,
                "level": self.overall.level,
                "coverage": self.overall.coverage,
            },
        }
        if self.energy is not None:
            out["energy"] = self.energy
        if self.emissions is not None:
            out["emissions"] = self.emissions
        out["warnings"] = [w.as_dict() for w in self.warnings]
        out["factors"] = self.factors
        return out

    @property
    def trace(self) -> dict[str, Any]:
        from indicators.evaluation.trace import build_trace

        return build_trace(self)

    def what_if(self, limit: int = 5) -> list[dict[str, Any]]:
        from indicators.evaluation.whatif import what_if

        return what_if(self, limit=limit)

    @property
    def year_on_year(self) -> Any:
        """Intensity change against ``previous_year`` (None without one)."""
        from indicators.evaluation.energy_link import year_on_year

        return year_on_year(self.document, self.inputs)
