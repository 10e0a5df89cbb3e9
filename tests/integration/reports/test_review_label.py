"""Every page of an enterprise report says whether anyone outside the enterprise reviewed it:
"自评" / "Self-assessment" when the enterprise finalised it itself, the reviewing
organisation when a linked reviewer did. Real PDFs, read back page by page with pdftotext;
the appendix pages reused across reports never carry another report's label."""

from __future__ import annotations

import re

import pytest

from tests.integration.reports.conftest import finalised_report_assessment, pdf_text


@pytest.fixture(autouse=True)
def _reports_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REPORTS_DIR", str(tmp_path / "reports"))


def _pages(tmp_path, pdf: bytes) -> list[str]:
    pages = pdf_text(tmp_path, pdf).split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends the last page with a form feed too
    assert len(pages) >= 12
    return pages


def _pdf(in_tenant, enterprise, assessment, lang, issuer=None):
    from assessment.reports import services

    return in_tenant(enterprise, lambda: services.enterprise_report_pdf(
        assessment, lang, issuer or enterprise, check_entitlement=False)).content


def _reviewer(make_tenant, make_link, enterprise, name):
    from tenants.models import LinkGrant, TenantKind

    consultancy = make_tenant(TenantKind.consultancy, name=name)
    make_link(consultancy, enterprise, grants=[LinkGrant.review, LinkGrant.reports])
    return consultancy


@pytest.mark.parametrize(("lang", "label", "other"), [
    ("zh", "自评", r"经\S+审核"), ("en", "Self-assessment", r"Reviewed by")])
def test_an_unreviewed_report_says_self_assessment_on_every_page(
        report_enterprise, in_tenant, tmp_path, lang, label, other):
    enterprise, assessment = report_enterprise(legal_name="宁波精密轴承有限公司")
    pages = _pages(tmp_path, _pdf(in_tenant, enterprise, assessment, lang))
    missing = [n + 1 for n, page in enumerate(pages) if label not in page]
    assert missing == [], f"pages without {label!r}: {missing}"
    assert not any(re.search(other, page) for page in pages)
    assert "已核实" not in "".join(pages)  # the enterprise's own check is never "verified"


@pytest.mark.parametrize(("lang", "label"), [
    ("zh", "经闽江咨询审核"), ("en", "Reviewed by 闽江咨询")])
def test_a_reviewed_report_names_the_reviewing_organisation_on_every_page(
        app, make_tenant, make_link, in_tenant, tmp_path, lang, label):
    enterprise = make_tenant(name="福州阀门")
    consultancy = _reviewer(make_tenant, make_link, enterprise, "闽江咨询")
    assessment = finalised_report_assessment(app, enterprise, reviewed_by=consultancy)
    pages = _pages(tmp_path, _pdf(in_tenant, enterprise, assessment, lang))
    missing = [n + 1 for n, page in enumerate(pages) if label not in page]
    assert missing == [], f"pages without {label!r}: {missing}"
    assert not any("自评" in page or "Self-assessment" in page for page in pages)


def test_the_reused_appendix_pages_carry_each_reports_own_label(
        app, make_tenant, make_link, in_tenant, tmp_path):
    """Two enterprises of one cohort, one issuer: their appendices are the same text, and
    only the label tells the kept pages apart (it is part of their key)."""
    from assessment.reports import pdf_engine, services
    from assessment.reports.report_render import brand_css, report_html
    from assessment.reports.static_part import marked

    issuer = make_tenant("consultancy", name="长江审核咨询")
    reviewed = make_tenant(name="Reviewed Works")
    make_link(issuer, reviewed, grants=["review", "reports"])
    own = make_tenant(name="Own Works")
    make_link(issuer, own, grants=["reports"])
    reviewed_assessment = finalised_report_assessment(app, reviewed, reviewed_by=issuer)
    own_assessment = finalised_report_assessment(app, own)

    def html_and_key(enterprise, assessment):
        def build():
            report = services.enterprise_report(assessment, "zh", issuer)
            html = report_html(services.ENTERPRISE_TEMPLATE, report, "zh", for_pdf=True)
            css = brand_css(report.branding)
            found = marked(html)
            assert found is not None
            return html, css, found.key(css), found.static

        return in_tenant(enterprise, build)

    reviewed_html, css, reviewed_key, reviewed_static = html_and_key(reviewed,
                                                                     reviewed_assessment)
    own_html, own_css, own_key, own_static = html_and_key(own, own_assessment)
    assert own_static == reviewed_static and own_css == css  # the same appendix text
    assert own_key != reviewed_key  # yet kept apart: the label is in the key

    pdf_engine._kept_pages.clear()
    pdf_engine.render_pdf(reviewed_html, css)  # whole: learns the appendix's length
    pdf_engine.render_pdf(reviewed_html, css)  # keeps the appendix pages
    pages = _pages(tmp_path, pdf_engine.render_pdf(own_html, own_css).content)
    assert all("自评" in page for page in pages)
    assert not any("经长江审核咨询审核" in page for page in pages)
    again = _pages(tmp_path, pdf_engine.render_pdf(reviewed_html, css).content)
    assert all("经长江审核咨询审核" in page for page in again)
