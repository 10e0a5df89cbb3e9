"""Cohort statistics by hand-worked values, ties, and agreement with numpy."""

from __future__ import annotations

import random

import numpy
import pytest

from assessment.benchmarks.stats import (
    distribution,
    mean,
    percentile,
    percentile_rank,
    rank_from_counts,
)


def test_quartiles_of_five_values_fall_on_values() -> None:
    # positions (n-1)p = 1, 2, 3 for the quartiles and median of 5 values
    found = distribution([50, 10, 40, 20, 30])
    assert (found.q1, found.median, found.q3) == (20.0, 30.0, 40.0)
    assert found.n == 5 and found.mean == 30.0
    # p10: position 0.4 between 10 and 20 -> 14; p90: position 3.6 between 40 and 50 -> 46
    assert found.p10 == pytest.approx(14.0)
    assert found.p90 == pytest.approx(46.0)


def test_quartiles_of_four_values_interpolate() -> None:
    # positions 0.75, 1.5, 2.25 in [1, 2, 4, 8]
    found = distribution([8, 1, 4, 2])
    assert found.q1 == pytest.approx(1.75)
    assert found.median == pytest.approx(3.0)
    assert found.q3 == pytest.approx(5.0)


def test_one_value_is_every_percentile() -> None:
    found = distribution([7.5])
    assert found.p10 == found.q1 == found.median == found.q3 == found.p90 == 7.5


def test_no_minimum_or_maximum_is_ever_part_of_a_distribution() -> None:
    published = distribution([1, 2, 3, 4, 5]).as_dict()
    assert set(published) == {"n", "mean", "median", "q1", "q3", "p10", "p90"}


def test_percentile_bounds_and_empty_cohort() -> None:
    assert percentile([1.0, 2.0], 0.0) == 1.0
    assert percentile([1.0, 2.0], 1.0) == 2.0
    with pytest.raises(ValueError):
        percentile([], 0.5)
    with pytest.raises(ValueError):
        percentile([1.0], 1.5)
    with pytest.raises(ValueError):
        mean([])


def test_percentile_rank_is_the_mid_rank() -> None:
    cohort = [10, 20, 30, 40, 50]
    assert percentile_rank(50, cohort) == 90.0  # 4 below, itself equal: (4 + 0.5) / 5
    assert percentile_rank(10, cohort) == 10.0
    assert percentile_rank(30, cohort) == 50.0


def test_percentile_rank_with_ties_counts_half_of_them() -> None:
    cohort = [10, 20, 20, 20, 50]
    assert percentile_rank(20, cohort) == pytest.approx(100 * (1 + 1.5) / 5)
    assert percentile_rank(7, [7, 7, 7, 7, 7]) == 50.0
    assert rank_from_counts(1, 3, 5) == percentile_rank(20, cohort)


@pytest.mark.parametrize("seed", range(5))
def test_agrees_with_numpy_linear_percentiles(seed: int) -> None:
    rng = random.Random(seed)
    values = [rng.uniform(0, 100) for _ in range(rng.randint(1, 300))]
    if seed == 0:
        values += values[:10]  # ties
    found = distribution(values)
    expected = numpy.percentile(values, [10, 25, 50, 75, 90], method="linear")
    got = [found.p10, found.q1, found.median, found.q3, found.p90]
    assert got == pytest.approx(list(expected), rel=1e-12, abs=1e-12)
    assert found.mean == pytest.approx(float(numpy.mean(values)), rel=1e-12)
