"""What a plan can adopt: the weakest indicators' next levels (the what-if), the guide's
measures and the catalogue's technologies that improve them (``indicators.recommendations``).

Each proposal carries the expected gain of the indicators it targets, from the what-if of the
finalised revision: an indicator's own gain, or for a measure or technology the largest gain
among the weak indicators that called for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assessment.assessments.models import Assessment
from assessment.plans.models import Band, SourceKind
from assessment.plans.sources import citation
from assessment.profiles import queries as profile_queries
from assessment.results.services import AssessmentResults, assessment_results
from indicators import InvalidInput
from indicators.recommendations import recommend

WHAT_IF_DEPTH = 30  # every scored indicator below the top level, in practice
RECOMMENDATIONS = 12
# A starting estimate the user corrects: a catalogue technology means investment, a guide
# measure organisational work, reaching an indicator's next level somewhere between.
DEFAULT_EFFORT = {SourceKind.technology: Band.high, SourceKind.equipment: Band.high,
                  SourceKind.measure: Band.medium, SourceKind.indicator: Band.medium,
                  SourceKind.free: Band.medium}
DEFAULT_COST = {SourceKind.technology: Band.high, SourceKind.equipment: Band.medium,
                SourceKind.measure: Band.low, SourceKind.indicator: Band.medium,
                SourceKind.free: Band.medium}


@dataclass(frozen=True)
class Proposal:
    key: str  # the action's source_ref: "indicator:<code>" or the catalogue reference
    kind: SourceKind
    title_zh: str
    title_en: str
    summary_zh: str
    summary_en: str
    indicator_codes: tuple[str, ...]
    dimension_code: str | None
    dimension_gain: float | None
    overall_gain: float | None
    target_value: float | None = None
    target_level: int | None = None
    reason_zh: str = ""
    reason_en: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh

    def summary(self, lang: str) -> str:
        return self.summary_en if lang == "en" else self.summary_zh

    def reason(self, lang: str) -> str:
        return self.reason_en if lang == "en" else self.reason_zh

    def source(self, lang: str) -> str | None:
        return citation(self.kind, self.key, lang)


def _indicator_proposal(entry: dict[str, Any], framework: Any) -> Proposal:
    code = entry["code"]
    level = entry["next_level"]
    return Proposal(
        key=f"indicator:{code}", kind=SourceKind.indicator,
        title_zh=f"将「{entry['name_zh']}」提升至{level}级（{framework.level_name(level, 'zh')}）",
        title_en=(f"Raise '{entry['name_en']}' to level {level} "
                  f"({framework.level_name(level, 'en')})"),
        summary_zh="", summary_en="",
        indicator_codes=(code,), dimension_code=entry.get("dimension"),
        dimension_gain=entry.get("dimension_gain"), overall_gain=entry.get("overall_gain"),
        target_value=entry.get("value_needed"), target_level=level,
    )


def proposals_from(found: AssessmentResults, industry: str | None) -> list[Proposal]:
    """Every proposal for the results ``found``: the indicators' next levels, largest overall
    gain first, then the recommendations in the catalogue's ranking."""
    what_if = found.what_if(limit=WHAT_IF_DEPTH)
    by_code = {w["code"]: w for w in what_if}
    out = [_indicator_proposal(w, found.framework)
           for w in sorted(what_if, key=lambda w: -(w.get("overall_gain") or 0.0))]
    if industry:
        try:
            recommendations = recommend(found.results, industry, limit=RECOMMENDATIONS)
        except InvalidInput:
            recommendations = []
        for item in recommendations:
            codes = tuple(m.indicator for m in item.motives)
            gains = [by_code[c] for c in codes if c in by_code]
            best = max(gains, key=lambda w: w.get("overall_gain") or 0.0) if gains else None
            out.append(Proposal(
                key=item.ref, kind=SourceKind(item.kind),
                title_zh=item.title_zh, title_en=item.title_en,
                summary_zh=item.summary_zh, summary_en=item.summary_en,
                indicator_codes=codes,
                dimension_code=best.get("dimension") if best else None,
                dimension_gain=best.get("dimension_gain") if best else None,
                overall_gain=best.get("overall_gain") if best else None,
                target_level=best.get("next_level") if best else None,
                reason_zh=item.reason_zh, reason_en=item.reason_en,
            ))
    return out


def proposals_for(assessment: Assessment) -> list[Proposal]:
    """The proposals of the current tenant's finalised ``assessment``."""
    profile = profile_queries.profile()
    found = assessment_results(assessment, compare=False)
    return proposals_from(found, profile.industry_division if profile else None)
