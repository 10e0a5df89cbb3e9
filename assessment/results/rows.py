"""The results page's rows, in the reader's language (no figure is computed here: each one is
read from the engine's output, the trace or the what-if)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import gettext as _

from assessment.assessments import queries
from assessment.assessments.models import Confidence
from assessment.results.charts import Series, radar_svg
from assessment.results.services import AssessmentResults
from assessment.wording import codes_in_words


@dataclass
class IndicatorRow:
    code: str
    name: str
    dimension: str
    value: Any
    unit: str
    score: float | None
    level: int | None
    level_name: str
    status: str
    reason: str
    confidence: str
    previous_score: float | None
    delta: float | None
    trace: dict[str, Any] | None
    evidence_count: int = 0
    details: dict[str, Any] = field(default_factory=dict)
    na_reason: str = ""  # the enterprise's own words, when it declared the indicator N/A


@dataclass
class DimensionRow:
    code: str
    name: str
    score: float | None
    level: int | None
    level_name: str
    coverage: float | None
    previous_score: float | None
    delta: float | None
    contribution: float | None
    indicators: list[IndicatorRow]


def _delta(now: float | None, before: float | None) -> float | None:
    if now is None or before is None:
        return None
    return round(float(now) - float(before), 1)


def _shown_value(value: Any, decimals: int) -> Any:
    """An indicator's value as the page shows it: the contract gives full precision, the page
    rounds half-up to the indicator's decimals."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP))


def _text(pair: Any, lang: str) -> str:
    if isinstance(pair, dict):
        return str(pair.get(lang) or pair.get("zh") or "")
    return ""


def dimension_rows(found: AssessmentResults, lang: str,
                   evidence_counts: dict[str, int] | None = None,
                   na_reasons: dict[str, str] | None = None) -> list[DimensionRow]:
    framework = found.framework
    results = found.results
    previous = found.previous.results if found.previous else None
    trace = found.trace or {}
    rows = []
    for dimension in framework.dimensions:
        figure = results["dimensions"].get(dimension.code, {})
        dim_trace = trace.get("dimensions", {}).get(dimension.code, {})
        traces = {t["code"]: t for t in dim_trace.get("indicators", [])}
        before = previous["dimensions"].get(dimension.code, {}) if previous else {}
        indicators = []
        for indicator in dimension.indicators:
            entry = results["indicators"].get(indicator.code, {})
            prior = previous["indicators"].get(indicator.code, {}) if previous else {}
            level = entry.get("level")
            indicators.append(IndicatorRow(
                code=indicator.code,
                name=indicator.name_en if lang == "en" else indicator.name_zh,
                dimension=dimension.code,
                value=_shown_value(entry.get("value"), indicator.decimals),
                unit=entry.get("unit", indicator.unit),  # the template shows unit_label(...)
                score=entry.get("score"),
                level=level,
                level_name=framework.level_name(level, lang) if level else "",
                status=entry.get("status", "missing"),
                reason=codes_in_words(framework, _text(entry.get("reason"), lang), lang),
                confidence=found.confidence.get(indicator.code, Confidence.self_declared),
                previous_score=prior.get("score"),
                delta=_delta(entry.get("score"), prior.get("score")),
                trace=traces.get(indicator.code),
                evidence_count=(evidence_counts or {}).get(indicator.code, 0),
                details=entry.get("details") or {},
                na_reason=(na_reasons or {}).get(indicator.code, "")
                if entry.get("status") == "not_applicable" else "",
            ))
        level = figure.get("level")
        rows.append(DimensionRow(
            code=dimension.code,
            name=dimension.name_en if lang == "en" else dimension.name_zh,
            score=figure.get("score"),
            level=level,
            level_name=framework.level_name(level, lang) if level else "",
            coverage=figure.get("coverage"),
            previous_score=before.get("score"),
            delta=_delta(figure.get("score"), before.get("score")),
            contribution=dim_trace.get("contribution"),
            indicators=indicators,
        ))
    return rows


def na_reasons(assessment_id: uuid.UUID) -> dict[str, str]:
    """Why the enterprise declared each indicator not applicable (its current declaration;
    a finalised revision keeps which indicators, the reason lives with the declaration)."""
    return {s.code: s.na_reason for s in queries.indicator_states(assessment_id)
            if s.not_applicable and s.na_reason}


def radar_for(found: AssessmentResults, rows: list[DimensionRow]) -> str:
    axes = [row.name for row in rows]
    label = (_("%(year)s (provisional)", year=found.assessment.year) if found.provisional
             else str(found.assessment.year))
    series = [Series(label, [row.score for row in rows], "radar-current")]
    if found.previous is not None:
        series.append(Series(str(found.previous.year), [row.previous_score for row in rows],
                             "radar-previous"))
    return radar_svg(axes, series, title=_("Dimension scores"))


def overall_level_name(found: AssessmentResults, lang: str) -> str:
    level = found.results["overall"].get("level")
    return found.framework.level_name(level, lang) if level else ""
