"""The enterprise report's content built from a hand-made :class:`ReportSources` (no
database): the evaluation of a small contract document, cohort figures and a position given
as values, labels in the report's language."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask_babel import force_locale

from assessment.benchmarks.cohorts import Cohort, CohortFilter, Scope
from assessment.benchmarks.figures import CodeStatistics, CohortStatistics
from assessment.benchmarks.services import CodePosition, Position
from assessment.benchmarks.stats import distribution
from assessment.reports import formatting as fmt
from assessment.reports.branding import ReportBranding
from assessment.reports.enterprise_report import (
    EnterpriseReport,
    ReportComment,
    ReportSources,
    build_enterprise_report,
    review_label,
)
from indicators import evaluate
from indicators.framework.loader import shipped_framework

BRANDING = ReportBranding("测试咨询", None, "#0F5C8C", "")
# Seven indicators computed, one declared not applicable, the rest missing.
INPUTS: dict[str, Any] = {
    "collaboration.organization": 3,
    "deliveries_on_time": 965, "deliveries_total": 1000,
    "units_qualified": 990, "units_output": 1000,
    "digital.strategy": 2, "global.rule_participation": 1,
    "energy_tce": 500, "output_value": 10000, "emissions_tco2e": 1200,
}
NOT_APPLICABLE = "global.overseas_revenue_ratio"


@pytest.fixture(scope="module")
def framework():
    return shipped_framework("scm-2024")


@pytest.fixture(scope="module")
def results(framework) -> dict[str, Any]:
    document = {"framework": "scm-2024", "inputs": INPUTS, "not_applicable": [NOT_APPLICABLE]}
    return dict(evaluate(document, framework=framework).to_contract())


def _statistics(framework) -> CohortStatistics:
    """Six peers; the value distribution only for the delivery rate."""
    scores = distribution([40.0, 50.0, 55.0, 60.0, 70.0, 80.0])
    values = distribution([90.0, 92.0, 94.0, 95.0, 97.0, 99.0])
    codes = ["overall", *(d.code for d in framework.dimensions), *framework.indicators]
    statistics = {code: CodeStatistics(code, "x", scores,
                                       values if code == "lean.on_time_delivery_rate" else None)
                  for code in codes}
    return CohortStatistics("association", Cohort(CohortFilter(2025, "C36"), Scope.division),
                            6, statistics)


def _position(framework) -> Position:
    ranks = {"overall": 41.66, "lean": 91.7, "lean.on_time_delivery_rate": 75.0}
    return Position("association", Cohort(CohortFilter(2025, "C36"), Scope.division),
                    {code: CodePosition(code, "x", 50.0, None, rank, 7)
                     for code, rank in ranks.items()})


def _sources(framework, results, lang: str, **changes: Any) -> ReportSources:
    base: dict[str, Any] = dict(
        lang=lang, enterprise_name="福州甲机械有限公司", industry_label="C36",
        size_label="medium", province_label="35", industry_division="C36", year=2025,
        revision=2, finalised_on=date(2026, 3, 31), framework=framework, results=results,
        confidence={"lean.on_time_delivery_rate": "verified"}, branding=BRANDING)
    return ReportSources(**{**base, **changes})


def _build(babel_app, sources: ReportSources) -> EnterpriseReport:
    with babel_app.test_request_context(), force_locale(sources.lang):
        return build_enterprise_report(sources)


def test_the_overall_figures_and_the_cover(babel_app, framework, results) -> None:
    report = _build(babel_app, _sources(framework, results, "en"))
    assert report.title == "Supply-chain management benchmark report 2025"
    assert (report.overall_score, report.overall_score_number) == ("53.8", 53.8)
    assert report.overall_level_name == framework.level_name(3, "en")
    assert report.coverage == "23%"
    assert report.issued_on == "2026-03-31" and report.revision == 2
    # the title and version a reader knows, never the internal id
    assert report.framework_label == f"{framework.name_en} (version {framework.version})"
    assert not report.reviewed and report.review_label == "Self-assessment"
    # no previous year, no cohort, no position: dashes, not zeros
    assert (report.previous_overall, report.overall_delta) == (fmt.DASH, fmt.DASH)
    assert report.percentile is None and report.percentile_text == fmt.DASH
    assert not report.cohort_shown and report.cohort_size == fmt.DASH
    assert report.cohort_label == ""  # pooled but no statistics: nothing to say


def test_chinese_report_names_everything_in_chinese(babel_app, framework, results) -> None:
    english = _build(babel_app, _sources(framework, results, "en"))
    chinese = _build(babel_app, _sources(framework, results, "zh_CN"))
    assert chinese.title != english.title and "2025" in chinese.title
    assert any("\u4e00" <= c <= "\u9fff" for c in chinese.title)
    assert chinese.review_label == "自评"
    assert [d.name for d in chinese.dimensions] == [d.name_zh for d in framework.dimensions]
    assert [d.name for d in english.dimensions] == [d.name_en for d in framework.dimensions]
    assert chinese.overall_level_name == framework.level_name(3, "zh_CN")


def test_highlights_are_the_three_best_and_three_worst_scored(babel_app, framework,
                                                              results) -> None:
    report = _build(babel_app, _sources(framework, results, "en"))
    names = framework.indicator
    # 85, 85 (the framework's order breaks the tie), 83.3; then 0, 25, 50
    assert [h.name for h in report.strongest] == [
        names("green.energy_intensity").name_en, names("green.carbon_intensity").name_en,
        names("lean.quality_pass_rate").name_en]
    assert [h.score for h in report.strongest] == ["85.0", "85.0", "83.3"]
    assert [h.name for h in report.weakest] == [
        names("global.rule_participation").name_en, names("digital.strategy").name_en,
        names("collaboration.organization").name_en]
    green = next(d for d in framework.dimensions if d.code == "green")
    assert report.strongest[0].dimension == green.name_en
    assert report.weakest[0].level_name == framework.level_name(1, "en")


def test_dimension_sections_and_indicator_lines(babel_app, framework, results) -> None:
    report = _build(babel_app, _sources(framework, results, "en", not_applicable_reasons={
        NOT_APPLICABLE: "No exports."}))
    assert [d.code for d in report.dimensions] == [d.code for d in framework.dimensions]
    lean = next(d for d in report.dimensions if d.code == "lean")
    assert (lean.anchor, lean.score, lean.coverage) == ("dimension-lean", "81.7", "33%")
    total = sum(d.weight for d in framework.dimensions)
    weight = next(d.weight for d in framework.dimensions if d.code == "lean")
    assert lean.weight == fmt.percent(weight / total * 100, 0)
    talent = next(d for d in report.dimensions if d.code == "talent")
    assert (talent.score, talent.score_number, talent.level_name) == (fmt.DASH, None, "")
    lines = {line.code: line for d in report.dimensions for line in d.indicators}
    assert set(lines) == set(framework.indicators)
    delivery = lines["lean.on_time_delivery_rate"]
    assert (delivery.value, delivery.score, delivery.status) == ("96.50%", "80.0", "")
    assert delivery.confidence == "Verified"
    assert lines["digital.strategy"].confidence == "Self-declared"  # the default
    missing = lines["talent.training"]
    assert (missing.score, missing.status) == (fmt.DASH, "No answer")
    assert "scm_staff" not in missing.note  # the engine's reason with the codes in words
    assert missing.note
    declared = lines[NOT_APPLICABLE]
    assert (declared.status, declared.note) == ("Not applicable", "No exports.")


def test_the_cohort_and_the_position_are_shown(babel_app, framework, results) -> None:
    sources = _sources(framework, results, "en", statistics=_statistics(framework),
                       position=_position(framework))
    report = _build(babel_app, sources)
    assert report.cohort_shown and report.cohort_size == "6"
    assert sources.statistics is not None
    assert report.cohort_label == sources.statistics.label("en")
    assert report.cohort_label.startswith("Industry: ")
    assert (report.percentile, report.percentile_text) == (41.66, "P42")
    lean = next(d for d in report.dimensions if d.code == "lean")
    assert (lean.percentile_text, lean.cohort_median) == ("P92", "57.5")
    green = next(d for d in report.dimensions if d.code == "green")
    assert green.percentile is None and green.percentile_text == fmt.DASH
    delivery = next(line for line in lean.indicators if line.code == "lean.on_time_delivery_rate")
    assert delivery.cohort_median == "94.50%"
    assert delivery.cohort_quartiles.endswith("%") and " – " in delivery.cohort_quartiles
    assert delivery.percentile_text == "P75"
    other = next(line for line in lean.indicators if line.code == "lean.quality_pass_rate")
    assert (other.cohort_median, other.cohort_quartiles) == (fmt.DASH, fmt.DASH)
    assert "radar-cohort" in report.radar_svg and 'font-family="' in report.radar_svg


def test_a_hidden_position_and_an_unpooled_enterprise(babel_app, framework, results) -> None:
    hidden = Position("association", None, _position(framework).positions)
    report = _build(babel_app, _sources(framework, results, "en", position=hidden,
                                        pooled=False))
    assert report.percentile is None and report.percentile_text == fmt.DASH
    assert report.cohort_label.startswith("Not compared with peers")
    assert "radar-current" in report.radar_svg and "radar-cohort" not in report.radar_svg


def test_the_change_since_the_previous_year(babel_app, framework, results) -> None:
    previous = {"overall": {"score": 50.0}, "dimensions": {"lean": {"score": 85.0},
                                                           "talent": {"score": 40.0}}}
    report = _build(babel_app, _sources(framework, results, "en", previous_year=2024,
                                        previous_results=previous))
    assert (report.previous_year, report.previous_overall, report.overall_delta) == \
        (2024, "50.0", "+3.8")
    lean = next(d for d in report.dimensions if d.code == "lean")
    assert (lean.previous_score, lean.delta) == ("85.0", "-3.3")
    talent = next(d for d in report.dimensions if d.code == "talent")
    assert (talent.previous_score, talent.delta) == ("40.0", fmt.DASH)  # no score this year


def test_comments_review_and_data_quality(babel_app, framework, results) -> None:
    comments = [ReportComment("lean.quality_pass_rate", "抽检记录齐全"),
                ReportComment(None, "总体数据可靠")]
    quality = [{"code": "yoy", "key": "energy_tce", "informational": False,
                "message": {"zh": "能耗同比变化较大", "en": "Energy changed a lot"},
                "reason": "新产线投产", "confirmed_by": "王工",
                "confirmed_at": "2026-03-30T08:00:00+00:00"}]
    sources = _sources(framework, results, "zh_CN", comments=comments,
                       reviewed_by="福建省制造业协会", data_quality=quality)
    report = _build(babel_app, sources)
    lean = next(d for d in report.dimensions if d.code == "lean")
    assert lean.comments == ["抽检记录齐全"]
    assert all(d.comments == [] for d in report.dimensions if d.code != "lean")
    assert report.general_comments == ["总体数据可靠"]
    assert report.reviewed and "福建省制造业协会" in report.review_label
    assert report.review_label != "自评"
    [line] = report.data_quality
    assert (line.message, line.reason, line.confirmed_by, line.confirmed_on) == \
        ("能耗同比变化较大", "新产线投产", "王工", "2026-03-30")


def test_review_label_in_both_languages(in_locale) -> None:
    with in_locale("en"):
        assert review_label("") == "Self-assessment"
        assert review_label("Acme Consulting") == "Reviewed by Acme Consulting"
    with in_locale("zh_CN"):
        assert review_label("") == "自评"
        assert "Reviewed" not in review_label("甲咨询") and "甲咨询" in review_label("甲咨询")
