"""The association's cohort report assembled from figures (no database): the anonymity rule
on every statistic, names only of members who agreed, labels in the report's language."""

from __future__ import annotations

import uuid

import pytest

from assessment.benchmarks.cohorts import Cohort, CohortFilter, Scope
from assessment.benchmarks.services import CodeStatistics, CohortStatistics
from assessment.benchmarks.stats import distribution
from assessment.reports import formatting as fmt
from assessment.reports.branding import ReportBranding
from assessment.reports.cohort import CohortSources, build_cohort_report
from assessment.reports.enterprise_report import review_label
from assessment.reports.queries import MemberFigure
from indicators.framework.loader import shipped_framework

BRANDING = ReportBranding("测试协会", None, "#0F5C8C", "")


@pytest.fixture(scope="module")
def framework():
    return shipped_framework("scm-2024")


def _members(scores: list[float], **overrides) -> list[MemberFigure]:
    base = {"level": 3, "industry_division": "C36", "size_class": "medium", "province": "35"}
    return [MemberFigure(uuid.uuid4(), score, **{**base, **overrides}) for score in scores]


def _statistics(framework, scores: list[float], shown: bool = True) -> CohortStatistics:
    dist = distribution(scores)
    codes = ["overall", *(d.code for d in framework.dimensions), *framework.indicators]
    cohort = Cohort(CohortFilter(2025), Scope.manufacturing) if shown else None
    return CohortStatistics("association", cohort, len(scores) if shown else None,
                            {code: CodeStatistics(code, "x", dist) for code in codes})


def _sources(framework, members, lang="zh_CN", named=None, shown=True) -> CohortSources:
    scores = [m.score for m in members] or [0.0]
    return CohortSources(lang, "测试协会", 2025, framework, BRANDING, members,
                         _statistics(framework, scores, shown), named or {}, len(members))


def test_fewer_than_five_members_shows_nothing(framework, in_locale) -> None:
    members = _members([50, 60, 70, 80])
    with in_locale("zh_CN"):
        report = build_cohort_report(_sources(framework, members))
    assert not report.shown and report.members == 4 and report.minimum == 5
    assert report.overall is None and report.dimension_rows == [] and report.ranked == []
    assert report.breakdowns == [] and report.level_chart == "" and report.level_rows == []
    assert report.indicator_sections == []
    assert "5" in report.anonymity_rule


def test_no_cohort_shows_nothing_even_with_enough_members(framework, in_locale) -> None:
    with in_locale("en"):
        report = build_cohort_report(_sources(framework, _members([1, 2, 3, 4, 5]),
                                              shown=False))
    assert not report.shown and report.overall is None


# Seven members: five in Fujian (medium), two in Jiangsu (large); two agreed to be named.
# Built once per language: every shown report draws nine matplotlib charts.
SCORES = [10, 20, 30, 40, 90]


@pytest.fixture(scope="module")
def seven(framework):
    members = _members(SCORES, province="35") + \
        _members([60, 70], province="32", size_class="large")
    named = {members[4].tenant_id: "甲公司", members[0].tenant_id: "乙公司"}
    return members, named


@pytest.fixture(scope="module")
def reports(framework, seven, babel_app):
    from flask_babel import force_locale

    members, named = seven
    built = {}
    for lang in ("en", "zh_CN"):
        sources = CohortSources(lang, "测试协会", 2025, framework, BRANDING, members,
                                _statistics(framework, SCORES), named, len(members))
        with babel_app.test_request_context(), force_locale(lang):
            built[lang] = build_cohort_report(sources)
    return built


