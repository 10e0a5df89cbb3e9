"""The enterprise report's content: everything its template prints, already in the reader's
language and already formatted.

Pure assembly (no Flask request, no database): :class:`ReportSources` carries what was read
(the finalised revision's results, the cohort statistics and position, the recommendations,
the energy comparison, the issuer's branding) and :func:`build_enterprise_report` turns it
into an :class:`EnterpriseReport`. No figure is computed here: scores come from the engine,
cohort figures from the benchmark services; this module picks, orders and formats them.
The template stays dumb.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from assessment.assessments.plausibility import DataQualityLine, quality_lines
from assessment.benchmarks.figures import CohortStatistics
from assessment.benchmarks.services import Position
from assessment.plans.chapter import PlanActionRow, PlanChapter
from assessment.reports import fonts
from assessment.reports import formatting as fmt
from assessment.reports.branding import ReportBranding
from assessment.reports.charts import Bar, indicator_bars_svg
from assessment.reports.enterprise_chapters import (
    EnergySection,
    FactorSource,
    Methodology,
    RoadmapItem,
    WhatIfLine,
    energy_section,
    methodology,
    roadmap,
    what_if_lines,
)
from assessment.reports.findings import Evaluation, Paragraph, findings
from assessment.results.charts import Series, radar_svg
from assessment.wording import codes_in_words
from indicators import Framework
from indicators.energy import YearOnYear
from indicators.recommendations import Recommendation

CONFIDENCE_LABELS = {
    "self_declared": _l("Self-declared"),
    "documented": _l("Documented"),
    "internally_reviewed": _l("Internally reviewed"),
    "verified": _l("Verified"),
}
STATUS_LABELS = {
    "missing": _l("No answer"),
    "not_computable": _l("Not computable"),
    "not_applicable": _l("Not applicable"),
}
HIGHLIGHTS = 3


NOT_POOLED = _l("Not compared with peers: the enterprise has not joined the anonymous "
                "benchmark pool (it can on its profile).")


@dataclass(frozen=True)
class ReportComment:
    indicator_code: str | None
    body: str


@dataclass(frozen=True)
class ReportSources:
    """What a report is built from (read by :mod:`assessment.reports.gather`)."""

    lang: str
    enterprise_name: str
    industry_label: str
    size_label: str
    province_label: str
    industry_division: str
    year: int
    revision: int
    finalised_on: date
    framework: Framework
    results: dict[str, Any]
    confidence: dict[str, str]
    branding: ReportBranding
    statistics: CohortStatistics | None = None
    pooled: bool = True  # False: the enterprise is in no pool the report may compare it in
    position: Position | None = None
    previous_year: int | None = None
    previous_results: dict[str, Any] | None = None
    recommendations: list[Recommendation] = field(default_factory=list)
    what_if: list[dict[str, Any]] = field(default_factory=list)
    energy_yoy: YearOnYear | None = None
    factor_sources: list[FactorSource] = field(default_factory=list)
    not_applicable_reasons: dict[str, str] = field(default_factory=dict)
    comments: list[ReportComment] = field(default_factory=list)
    # The linked organisation whose reviewer finalised the revision; empty: a
    # self-assessment (assessment.results.review_status).
    reviewed_by: str = ""
    # The revision's plausibility warnings with the enterprise's reasons (its
    # ``warning_confirmations``): the data-quality section.
    data_quality: list[dict[str, Any]] = field(default_factory=list)
    # The improvement plan's chapter (assessment.plans.chapter.plan_chapter); None: no plan.
    plan: PlanChapter | None = None


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    name: str
    value: str
    score: str
    score_number: float | None
    level_name: str
    status: str  # empty when scored, else why there is no score
    cohort_median: str
    cohort_quartiles: str
    percentile: float | None  # 0-100, None when not shown
    percentile_text: str
    confidence: str
    note: str


@dataclass(frozen=True)
class DimensionSection:
    code: str
    anchor: str
    name: str
    score: str
    score_number: float | None
    level_name: str
    coverage: str
    weight: str
    cohort_median: str
    percentile: float | None
    percentile_text: str
    previous_score: str
    delta: str
    indicators: list[IndicatorLine]
    comments: list[str]
    chart_svg: str = ""  # the indicators' scores against the cohort median (inline SVG)
    findings: Paragraph | None = None


@dataclass(frozen=True)
class Highlight:
    name: str
    dimension: str
    score: str
    level_name: str


@dataclass(frozen=True)
class EnterpriseReport:
    lang: str
    title: str
    enterprise_name: str
    industry_label: str
    size_label: str
    province_label: str
    year: int
    revision: int
    framework_label: str
    issued_on: str
    branding: ReportBranding
    overall_score: str
    overall_score_number: float | None
    overall_level_name: str
    coverage: str
    percentile: float | None
    percentile_text: str
    cohort_shown: bool
    cohort_label: str
    cohort_size: str
    previous_year: int | None
    previous_overall: str
    overall_delta: str
    strongest: list[Highlight]
    weakest: list[Highlight]
    radar_svg: str
    dimensions: list[DimensionSection]
    energy: EnergySection
    roadmap: list[RoadmapItem]
    what_if: list[WhatIfLine]
    methodology: Methodology
    general_comments: list[str]
    reviewed: bool  # False: a self-assessment
    review_label: str  # on every page: "自评" / "Self-assessment", or who reviewed it
    data_quality: list[DataQualityLine] = field(default_factory=list)
    findings: Paragraph | None = None  # the paragraph on the whole
    plan: PlanChapter | None = None
    top_actions: list[TopAction] = field(default_factory=list)
    plan_actions: list[PlanActionLine] = field(default_factory=list)
    plan_progress: list[tuple[str, int]] = field(default_factory=list)


PLAN_STATUSES = {
    "proposed": _l("Proposed"),
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "dropped": _l("Dropped"),
}


@dataclass(frozen=True)
class PlanActionLine:
    """A plan's action as the chapter prints it: the plan's row with its gains formatted."""

    row: PlanActionRow
    overall_gain_text: str
    dimension_gain_text: str


def plan_lines(plan: PlanChapter | None) -> tuple[list[PlanActionLine], list[tuple[str, int]]]:
    """The plan's actions, quick wins first, then by expected overall gain (the matrix's
    reading order; done and dropped actions last), and the progress line in status order."""
    if plan is None:
        return [], []
    closed = ("done", "dropped")
    ranked = sorted(plan.actions, key=lambda a: (a.status in closed, not a.quick_win,
                                                 -float(a.overall_gain or 0)))
    lines = [PlanActionLine(a, fmt.signed(a.overall_gain) if a.overall_gain is not None
                            else fmt.DASH,
                            fmt.signed(a.dimension_gain) if a.dimension_gain is not None
                            else fmt.DASH) for a in ranked]
    progress = [(str(label), plan.counts[status]) for status, label in PLAN_STATUSES.items()
                if plan.counts.get(status)]
    return lines, progress


@dataclass(frozen=True)
class TopAction:
    """One of the few actions the one-page summary names: from the plan when there is one,
    else from the roadmap."""

    title: str
    gain: str
    detail: str  # owner and due date, or the measure's kind


TOP_ACTIONS = 3


def _name(obj: Any, lang: str) -> str:
    return str(fmt.pick(lang, obj.name_zh, obj.name_en))


def _percentile(position: Position | None, code: str) -> float | None:
    if position is None or not position.shown:
        return None
    found = position.positions.get(code)
    return None if found is None else found.percentile_rank


def _percentile_text(rank: float | None) -> str:
    return fmt.DASH if rank is None else f"P{round(rank):d}"


def _indicator_line(sources: ReportSources, code: str) -> IndicatorLine:
    lang, framework = sources.lang, sources.framework
    indicator = framework.indicator(code)
    entry = sources.results["indicators"].get(code, {})
    status = entry.get("status", "missing")
    level = entry.get("level")
    statistics = sources.statistics.statistics.get(code) if sources.statistics else None
    values = statistics.value if statistics is not None else None
    unit = entry.get("unit", indicator.unit)
    note = sources.not_applicable_reasons.get(code, "") if status == "not_applicable" else ""
    reason = entry.get("reason")
    if not note and isinstance(reason, dict):
        note = codes_in_words(framework, str(reason.get(lang) or reason.get("zh") or ""), lang)
    rank = _percentile(sources.position, code)
    return IndicatorLine(
        code=code,
        name=_name(indicator, lang),
        value=fmt.value_with_unit(entry.get("value"), unit, indicator.decimals),
        score=fmt.score(entry.get("score")),
        score_number=entry.get("score"),
        level_name=framework.level_name(level, lang) if level else "",
        status="" if status == "ok" else str(STATUS_LABELS.get(status, status)),
        cohort_median=(fmt.value_with_unit(values.median, unit, indicator.decimals)
                       if values else fmt.DASH),
        cohort_quartiles=_quartiles(values.q1, values.q3, unit, indicator.decimals)
        if values else fmt.DASH,
        percentile=fmt.clamp_percent(rank),
        percentile_text=_percentile_text(rank),
        confidence=str(CONFIDENCE_LABELS.get(sources.confidence.get(code, "self_declared"),
                                             CONFIDENCE_LABELS["self_declared"])),
        note=note,
    )


def _quartiles(q1: float | None, q3: float | None, unit: str, decimals: int) -> str:
    """"94.86 – 101.48%"; levels (1-5) without trailing zeros ("2 – 3.5")."""
    if q1 is None or q3 is None:
        return fmt.DASH
    if unit == "1-5":
        return f"{fmt.short_number(q1, 1)} – {fmt.short_number(q3, 1)}"
    text = f"{fmt.number(q1, decimals)} – {fmt.number(q3, decimals)}"
    return f"{text}%" if unit == "%" else text


def _cohort_median(sources: ReportSources, code: str) -> float | None:
    if sources.statistics is None:
        return None
    found = sources.statistics.statistics.get(code)
    return found.score.median if found is not None and found.score is not None else None


def _indicator_median(sources: ReportSources, code: str) -> float | None:
    return _cohort_median(sources, code) if sources.statistics is not None and \
        sources.statistics.shown else None


def _dimension_chart(sources: ReportSources, dimension: Any) -> str:
    bars = tuple(Bar(_name(i, sources.lang),
                     (sources.results["indicators"].get(i.code) or {}).get("score"),
                     _indicator_median(sources, i.code))
                 for i in dimension.indicators)
    return indicator_bars_svg(bars, _name(dimension, sources.lang),
                              str(_l("Cohort median")))


def evaluation_of(sources: ReportSources) -> Evaluation:
    """What the written findings are drawn from: the figures this report prints."""
    percentiles = {}
    if sources.position is not None and sources.position.shown:
        percentiles = {code: p.percentile_rank for code, p in sources.position.positions.items()
                       if p.percentile_rank is not None}
    medians = {}
    if sources.statistics is not None and sources.statistics.shown:
        medians = {code: s.score.median for code, s in sources.statistics.statistics.items()
                   if s.score is not None and s.score.median is not None}
    return Evaluation(sources.framework, sources.results, percentiles, medians,
                      sources.previous_results, sources.previous_year)


def _dimension_sections(sources: ReportSources,
                        paragraphs: dict[str, Paragraph] | None = None
                        ) -> list[DimensionSection]:
    lang = sources.lang
    paragraphs = paragraphs or {}
    previous = sources.previous_results or {}
    total_weight = sum(d.weight for d in sources.framework.dimensions) or 1.0
    sections = []
    for dimension in sources.framework.dimensions:
        figure = sources.results["dimensions"].get(dimension.code, {})
        before = previous.get("dimensions", {}).get(dimension.code, {})
        level = figure.get("level")
        rank = _percentile(sources.position, dimension.code)
        codes = {i.code for i in dimension.indicators}
        delta = None
        if figure.get("score") is not None and before.get("score") is not None:
            delta = round(float(figure["score"]) - float(before["score"]), 1)
        sections.append(DimensionSection(
            code=dimension.code,
            anchor=f"dimension-{dimension.code}",
            name=_name(dimension, lang),
            score=fmt.score(figure.get("score")),
            score_number=figure.get("score"),
            level_name=sources.framework.level_name(level, lang) if level else "",
            coverage=fmt.percent((figure.get("coverage") or 0) * 100, 0)
            if figure.get("coverage") is not None else fmt.DASH,
            weight=fmt.percent(dimension.weight / total_weight * 100, 0),
            cohort_median=fmt.score(_cohort_median(sources, dimension.code)),
            percentile=fmt.clamp_percent(rank),
            percentile_text=_percentile_text(rank),
            previous_score=fmt.score(before.get("score")),
            delta=fmt.signed(delta),
            indicators=[_indicator_line(sources, i.code) for i in dimension.indicators],
            comments=[c.body for c in sources.comments if c.indicator_code in codes],
            chart_svg=_dimension_chart(sources, dimension),
            findings=paragraphs.get(dimension.code),
        ))
    return sections


def _top_actions(sources: ReportSources, items: list[RoadmapItem]) -> list[TopAction]:
    plan = sources.plan
    if plan is not None:
        open_actions = [a for a in plan.actions if a.status not in ("done", "dropped")]
        ranked = sorted(open_actions, key=lambda a: (not a.quick_win,
                                                     -float(a.overall_gain or 0)))
        found = []
        for action in ranked[:TOP_ACTIONS]:
            detail = " · ".join(x for x in (
                action.owner_name or "",
                str(_l("due %(date)s", date=action.due_date.isoformat()))
                if action.due_date else "") if x)
            found.append(TopAction(action.title, fmt.signed(action.overall_gain)
                                   if action.overall_gain is not None else fmt.DASH, detail))
        if found:
            return found
    return [TopAction(item.title, item.gain, item.kind) for item in items[:TOP_ACTIONS]]


def _highlights(sources: ReportSources) -> tuple[list[Highlight], list[Highlight]]:
    lang, framework = sources.lang, sources.framework
    order = list(framework.indicators)
    scored = [(float(entry["score"]), order.index(code), code)
              for code, entry in sources.results["indicators"].items()
              if entry.get("status") == "ok" and entry.get("score") is not None
              and code in framework.indicators]

    def highlight(code: str) -> Highlight:
        indicator = framework.indicator(code)
        entry = sources.results["indicators"][code]
        dimension = next(d for d in framework.dimensions if d.code == indicator.dimension)
        return Highlight(_name(indicator, lang), _name(dimension, lang),
                         fmt.score(entry["score"]),
                         framework.level_name(entry["level"], lang) if entry.get("level") else "")

    strongest = sorted(scored, key=lambda s: (-s[0], s[1]))[:HIGHLIGHTS]
    chosen = {code for _s, _o, code in strongest}
    weakest = [s for s in sorted(scored, key=lambda s: (s[0], s[1])) if s[2] not in chosen]
    return ([highlight(code) for _s, _o, code in strongest],
            [highlight(code) for _s, _o, code in weakest[:HIGHLIGHTS]])


def _radar(sources: ReportSources, sections: list[DimensionSection]) -> str:
    series = [Series(str(sources.year), [s.score_number for s in sections], "radar-current")]
    medians = [_cohort_median(sources, s.code) for s in sections]
    if any(m is not None for m in medians):
        series.append(Series(str(_l("Cohort median")), medians, "radar-cohort"))
    svg = radar_svg([s.name for s in sections], series, size=460,
                    title=str(_l("Dimension scores against the cohort median")))
    # WeasyPrint does not apply the page's CSS to an inline SVG's text: without a font named
    # on the SVG it falls back to fontconfig's defaults, two more fonts to subset and embed.
    return svg.replace("<svg ", f'<svg font-family="{fonts.SVG_FAMILIES}" ', 1)


def build_enterprise_report(sources: ReportSources) -> EnterpriseReport:
    lang, framework, results = sources.lang, sources.framework, sources.results
    overall = results.get("overall", {})
    level = overall.get("level")
    before = (sources.previous_results or {}).get("overall", {})
    delta = None
    if overall.get("score") is not None and before.get("score") is not None:
        delta = round(float(overall["score"]) - float(before["score"]), 1)
    statistics = sources.statistics
    shown = statistics is not None and statistics.shown
    rank = _percentile(sources.position, "overall")
    paragraphs = {p.scope: p for p in findings(evaluation_of(sources), lang)}
    sections = _dimension_sections(sources, paragraphs)
    items = roadmap(sources.recommendations, sources.what_if, lang)
    plan_actions, plan_progress = plan_lines(sources.plan)
    strongest, weakest = _highlights(sources)
    title = str(_l("Supply-chain management benchmark report %(year)s", year=sources.year))
    return EnterpriseReport(
        lang=lang,
        title=title,
        enterprise_name=sources.enterprise_name,
        industry_label=sources.industry_label,
        size_label=sources.size_label,
        province_label=sources.province_label,
        year=sources.year,
        revision=sources.revision,
        framework_label=fmt.framework_label(framework, lang),
        issued_on=sources.finalised_on.isoformat(),
        branding=sources.branding,
        overall_score=fmt.score(overall.get("score")),
        overall_score_number=overall.get("score"),
        overall_level_name=framework.level_name(level, lang) if level else fmt.DASH,
        coverage=fmt.percent((overall.get("coverage") or 0) * 100, 0),
        percentile=fmt.clamp_percent(rank),
        percentile_text=_percentile_text(rank),
        cohort_shown=shown,
        cohort_label=statistics.label(lang) if statistics is not None else
        ("" if sources.pooled else str(NOT_POOLED)),
        cohort_size=str(statistics.enterprises) if shown and statistics else fmt.DASH,
        previous_year=sources.previous_year,
        previous_overall=fmt.score(before.get("score")),
        overall_delta=fmt.signed(delta),
        strongest=strongest,
        weakest=weakest,
        radar_svg=_radar(sources, sections),
        dimensions=sections,
        energy=energy_section(sources.results, sources.previous_results, sources.energy_yoy,
                              lang),
        roadmap=items,
        what_if=what_if_lines(sources.what_if, framework, lang),
        methodology=methodology(framework, sources.factor_sources, lang),
        general_comments=[c.body for c in sources.comments if c.indicator_code is None],
        reviewed=bool(sources.reviewed_by),
        review_label=review_label(sources.reviewed_by),
        data_quality=quality_lines(sources.data_quality, lang),
        findings=paragraphs.get("overall"),
        plan=sources.plan,
        top_actions=_top_actions(sources, items),
        plan_actions=plan_actions,
        plan_progress=plan_progress,
    )


def review_label(reviewed_by: str) -> str:
    """The words on every page of the report (in the report's language)."""
    if reviewed_by:
        return str(_l("Reviewed by %(organisation)s", organisation=reviewed_by))
    return str(_l("Self-assessment"))
