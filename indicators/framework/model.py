"""The framework as immutable objects, built once from its validated data file.

Everything here is read-only after loading, so a framework can be shared between threads,
requests and evaluations without copying.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

NUMERIC_TYPES = frozenset({"int", "decimal", "percent"})
INPUT_TYPES = frozenset({"int", "decimal", "percent", "list", "map", "level"})
DIRECTIONS = frozenset({"higher", "lower", "target"})
FORMULA_KINDS = frozenset({"level", "ratio", "count_share", "mean_owned", "mean_of_given", "sum"})


@dataclass(frozen=True, slots=True)
class InputSpec:
    name: str
    type: str
    name_zh: str
    name_en: str
    unit: str = ""
    max_input: str | None = None
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Formula:
    kind: str
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    scale: float = 100.0
    inputs: tuple[str, ...] = ()
    input: str | None = None

    def inputs_used(self, code: str) -> tuple[str, ...]:
        if self.kind == "level":
            return (code,)
        if self.kind == "ratio":
            return self.numerator + self.denominator
        if self.input is not None:
            return (self.input,)
        return self.inputs

    def describe(self, code: str, allowed_count: int = 0) -> str:
        """The formula in words, for traces and `show` (no evaluation happens from this)."""
        if self.kind == "level":
            return f"level({code})"
        if self.kind == "ratio":
            num = " + ".join(self.numerator)
            den = " + ".join(self.denominator)
            num = f"({num})" if len(self.numerator) > 1 else num
            den = f"({den})" if len(self.denominator) > 1 else den
            scale = f" × {self.scale:g}" if self.scale != 1 else ""
            return f"{num} / {den}{scale}"
        if self.kind == "count_share":
            return f"count({self.input}) / {allowed_count} × 100"
        if self.kind == "mean_owned":
            return f"mean of {self.input} over owned types (null = not owned)"
        if self.kind == "mean_of_given":
            return f"mean of the given among {', '.join(self.inputs)}"
        return " + ".join(self.inputs)


@dataclass(frozen=True, slots=True)
class Penalty:
    """Points taken off a score per occurrence (e.g. per security incident)."""

    input: str
    points_each: float
    max_points: float


@dataclass(frozen=True, slots=True)
class Companion:
    """A second figure the score takes in beside the value, e.g. the trainings held beside
    the participations per person: score = (1 - share) × band(value) + share × band(input)."""

    input: str
    share: float
    bands: tuple[tuple[float, float], ...]
    rationale: str


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    dimension: str
    name_zh: str
    name_en: str
    explanation_zh: str
    explanation_en: str
    source_lines: tuple[int, int]
    formula: Formula
    direction: str
    weight: float
    measures: tuple[int, ...]
    unit: str = "1-5"
    decimals: int = 2
    target: float | None = None
    bands: tuple[tuple[float, float], ...] = ()
    rationale: str = ""
    level_descriptors: dict[int, dict[str, str]] = field(default_factory=dict)
    relative: bool = False
    details: tuple[tuple[str, str], ...] = ()
    penalty: Penalty | None = None
    applicable: bool = True
    # Bands chosen per the document's industry from a calibration series
    # (data/calibration/intensity.yaml), e.g. "energy"; None = the indicator's own bands.
    industry_bands: str | None = None
    # mean_of_given: score the mean over all its inputs with an undisclosed one counted as 0,
    # so that leaving a share out never scores higher than giving it.
    undisclosed_as_zero: bool = False
    companion: Companion | None = None

    @property
    def qualitative(self) -> bool:
        return self.formula.kind == "level"


@dataclass(frozen=True, slots=True)
class Dimension:
    code: str
    name_zh: str
    name_en: str
    weight: float
    source_lines: tuple[int, int]
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True, slots=True)
class Level:
    level: int
    name_zh: str
    name_en: str


@dataclass(frozen=True, eq=False)  # identity equality: used as a cache key
class Framework:
    id: str
    version: str
    name_zh: str
    name_en: str
    levels: tuple[Level, ...]
    level_from_score: tuple[tuple[float, int], ...]  # (lowest score, level), ascending
    level_scores: dict[int, float]
    min_cohort_size: int
    inputs: dict[str, InputSpec]
    dimensions: tuple[Dimension, ...]
    path: str = ""
    base: tuple[str, str] | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def indicators(self) -> dict[str, Indicator]:
        return {i.code: i for d in self.dimensions for i in d.indicators}

    def indicator(self, code: str) -> Indicator:
        for dim in self.dimensions:
            for ind in dim.indicators:
                if ind.code == code:
                    return ind
        raise KeyError(code)

    def level_for(self, score: float) -> int:
        # Hot path (once per indicator per evaluation): bisect on the precomputed bounds.
        index = bisect_right(self._level_bounds, score) - 1
        return self.level_from_score[max(index, 0)][1]

    @functools.cached_property
    def _level_bounds(self) -> tuple[float, ...]:
        return tuple(lowest for lowest, _ in self.level_from_score)

    def lowest_score_of(self, level: int) -> float | None:
        for lowest, lvl in self.level_from_score:
            if lvl == level:
                return lowest
        return None

    def level_name(self, level: int, lang: str = "zh") -> str:
        for lv in self.levels:
            if lv.level == level:
                return lv.name_en if lang.startswith("en") else lv.name_zh
        return str(level)