def test_five_members_show_statistics_without_extremes(framework, reports) -> None:
    report = reports["en"]
    assert report.shown and report.overall is not None and report.members == 7
    overall = report.overall
    assert (overall.n, overall.median, overall.shown) == ("5", "30.0", True)
    assert overall.p10 == fmt.score(14.0) and overall.p90 == fmt.score(70.0)
    assert "90.0" not in repr(report.dimension_rows) + repr(overall)  # never the maximum
    assert [r.name for r in report.dimension_rows] == [d.name_en for d in framework.dimensions]
    assert report.level_rows[2] == (framework.level_name(3, "en"), "7")
    assert report.level_chart.startswith("data:image/svg+xml;base64,")
    assert report.dimension_chart.startswith("data:image/svg+xml;base64,")
    assert len(report.indicator_sections) == len(framework.dimensions)
    assert report.title == "Member benchmark report 2025"
    assert report.framework_label.endswith(f"（{framework.version} 版）") or \
        report.framework_label.endswith(f"(version {framework.version})")
    assert framework.id not in report.framework_label
    chinese = reports["zh_CN"]
    assert [r.name for r in chinese.dimension_rows] == [d.name_zh for d in framework.dimensions]
    assert chinese.title != report.title and "2025" in chinese.title


def test_only_members_who_agreed_are_named_in_rank_order(framework, reports) -> None:
    ranked = reports["zh_CN"].ranked
    assert [(r.rank, r.name, r.score) for r in ranked] == [
        (1, "甲公司", "90.0"), (7, "乙公司", "10.0")]  # ranks count the unnamed too
    assert ranked[0].level_name == framework.level_name(3, "zh_CN")


def test_breakdown_groups_under_five_are_counted_out_not_printed(reports) -> None:
    by_title = {b.title: b for b in reports["en"].breakdowns}
    assert set(by_title) == {"By industry", "By size class", "By province"}
    provinces = {row.label: row for row in by_title["By province"].rows}
    fujian = provinces["Fujian"]
    assert fujian.shown and fujian.members == "5"
    assert (fujian.mean, fujian.median, fujian.quartiles) == ("38.0", "30.0", "20.0 – 40.0")
    # Jiangsu's two members stay under five even in East China: no "fewer than 5" row,
    # a sentence that says how many are in no row
    assert list(provinces) == ["Fujian"]
    assert "2 members are in groups too small" in by_title["By province"].left_out
    assert all(row.shown for b in by_title.values() for row in b.rows)
    assert "fewer than" not in repr(reports["en"].breakdowns)
    [industry] = by_title["By industry"].rows
    assert industry.label == "Manufacture of motor vehicles" and industry.members == "7"
    labels = [row.label for b in reports["zh_CN"].breakdowns for row in b.rows]
    assert "福建省" in labels and "中型" in labels and "Fujian" not in labels


def test_small_provinces_and_divisions_coarsen_into_region_and_group(
        framework, babel_app) -> None:
    from flask_babel import force_locale

    members = (_members([10, 20, 30, 40, 50], province="35")
               + _members([60, 70], province="32", industry_division="C34")
               + _members([65, 75, 85], province="33", industry_division="C35"))
    sources = CohortSources("en", "测试协会", 2025, framework, BRANDING, members,
                            _statistics(framework, [m.score for m in members]), {},
                            len(members))
    with babel_app.test_request_context(), force_locale("en"):
        report = build_cohort_report(sources)
    by_title = {b.title: b for b in report.breakdowns}
    provinces = [(r.label, r.members) for r in by_title["By province"].rows]
    assert provinces == [("Fujian", "5"), ("East China (combined: Jiangsu, Zhejiang)", "5")]
    assert "combined with the others of their region" in by_title["By province"].note
    industries = [(r.label, r.members) for r in by_title["By industry"].rows]
    assert industries == [
        ("Manufacture of motor vehicles", "5"),
        ("Equipment (combined: Manufacture of general-purpose machinery, Manufacture of "
         "special-purpose machinery)", "5")]
    assert by_title["By industry"].left_out == ""


def test_review_label_in_both_languages(in_locale) -> None:
    with in_locale("en"):
        assert review_label("") == "Self-assessment"
        assert review_label("Acme 咨询") == "Reviewed by Acme 咨询"
    with in_locale("zh_CN"):
        assert review_label("") != "Self-assessment"
        assert "Acme 咨询" in review_label("Acme 咨询")
