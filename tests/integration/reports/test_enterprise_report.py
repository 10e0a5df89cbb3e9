"""The enterprise report end to end: real data through the lifecycle, a real PDF read back
with poppler, hostile content, the anonymity threshold, and the content-hash cache."""

from __future__ import annotations

import pytest

from tests.integration.reports.conftest import finalised_report_assessment, page_count, pdf_text


@pytest.fixture(autouse=True)
def _reports_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REPORTS_DIR", str(tmp_path / "reports"))


def _pdf(enterprise, assessment, lang="zh", issuer=None, in_tenant=None):
    from assessment.reports import services

    return in_tenant(enterprise, lambda: services.enterprise_report_pdf(
        assessment, lang, issuer or enterprise))


def _report(enterprise, assessment, lang="zh", issuer=None, in_tenant=None):
    from assessment.reports import services

    return in_tenant(enterprise, lambda: services.enterprise_report(
        assessment, lang, issuer or enterprise))


def test_pdf_text_has_name_and_overall_score_and_a_subset_cjk_font(
        report_enterprise, in_tenant, tmp_path):
    enterprise, assessment = report_enterprise(legal_name="苏州精益测试机械有限公司")
    report = _report(enterprise, assessment, in_tenant=in_tenant)
    found = _pdf(enterprise, assessment, in_tenant=in_tenant)
    text = pdf_text(tmp_path, found.content)
    assert "苏州精益测试机械有限公司" in text
    assert report.overall_score != "—" and report.overall_score in text
    assert "准时交货率" in text  # indicator names from the framework, in Chinese
    assert page_count(tmp_path, found.content) >= 12
    fonts = pdf_text(tmp_path, found.content, "pdffonts").splitlines()[2:]
    # The report font only (its charts' SVG text included): two subsets, nothing fell back.
    assert sorted(line.split()[0].split("+")[1] for line in fonts) == [
        "ChainGauge-Sans-SC", "ChainGauge-Sans-SC-Bold"], fonts
    for line in fonts:
        assert line.split()[-5:-3] == ["yes", "yes"]  # embedded, subset
    info = pdf_text(tmp_path, found.content, "pdfinfo")
    assert "苏州精益测试机械有限公司" in info  # the title


def test_english_report_uses_english_indicator_names(report_enterprise, in_tenant, tmp_path):
    enterprise, assessment = report_enterprise(legal_name="Suzhou Lean Test Machinery Co")
    text = pdf_text(tmp_path, _pdf(enterprise, assessment, "en", in_tenant=in_tenant).content)
    assert "On-time delivery rate" in text
    assert "Executive summary" in text
    assert "Suzhou Lean Test Machinery Co" in text



def test_the_appendix_reused_from_an_earlier_render_gives_the_same_pdf_as_a_whole_render(
        report_enterprise, in_tenant, tmp_path):
    from assessment.reports import pdf_engine, services
    from assessment.reports.report_render import brand_css, report_html

    note = "整体供应链协同较好，建议加强数字化。"
    enterprise, assessment = report_enterprise(general_comment=note)

    def html_and_css() -> tuple[str, str]:
        report = services.enterprise_report(assessment, "zh", enterprise)
        return (report_html(services.ENTERPRISE_TEMPLATE, report, "zh", for_pdf=True),
                brand_css(report.branding))

    html, css = in_tenant(enterprise, html_and_css)
    pdf_engine._kept_pages.clear()
    whole = pdf_engine.render_pdf(html.replace("<!--cg:content-->", ""), css).content
    assert pdf_engine.render_pdf(html, css).content == whole  # rendered whole, appendix kept
    assert pdf_engine.render_pdf(html, css).content == whole  # appendix pages reused

    # The reviewer's note on the whole assessment is in the executive summary: the appendix
    # is the same for every enterprise and carries nothing of one.
    pages = pdf_text(tmp_path, whole).split("\f")
    note_page = next(i for i, page in enumerate(pages) if note in page)
    # Each page opens with its running header (the review label, "自评" here).
    appendix_page = next(i for i, page in enumerate(pages)
                         if page.lstrip().removeprefix("自评").lstrip()
                         .startswith("附录：方法说明"))
    assert "执行摘要" in pages[note_page] and note_page < appendix_page


