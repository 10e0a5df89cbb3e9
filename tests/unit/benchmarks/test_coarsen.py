"""Breakdowns that coarsen instead of suppressing: every row reaches the minimum, every
figure counts in at most one row, small groups join their coarser group in order."""

from __future__ import annotations

import random

import pytest

from assessment.benchmarks.coarsen import Cohort, coarsen

MINIMUM = 5


def _items(*groups: tuple[str, str, str, int]) -> list[tuple[Cohort, float]]:
    found = []
    for division, size, province, count in groups:
        found += [(Cohort(division, size, province), 50.0 + i) for i in range(count)]
    return found


@pytest.mark.parametrize("seed", range(20))
def test_every_row_reaches_the_minimum_and_every_figure_counts_once(seed, in_locale):
    rng = random.Random(seed)
    divisions = ("C13", "C17", "C26", "C34", "C35", "C36", "C39")
    provinces = ("11", "13", "32", "33", "35", "44", "51", "65")
    sizes = ("large", "medium", "small", "micro")
    items = [(Cohort(rng.choice(divisions), rng.choice(sizes), rng.choice(provinces)),
              rng.uniform(0, 100)) for _ in range(rng.randint(0, 40))]
    with in_locale("zh_CN"):
        for by in ("industry", "size", "province"):
            found = coarsen(items, by, "zh_CN")
            assert all(len(cell.values) >= MINIMUM for cell in found.cells)
            assert sum(len(cell.values) for cell in found.cells) + found.left_out == len(items)
            # what stays out is what not even the coarsest level could show
            assert found.left_out < MINIMUM


def test_divisions_join_their_group_then_all_manufacturing(in_locale):
    items = _items(("C36", "large", "32", 6), ("C34", "large", "32", 2),
                   ("C35", "large", "32", 3), ("C17", "large", "32", 4), ("C26", "large", "32", 1))
    with in_locale("en"):
        found = coarsen(items, "industry", "en")
    assert [(c.key, c.level, len(c.values)) for c in found.cells] == [
        ("C36", 0, 6), ("equipment", 1, 5), ("*", 2, 5)]
    assert found.cells[1].label.startswith("Equipment (combined: ")
    assert found.coarsened and found.left_out == 0


def test_provinces_join_their_region_and_the_rest_is_counted_out(in_locale):
    items = _items(("C36", "large", "35", 5), ("C36", "large", "32", 2),
                   ("C36", "large", "33", 3), ("C36", "large", "11", 2))
    with in_locale("zh_CN"):
        found = coarsen(items, "province", "zh_CN")
    # Fujian (East China too) has five of its own; its neighbours' five are combined, and
    # the combined row comes after the rows of its region it does not hold
    assert [c.label for c in found.cells] == ["福建省", "华东（合并：江苏省、浙江省）"]
    assert found.left_out == 2  # Beijing's two stay below five even as North China


def test_size_classes_pair_up(in_locale):
    items = _items(("C36", "small", "35", 3), ("C36", "micro", "35", 2),
                   ("C36", "medium", "35", 5))
    with in_locale("en"):
        found = coarsen(items, "size", "en")
    assert {(c.key, len(c.values)) for c in found.cells} == {("medium", 5),
                                                              ("small_micro", 5)}
    nothing = coarsen(_items(("C36", "large", "35", 4)), "size", "en")
    assert nothing.cells == [] and nothing.left_out == 4
