"""The enterprise report as a consultant hands it over (issue 15): dense pages measured from
the PDF (no page two-thirds empty), fonts embedded, written findings, the improvement plan's
chapter (from a hand-built PlanChapter: the plans folder builds the real one), citations by
document and section and never by line number, in Chinese and in English."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from markupsafe import Markup

from assessment.plans.chapter import PlanActionRow, PlanChapter
from tests.integration.reports.conftest import page_count, pdf_text
from tests.integration.reports.page_fill import page_fills

# A page under this share of its content height filled is "two-thirds empty" (issue 15).
FILL_THRESHOLD = 0.34
LINE_CITATION = re.compile(r"第\s*\d+\s*[–—-]?\s*\d*\s*行|\blines?\s+\d+", re.IGNORECASE)

MATRIX = Markup(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 200" width="300" height="200">'
    '<rect x="0" y="0" width="150" height="100" fill="#dff3ee"/>'
    '<rect x="150" y="0" width="150" height="100" fill="#eef2f5"/>'
    '<rect x="0" y="100" width="300" height="100" fill="#f7f9fa"/>'
    '<circle cx="60" cy="40" r="8" fill="#12505a"/><circle cx="220" cy="70" r="8" '
    'fill="#12505a"/><circle cx="120" cy="150" r="8" fill="#12505a"/></svg>')


def _plan(lang: str) -> PlanChapter:
    zh = lang != "en"
    guide = ("《制造业企业供应链管理水平提升指南（试行）》 三、实现企业供应链管理精益化 "
             "第（五）条"
             if zh else "Guide to Improving Supply-Chain Management of Manufacturing "
             "Enterprises (Trial), section 3, measure 5")
    return PlanChapter(
        title="2026 年度供应链改进计划" if zh else "2026 supply-chain improvement plan",
        actions=[
            PlanActionRow(
                title=("建立供应商准时交付月度复盘机制" if zh
                       else "Monthly supplier delivery review"),
                indicator_names=["准时交货率" if zh else "On-time delivery rate"],
                owner_name="王采购", due_date=date(2026, 6, 30), status="in_progress",
                status_label="进行中" if zh else "In progress", overdue=False,
                dimension_name="精益供应链" if zh else "Lean supply chain",
                dimension_gain=Decimal("6.2"), overall_gain=Decimal("1.3"),
                effort_label="低" if zh else "Low", cost_label="低" if zh else "Low",
                source=guide, quick_win=True),
            PlanActionRow(
                title="上线供应链协同平台" if zh else "Supply-chain collaboration platform",
                indicator_names=["全链业务在线协同率" if zh else "Online business coverage"],
                owner_name="李信息", due_date=date(2026, 1, 15), status="planned",
                status_label="已计划" if zh else "Planned", overdue=True,
                dimension_name=None, dimension_gain=None, overall_gain=Decimal("0.9"),
                effort_label="高" if zh else "High", cost_label="高" if zh else "High",
                source=None, quick_win=False),
        ],
        matrix_svg=MATRIX,
        counts={"in_progress": 1, "planned": 1},
    )


@pytest.fixture(autouse=True)
def _reports_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REPORTS_DIR", str(tmp_path / "reports"))


def _render(report_enterprise, in_tenant, monkeypatch, lang: str, *, plan: bool = True,
            **kwargs):
    from assessment.reports import gather, services

    monkeypatch.setattr(gather, "plan_chapter",
                        lambda assessment, language: _plan(language) if plan else None)
    enterprise, assessment = report_enterprise(**kwargs)
    return in_tenant(enterprise, lambda: services.enterprise_report_pdf(
        assessment, lang, enterprise)).content


APPENDIX = ("附录：方法说明", "Appendix: methodology")


def _check_pages(tmp_path, pdf: bytes) -> str:
    (tmp_path / "report.pdf").write_bytes(pdf)  # kept for a look when a check fails
    pages = page_count(tmp_path, pdf)
    assert 9 <= pages <= 16, pages
    fills = page_fills(pdf)
    # Every page is at least a third full but three whose end the layout cannot choose: the
    # cover (designed: a band, the issuer, the title), the page before the appendix (the
    # appendix starts a page, laid out once and reused across reports: static_part.py) and
    # the appendix's last page (wherever its formulas end).
    # (the contents name the appendix too: its first page is the last to carry the title)
    appendix = max(f.number for f in fills if any(
        title.replace(" ", "") in f.text.replace(" ", "") for title in APPENDIX))
    exempt = {1, appendix - 1, len(fills)}
    thin = [(f.number, f.vertical) for f in fills
            if f.number not in exempt and f.vertical < FILL_THRESHOLD]
    assert not thin, [(f.number, f.vertical, f.area) for f in fills]
    fonts = pdf_text(tmp_path, pdf, "pdffonts").splitlines()[2:]
    assert sorted(line.split()[0].split("+")[1] for line in fonts) == [
        "ChainGauge-Sans-SC", "ChainGauge-Sans-SC-Bold"], fonts
    for line in fonts:
        assert line.split()[-5:-3] == ["yes", "yes"]  # embedded, subset
    text = pdf_text(tmp_path, pdf)
    assert not LINE_CITATION.search(text), LINE_CITATION.search(text)
    return text


def test_the_chinese_report_is_dense_cited_by_section_and_carries_the_plan(
        report_enterprise, in_tenant, monkeypatch, tmp_path):
    pdf = _render(report_enterprise, in_tenant, monkeypatch, "zh",
                  legal_name="厦门密排测试机械有限公司")
    text = _check_pages(tmp_path, pdf)
    flat = re.sub(r"\s+", "", text)
    # The one-page summary: score, level, the first actions (the plan's quick win first).
    assert "执行摘要" in flat and "优先行动" in flat
    assert flat.index("建立供应商准时交付月度复盘机制") < flat.index("评估结论与维度画像")
    # Written findings on the whole and per dimension.
    assert "综合指数为" in flat and "处于" in flat
    # The plan's chapter: its title, owners, due dates, overdue, the source by section.
    assert "2026年度供应链改进计划" in flat
    for fragment in ("王采购", "2026-06-30", "李信息", "逾期", "速赢", "企业自拟",
                     "三、实现企业供应链管理精益化第（五）条"):
        assert fragment in flat, fragment
    # The roadmap cites the guide by its section.
    assert re.search(r"来源：《制造业企业供应链管理水平提升指南（试行）》"
                     r"[一二三四五六七八九十]+、", flat)
    # The energy chapter names its factors and their documents.
    assert "所用因子" in flat and "GB/T2589-2020" in flat


def test_the_english_report_without_a_plan(report_enterprise, in_tenant, monkeypatch,
                                           tmp_path):
    pdf = _render(report_enterprise, in_tenant, monkeypatch, "en", plan=False,
                  legal_name="Xiamen Dense Test Machinery Co")
    text = _check_pages(tmp_path, pdf)
    flat = " ".join(text.split())
    assert "Executive summary" in flat and "First actions" in flat
    assert "The overall index is" in flat
    assert "Improvement plan" not in flat  # no plan: no chapter, no entry in the contents
    assert "Factors used" in flat
    assert re.search(r"Source: Guide to Improving Supply-Chain Management of Manufacturing "
                     r"Enterprises \(Trial\), section \d+", flat)


def test_a_page_two_thirds_empty_is_caught(tmp_path) -> None:
    """The fill measure itself: a page with three lines fails the threshold, a full one
    passes."""
    import weasyprint

    html = ("<style>@page{size:A4;margin:20mm 16mm 22mm}</style>"
            "<p>one</p><p>two</p><p>three</p><p style='break-before:page'>"
            + "full line of text. " * 900 + "</p>")
    fills = page_fills(weasyprint.HTML(string=html).write_pdf())
    assert fills[0].vertical < FILL_THRESHOLD
    assert fills[1].vertical > 0.9