def test_hostile_name_comment_and_logo_fetch_nothing_and_embed_nothing(
        app, make_tenant, make_link, in_tenant, listener, tmp_path):
    from assessment.reports.models import TenantBranding
    from tenants.context import set_tenant
    from tenants.extensions import db
    from tenants.models import LinkGrant, TenantKind

    port, connections = listener
    hostile = (f'<img src="file:///etc/passwd"><img src="http://127.0.0.1:{port}/n.png">'
               f'<link rel="attachment" href="file:///etc/passwd">')
    consultancy = make_tenant(TenantKind.consultancy)
    enterprise = make_tenant(name="Hostile")
    make_link(consultancy, enterprise, grants=[LinkGrant.reports])
    assessment = finalised_report_assessment(
        app, enterprise, legal_name=f"恶意{hostile}"[:200],
        comment=f'<a rel="attachment" href="file:///etc/passwd">x</a> '
                f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css"> {hostile}')
    logo = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            f'<image href="http://127.0.0.1:{port}/logo.png" width="10" height="10"/>'
            f'<image xlink:href="file:///etc/passwd" width="10" height="10"/></svg>').encode()
    with app.app_context():
        # Stored as is, bypassing the logo sanitiser: the renderer must hold on its own.
        set_tenant(db.session, consultancy.id)
        db.session.add(TenantBranding(logo=logo, logo_media_type="image/svg+xml",
                                      footer_text=hostile[:200]))
        db.commit()
    found = _pdf(enterprise, assessment, issuer=consultancy, in_tenant=in_tenant)
    assert connections == []
    assert b"root:" not in found.content
    assert b"/EmbeddedFile" not in found.content
    text = pdf_text(tmp_path, found.content)
    assert "file:///etc/passwd" in text  # shown as text, never followed


def test_cohort_below_five_shows_no_statistics_and_five_shows_them(
        app, report_enterprise, in_tenant):
    from tests.integration.benchmarks.conftest import make_peer

    enterprise, assessment = report_enterprise(division="C34")
    scores = {"overall": 50.0, "lean": 50.0, "lean.on_time_delivery_rate": 60.0}
    for n in range(3):
        make_peer(app, {**scores, "overall": 40.0 + n}, division="C34", year=2025,
                  values={"lean.on_time_delivery_rate": 90.0 + n})
    four = _report(enterprise, assessment, in_tenant=in_tenant)
    assert not four.cohort_shown and four.percentile is None
    lean = next(d for d in four.dimensions if d.code == "lean")
    assert lean.cohort_median == "—"
    assert all(i.cohort_median == "—" for i in lean.indicators)

    make_peer(app, scores, division="C34", year=2025,
              values={"lean.on_time_delivery_rate": 95.0})
    five = _report(enterprise, assessment, in_tenant=in_tenant)
    assert five.cohort_shown and five.cohort_size == "5"
    assert five.percentile is not None
    lean = next(d for d in five.dimensions if d.code == "lean")
    assert lean.cohort_median != "—"
    delivery = next(i for i in lean.indicators if i.code == "lean.on_time_delivery_rate")
    assert delivery.cohort_median != "—" and delivery.percentile_text.startswith("P")


def test_an_unchanged_report_comes_from_the_cache_and_a_changed_answer_renders_again(
        app, report_enterprise, in_tenant):
    from assessment.assessments import answering
    from assessment.assessments import services as lifecycle
    from assessment.assessments.queries import assessment as load
    from tenants import queries as platform_queries
    from tenants.context import set_tenant
    from tenants.extensions import db

    enterprise, assessment = report_enterprise()
    first = _pdf(enterprise, assessment, in_tenant=in_tenant)
    again = _pdf(enterprise, assessment, in_tenant=in_tenant)
    assert not first.cached and again.cached and again.content == first.content

    with app.test_request_context():
        set_tenant(db.session, enterprise.id)
        owner = platform_queries.owners_of(enterprise.id)[0]
        membership = platform_queries.membership(enterprise.id, owner.id)
        current = load(assessment.id)
        lifecycle.reopen(current, membership)
        from assessment.assessments.queries import answer

        answering.save_answer(current, membership, owner, "deliveries_on_time", 1,
                              expected_version=answer(current.id, "deliveries_on_time").version)
        lifecycle.submit(current, membership)
        lifecycle.finalise(current, owner)
        db.commit()
        db.session.expunge(current)
    changed = _pdf(enterprise, current, in_tenant=in_tenant)
    assert not changed.cached and changed.content != first.content


def test_a_draft_has_no_report(app, make_tenant, in_tenant):
    from assessment.reports import services
    from assessment.reports.gather import NotFinalised
    from tests.integration.assessment_review.factories import make_assessment

    enterprise = make_tenant()
    draft = make_assessment(app, enterprise, 2025)
    with pytest.raises(NotFinalised):
        in_tenant(enterprise, lambda: services.enterprise_report(draft, "zh", enterprise))
