"""Pure statistics of a benchmark cohort: no database, no Flask.

Definitions (the SQL path in :mod:`assessment.benchmarks.queries` computes the same):

- Percentile ``p`` (a fraction, 0-1) with linear interpolation, as PostgreSQL's
  ``percentile_cont`` and ``numpy.percentile(method="linear")``: sort the ``n`` values, take
  the position ``(n - 1) * p`` counted from 0, and interpolate between the two values
  around it: ``lo + (hi - lo) * fraction``.
- Quartiles are the percentiles 0.25 and 0.75; the median is 0.5; p10 and p90 are 0.1
  and 0.9. Minimum and maximum are deliberately absent: they are one enterprise's figure.
- Mean: the arithmetic mean.
- Percentile rank of a value ``x`` in a cohort: the share of cohort values strictly below
  ``x`` plus half the share equal to it, times 100 (the "mid-rank" definition). A value
  equal to every other scores 50; the best of 5 distinct values scores 90, the worst 10.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

PERCENTILES = {"p10": 0.1, "q1": 0.25, "median": 0.5, "q3": 0.75, "p90": 0.9}


@dataclass(frozen=True)
class Distribution:
    """The published summary of one cohort's figures (never the minimum or maximum)."""

    n: int
    mean: float
    median: float
    q1: float
    q3: float
    p10: float
    p90: float

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """``percentile_cont(fraction)`` of values already sorted ascending (at least one)."""
    if not sorted_values:
        raise ValueError("percentile of an empty cohort")
    if not 0.0 <= fraction <= 1.0:
        raise ValueError("fraction must lie in [0, 1]")
    position = (len(sorted_values) - 1) * fraction
    lower = math.floor(position)
    upper = math.ceil(position)
    lo, hi = float(sorted_values[lower]), float(sorted_values[upper])
    if lower == upper:
        return lo
    # The same arithmetic as PostgreSQL's float8 interpolation, so that both paths agree.
    return lo + (hi - lo) * (position - lower)


def mean(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("mean of an empty cohort")
    return math.fsum(values) / len(values)


def distribution(values: Sequence[float]) -> Distribution:
    """Summary of a cohort's values (None values must be removed by the caller)."""
    ordered = sorted(float(v) for v in values)
    quantiles = {name: percentile(ordered, p) for name, p in PERCENTILES.items()}
    return Distribution(n=len(ordered), mean=mean(ordered), **quantiles)


def percentile_rank(value: float, cohort: Sequence[float]) -> float:
    """Mid-rank percentile of ``value`` in ``cohort`` (``cohort`` should include it)."""
    if not cohort:
        raise ValueError("percentile rank in an empty cohort")
    below = sum(1 for v in cohort if v < value)
    equal = sum(1 for v in cohort if v == value)
    return rank_from_counts(below, equal, len(cohort))


def rank_from_counts(below: int, equal: int, n: int) -> float:
    """The mid-rank from counts, shared by the SQL and the Python paths."""
    return 100.0 * (below + 0.5 * equal) / n
