"""Scores from bands, levels from scores, and the inverse (value needed for a score).

Bands are (value, score) anchors joined piecewise linearly and clamped at both ends; the
framework schema guarantees they are monotone in the indicator's direction (and rise up to,
then fall after, the target for a 'target' indicator).
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import pairwise

from indicators.framework.model import Indicator

Bands = tuple[tuple[float, float], ...]


def band_score(bands: Bands, values: tuple[float, ...], x: float) -> tuple[float, int]:
    """Score of x and the index of the band segment used (-1 below, len-1 above)."""
    if x <= values[0]:
        return bands[0][1], -1
    if x >= values[-1]:
        return bands[-1][1], len(bands) - 1
    i = bisect_right(values, x) - 1
    (v0, s0), (v1, s1) = bands[i], bands[i + 1]
    return s0 + (s1 - s0) * (x - v0) / (v1 - v0), i


def value_for_score(
    ind: Indicator, needed: float, current: float, bands: Bands | None = None
) -> float | None:
    """The value at which the indicator first reaches `needed` band score, moving from
    `current` in the better direction; None when the bands never reach it. ``bands``
    replaces the indicator's own (industry-calibrated bands)."""
    bands = ind.bands if bands is None else bands
    if ind.direction == "target" and ind.target is not None:
        target = ind.target
        if current <= target:
            side = tuple(b for b in bands if b[0] <= target)
            return _rising(side, needed)
        side = tuple(b for b in bands if b[0] >= target)
        return _falling(side, needed)
    if ind.direction == "higher":
        return _rising(bands, needed)
    return _falling(bands, needed)


def _rising(bands: Bands, needed: float) -> float | None:
    if bands[0][1] >= needed:
        return bands[0][0]
    for (v0, s0), (v1, s1) in pairwise(bands):
        if s0 < needed <= s1:
            return v0 + (needed - s0) * (v1 - v0) / (s1 - s0)
    return None


def _falling(bands: Bands, needed: float) -> float | None:
    if bands[-1][1] >= needed:
        return bands[-1][0]
    for (v0, s0), (v1, s1) in pairwise(bands):
        if s0 >= needed > s1:
            return v0 + (s0 - needed) * (v1 - v0) / (s0 - s1)
    return None
