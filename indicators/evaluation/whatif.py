"""What-if: for the weakest indicators, what reaching the next level would be worth.

For each scored indicator below the top level (weakest first), the score of the next
level's lower bound, the value that reaches it (from the bands, the cohort, or the next
level itself for a qualitative indicator) and the resulting gain in its dimension and
overall score, all other figures held constant.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from indicators.evaluation.relative import value_for_percentile
from indicators.evaluation.scoring import value_for_score

if TYPE_CHECKING:
    from indicators.evaluation.result import Evaluation
    from indicators.framework.model import Indicator


def _dimension_score_with(evaluation: Evaluation, dim_code: str, code: str, score: float) -> float:
    fw = evaluation.framework
    total = weighted = 0.0
    for ind in next(d for d in fw.dimensions if d.code == dim_code).indicators:
        r = evaluation.indicators[ind.code]
        if r.status != "ok":
            continue
        s = score if ind.code == code else (r.score or 0.0)
        total += ind.weight
        weighted += ind.weight * s
    return weighted / total


def _overall_with(evaluation: Evaluation, dim_code: str, dim_score: float) -> float | None:
    total = weighted = 0.0
    for code, d in evaluation.dimensions.items():
        if d.score is None:
            continue
        s = dim_score if code == dim_code else d.score
        total += d.weight
        weighted += d.weight * s
    return weighted / total if total else None


def _round_towards_better(ind: Indicator, value: float, current: float) -> float:
    """Round so that reaching the rounded value really reaches the level."""
    factor = 10**ind.decimals
    rising = ind.direction == "higher" or (
        ind.direction == "target" and ind.target is not None and current <= ind.target
    )
    scaled = round(value * factor, 6)  # drop float noise before ceil/floor
    return (math.ceil(scaled) if rising else math.floor(scaled)) / factor


def what_if(evaluation: Evaluation, limit: int = 5) -> list[dict[str, Any]]:
    fw = evaluation.framework
    top_level = fw.levels[-1].level
    scored = [
        (r.score, code)
        for code, r in evaluation.indicators.items()
        if r.status == "ok" and r.level is not None and r.level < top_level
    ]
    scored.sort()
    out = []
    for _score, code in scored[:limit]:
        r = evaluation.indicators[code]
        ind = fw.indicator(code)
        assert r.level is not None and r.score is not None and r.value is not None
        next_level = r.level + 1
        if ind.qualitative:
            needed_score = fw.level_scores[next_level]
            value_needed: float | None = next_level
        else:
            needed_score = fw.lowest_score_of(next_level) or 0.0
            band_needed = needed_score + r.penalty_points
            if ind.companion is not None and r.companion_score is not None:
                # The companion figure held constant: what the value's own band must give.
                share = ind.companion.share
                band_needed = (band_needed - share * r.companion_score) / (1 - share)
            current = float(r.value) if r.scored_value is None else r.scored_value
            if r.method == "relative":
                value_needed = value_for_percentile(
                    ind, band_needed, current, evaluation.cohorts[code]
                )
            else:
                value_needed = value_for_score(ind, band_needed, current, r.bands)
            if value_needed is not None and r.scored_value:
                # Scored on the mean over all shares (undisclosed as 0): the value (mean of
                # the given shares) that reaches it with the same shares disclosed.
                value_needed = value_needed * float(r.value) / r.scored_value
            if value_needed is not None:
                value_needed = _round_towards_better(ind, value_needed, float(r.value))
        dim = evaluation.dimensions[ind.dimension]
        # Gains between published (rounded) figures, as a user would see them change.
        new_dim = round(_dimension_score_with(evaluation, ind.dimension, code, needed_score), 1)
        new_overall = _overall_with(evaluation, ind.dimension, new_dim)
        old_overall = evaluation.overall.score or 0.0
        out.append(
            {
                "code": code,
                "name_zh": ind.name_zh,
                "name_en": ind.name_en,
                "value": r.value,
                "unit": ind.unit,
                "score": r.score,
                "level": r.level,
                "next_level": next_level,
                "score_needed": needed_score,
                "value_needed": value_needed,
                "dimension": ind.dimension,
                "dimension_gain": round(new_dim - (dim.score or 0.0), 1),
                "overall_gain": None
                if new_overall is None
                else round(round(new_overall, 1) - old_overall, 1),
            }
        )
    return out
