"""Relative scoring: a value's percentile rank within a peer cohort.

The guide says the resource sharing index is to be compared only within an industry and
normalised before scoring (annex 1, notes 3 and 4, seed lines 5956-5960). A percentile
rank is that normalisation: it turns any scale into 0-100 by position among peers.

Mid-rank convention: peers strictly worse count fully, ties count half, so a value equal to
every peer scores 50 and the score never depends on the order of the cohort.
"""

from __future__ import annotations

from indicators.framework.model import Indicator


def badness(ind: Indicator, value: float) -> float:
    """A number that is smaller the better the value is, for any direction."""
    if ind.direction == "higher":
        return -value
    if ind.direction == "lower":
        return value
    return abs(value - (ind.target or 0.0))


def percentile_score(ind: Indicator, value: float, cohort: tuple[float, ...]) -> float:
    mine = badness(ind, value)
    worse = ties = 0
    for peer in cohort:
        theirs = badness(ind, peer)
        if theirs > mine:
            worse += 1
        elif theirs == mine:
            ties += 1
    return 100.0 * (worse + 0.5 * ties) / len(cohort)


def value_for_percentile(
    ind: Indicator, needed: float, current: float, cohort: tuple[float, ...]
) -> float | None:
    """The nearest peer value (in the better direction) whose percentile reaches `needed`."""
    candidates = sorted(set(cohort), key=lambda v: badness(ind, v), reverse=True)
    for value in candidates:
        if badness(ind, value) <= badness(ind, current) and percentile_score(
            ind, value, cohort
        ) >= needed:
            return value
    return None
