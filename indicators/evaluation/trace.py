"""The explanation trace: for every figure, inputs → formula → value → band → score →
weight → contribution. Contributions of a dimension's indicators add up to the dimension
score, and the dimensions' contributions add up to the overall score.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from indicators.evaluation.result import Evaluation, IndicatorResult
    from indicators.framework.model import Indicator

CONTRIBUTION_DECIMALS = 4


def _plain(value: Any) -> Any:
    if type(value) is Decimal:
        return float(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _band(ind: Indicator, r: IndicatorResult) -> dict[str, Any] | None:
    if r.method != "bands" or r.segment is None:
        return None
    bands = ind.bands if r.bands is None else r.bands
    if r.segment < 0:
        return {"below": list(bands[0]), "clamped": True}
    if r.segment >= len(bands) - 1:
        return {"above": list(bands[-1]), "clamped": True}
    return {"from": list(bands[r.segment]), "to": list(bands[r.segment + 1]), "clamped": False}


def indicator_trace(evaluation: Evaluation, code: str) -> dict[str, Any]:
    fw = evaluation.framework
    ind = fw.indicator(code)
    r = evaluation.indicators[code]
    names = ind.formula.inputs_used(code)
    allowed = 0
    if ind.formula.kind == "count_share":
        allowed = len(fw.inputs[str(ind.formula.input)].allowed)
    entry: dict[str, Any] = {
        "code": code,
        "name_zh": ind.name_zh,
        "name_en": ind.name_en,
        "status": r.status,
        "inputs": {n: _plain(evaluation.inputs.get(n)) for n in names},
        "formula": ind.formula.describe(code, allowed),
        "value": r.value,
        "unit": ind.unit,
        "method": r.method,
        "band": _band(ind, r),
        "band_score": None if r.band_score is None else round(r.band_score, 4),
        "scored_value": r.scored_value,
        "companion_score": r.companion_score,
        "penalty_points": r.penalty_points,
        "score": r.score,
        "level": r.level,
        "weight": ind.weight,
        "weight_share": round(r.weight_share, 6),
        "contribution": round(r.contribution, CONTRIBUTION_DECIMALS),
    }
    if r.source:
        entry["source"] = r.source
    if r.method == "relative":
        entry["cohort_size"] = r.percentile_of
    if r.reason:
        entry["reason"] = {"zh": r.reason[0], "en": r.reason[1]}
    if r.note:
        entry["note"] = {"zh": r.note[0], "en": r.note[1]}
    return entry


def build_trace(evaluation: Evaluation) -> dict[str, Any]:
    fw = evaluation.framework
    dimensions = {}
    for dim in fw.dimensions:
        d = evaluation.dimensions[dim.code]
        dimensions[dim.code] = {
            "score": d.score,
            "exact_score": None if d.exact_score is None else round(d.exact_score, 6),
            "level": d.level,
            "coverage": d.coverage,
            "weight": d.weight,
            "weight_share": round(d.weight_share, 6),
            "contribution": round(d.contribution, CONTRIBUTION_DECIMALS),
            "indicators": [indicator_trace(evaluation, i.code) for i in dim.indicators],
        }
    o = evaluation.overall
    return {
        "framework": {"id": fw.id, "version": fw.version},
        "rules": {
            "dimension_score": "Σ(weight × score) / Σ weight over the ok indicators",
            "overall_score": "Σ(dimension weight × dimension score) / Σ weight over the "
            "scored dimensions",
            "coverage": "weight of ok indicators / weight of applicable indicators",
        },
        "dimensions": dimensions,
        "overall": {"score": o.score, "level": o.level, "coverage": o.coverage},
    }
