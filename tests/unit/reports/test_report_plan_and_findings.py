"""The enterprise report's new content (issue 15) from hand-made sources: the plan chapter's
order and progress, the summary's first actions, the findings and charts per dimension, the
energy factors named, and recommendations cited by section."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from markupsafe import Markup

from assessment.plans.chapter import PlanActionRow, PlanChapter
from assessment.reports.enterprise_chapters import factors_used, recommendation_source
from assessment.reports.enterprise_report import plan_lines
from tests.unit.reports import test_enterprise_report as base
from tests.unit.reports.test_enterprise_report import _build, _sources

# The same evaluation as the base tests (their module fixtures, under the same names).
framework = pytest.fixture(scope="module")(base.framework.__wrapped__)
results = pytest.fixture(scope="module")(base.results.__wrapped__)

ROW = PlanActionRow(
    title="A", indicator_names=["准时交货率"], owner_name="王", due_date=date(2026, 6, 30),
    status="planned", status_label="已计划", overdue=False, dimension_name="精益供应链",
    dimension_gain=Decimal("4.0"), overall_gain=Decimal("0.8"), effort_label="中",
    cost_label="中", source=None, quick_win=False)


def _plan() -> PlanChapter:
    return PlanChapter("计划", [
        replace(ROW, title="big gain"),
        replace(ROW, title="done", status="done", overall_gain=Decimal("5")),
        replace(ROW, title="quick", quick_win=True, overall_gain=Decimal("0.2")),
        replace(ROW, title="small", overall_gain=Decimal("0.1"), owner_name=None,
                due_date=None),
    ], Markup("<svg></svg>"), {"planned": 3, "done": 1})


def test_plan_lines_put_quick_wins_first_and_closed_actions_last(in_locale) -> None:
    with in_locale("en"):
        lines, progress = plan_lines(_plan())
    assert [line.row.title for line in lines] == ["quick", "big gain", "small", "done"]
    assert lines[1].overall_gain_text == "+0.8" and lines[1].dimension_gain_text == "+4.0"
    assert progress == [("Planned", 3), ("Done", 1)]
    assert plan_lines(None) == ([], [])


def test_the_summary_takes_its_first_actions_from_the_plan(babel_app, framework,
                                                           results) -> None:
    report = _build(babel_app, _sources(framework, results, "en", plan=_plan()))
    assert [a.title for a in report.top_actions] == ["quick", "big gain", "small"]
    assert report.top_actions[0].detail == "王 · due 2026-06-30"
    assert report.top_actions[2].detail == ""
    assert report.plan is not None and len(report.plan_actions) == 4
    without = _build(babel_app, _sources(framework, results, "en"))
    assert without.plan is None and without.plan_actions == []


def test_findings_and_a_chart_per_dimension(babel_app, framework, results) -> None:
    report = _build(babel_app, _sources(framework, results, "zh"))
    assert report.findings is not None and "综合指数为 53.8" in report.findings.text
    for section in report.dimensions:
        assert section.findings is not None and section.findings.scope == section.code
        assert section.chart_svg.startswith("<svg") and "indicator-bars" in section.chart_svg
    lean = next(s for s in report.dimensions if s.code == "lean")
    assert "准时交货率" in lean.chart_svg and "准时交货率" in lean.findings.text


def test_the_energy_factors_are_named_with_their_documents(in_locale) -> None:
    factors = [
        {"id": "standard_coal.natural_gas", "value": 1.2143, "unit": "kgce/m3", "year": 2020,
         "applies_to": "energy", "source": "maintainers' note", "version": "x"},
        {"id": "grid.national_average.2023", "value": 0.5306, "unit": "tCO2/MWh",
         "year": 2023, "applies_to": "scope2", "source": "note", "version": "y"},
        {"id": "input.energy[0].kgce_per_unit", "value": 0.3, "unit": "kgce/kg",
         "year": None, "applies_to": "energy", "source": "stated", "version": None}]
    with in_locale("zh_CN"):
        rows = factors_used({"factors": factors}, "zh")
    assert rows[0].name == "天然气：折标准煤系数" and rows[0].value == "1.2143 kgce/m3"
    assert rows[0].source.startswith("GB/T 2589-2020") and rows[0].year == "2020"
    assert rows[1].name == "外购电力：电网排放因子"
    assert rows[2].name == "企业自报系数" and rows[2].year == "—"
    assert all("note" not in row.source for row in rows)


def test_recommendations_are_cited_by_document_and_section_never_by_line() -> None:
    zh = recommendation_source("measure", "measure-05", "zh")
    assert zh == ("《制造业企业供应链管理水平提升指南（试行）》 三、实现企业供应链管理精益化 "
                  "第（五）条")
    en = recommendation_source("measure", "measure-05", "en")
    assert en.endswith('section 3 "Make supply-chain management lean", measure 5')
    assert "一、工业节能降碳技术 （一）钢铁行业节能降碳技术 第 1 项" in recommendation_source(
        "technology", "steel-01", "zh")
    assert recommendation_source("equipment", "motors", "zh").endswith(
        "三、高效节能装备 （一）电动机")
    # an unknown reference still names the document
    assert recommendation_source("measure", "measure-99", "en").startswith("Guide to")
    for kind, ref in (("measure", "measure-05"), ("technology", "steel-01"),
                      ("equipment", "motors")):
        for lang in ("zh", "en"):
            cited = recommendation_source(kind, ref, lang)
            assert not re.search(r"第\s*\d+\s*[–-]?\s*\d*\s*行|\blines?\s+\d", cited), cited
