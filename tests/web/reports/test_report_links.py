"""Links into the reports: the results page of a finalised assessment (own, or a linked
reader's whose link grants reports), the tenant nav, the association dashboard. A link whose
PDF the plan lacks still shows; following it answers with the refusal and its upgrade link."""

from __future__ import annotations

import html
import re

import pytest

from tests.factories import owner_of
from tests.integration.assessment_review import factories as review
from tests.integration.billing.helpers import billing  # noqa: F401 (a fixture)
from tests.web.helpers import ENGLISH


@pytest.fixture(autouse=True)
def _reports_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REPORTS_DIR", str(tmp_path / "reports"))


def _hrefs(response) -> set[str]:
    return {html.unescape(h) for h in re.findall(r'href="([^"]+)"',
                                                  response.get_data(as_text=True))}


def _report_urls(slug: str, assessment_id, prefix: str = "") -> tuple[str, str, str]:
    base = f"/t/{slug}/reports{prefix}/assessments/{assessment_id}"
    return base, f"{base}.pdf?lang=zh", f"{base}.pdf?lang=en"


def _results(client, slug: str, assessment_id, prefix: str = ""):
    return client.get(f"/t/{slug}{prefix}/assessments/{assessment_id}/results",
                      headers=ENGLISH)


def test_the_results_of_a_finalised_assessment_link_to_the_preview_and_both_pdfs(
        app, client, sign_in, make_tenant):
    enterprise = make_tenant("enterprise")
    assessment = review.make_assessment(app, enterprise, finalise=True)
    sign_in(owner_of(app, enterprise))
    page = _results(client, enterprise.slug, assessment.id)
    assert page.status_code == 200
    preview, pdf_zh, pdf_en = _report_urls(enterprise.slug, assessment.id)
    assert {preview, pdf_zh, pdf_en} <= _hrefs(page)
    body = html.unescape(page.get_data(as_text=True))
    assert "Report (preview)" in body and "Download PDF (English)" in body
    assert client.get(preview).status_code == 200  # the link leads to the report


@pytest.mark.parametrize("state", ["draft", "submitted"])
def test_an_assessment_not_yet_finalised_has_no_report_links(
        app, client, sign_in, make_tenant, state):
    enterprise = make_tenant("enterprise")
    assessment = review.make_assessment(app, enterprise, submit=state == "submitted")
    sign_in(owner_of(app, enterprise))
    page = _results(client, enterprise.slug, assessment.id)
    assert page.status_code == 200
    assert not any(h.startswith(f"/t/{enterprise.slug}/reports/assessments/")
                   for h in _hrefs(page))
    assert "Report (preview)" not in page.get_data(as_text=True)


def test_a_linked_reader_gets_link_aware_report_urls_only_with_the_reports_grant(
        app, client, sign_in, make_user, make_tenant, make_link):
    from tenants.models import LinkGrant

    consultant = make_user()
    consultancy = make_tenant("consultancy", owner=consultant)
    granted, review_only = make_tenant("enterprise"), make_tenant("enterprise")
    make_link(consultancy, granted, grants=[LinkGrant.review, LinkGrant.reports])
    make_link(consultancy, review_only, grants=[LinkGrant.review])
    with_reports = review.make_assessment(app, granted, finalise=True)
    without = review.make_assessment(app, review_only, finalise=True)
    sign_in(consultant)

    prefix = f"/clients/{granted.id}"
    page = _results(client, consultancy.slug, with_reports.id, prefix)
    assert page.status_code == 200
    urls = _report_urls(consultancy.slug, with_reports.id, prefix)
    assert set(urls) <= _hrefs(page)
    assert client.get(urls[0]).status_code == 200

    page = _results(client, consultancy.slug, without.id, f"/clients/{review_only.id}")
    assert page.status_code == 200  # results through the review grant ...
    assert not any(h.startswith(f"/t/{consultancy.slug}/reports/clients/")
                   for h in _hrefs(page))  # ... but no report without the reports grant


def test_a_pdf_outside_the_plan_is_linked_and_refused_with_an_upgrade_link(
        app, client, sign_in, make_tenant, billing):  # noqa: F811
    enterprise = make_tenant("enterprise")
    assessment = review.make_assessment(app, enterprise, finalise=True)
    sign_in(owner_of(app, enterprise))
    _preview, pdf_zh, _pdf_en = _report_urls(enterprise.slug, assessment.id)
    assert pdf_zh in _hrefs(_results(client, enterprise.slug, assessment.id))
    refused = client.get(pdf_zh, headers=ENGLISH)
    assert refused.status_code in (402, 403)
    assert f"/t/{enterprise.slug}/billing/" in refused.get_data(as_text=True)


@pytest.mark.parametrize("kind", ["enterprise", "consultancy", "association"])
def test_the_nav_links_to_the_reports_for_every_kind_of_tenant(
        app, client, sign_in, make_tenant, kind):
    tenant = make_tenant(kind)
    sign_in(owner_of(app, tenant))
    home = client.get(f"/t/{tenant.slug}/", headers=ENGLISH)
    assert home.status_code == 200
    assert f"/t/{tenant.slug}/reports/" in _hrefs(home)
    assert client.get(f"/t/{tenant.slug}/reports/").status_code == 200


def test_the_dashboard_links_to_the_cohort_report_and_the_bulk_run(
        app, client, sign_in, make_tenant):
    association = make_tenant("association")
    sign_in(owner_of(app, association))
    page = client.get(f"/t/{association.slug}/dashboard/?year=2025", headers=ENGLISH)
    assert page.status_code == 200
    links = _hrefs(page)
    assert f"/t/{association.slug}/reports/cohort/2025" in links
    assert f"/t/{association.slug}/reports/cohort" in links  # the bulk run lives there
    assert "Cohort report 2025" in page.get_data(as_text=True)
    assert client.get(f"/t/{association.slug}/reports/cohort").status_code == 200


def test_the_chinese_dashboard_says_member_companies_not_team_members(
        app, client, sign_in, make_tenant):
    association = make_tenant("association")
    sign_in(owner_of(app, association))
    page = client.get(f"/t/{association.slug}/dashboard/?year=2025",
                      headers={"Accept-Language": "zh-CN"})
    body = page.get_data(as_text=True)
    assert "<h2>会员企业 <small" in body
    assert "2025 年度对标群组报告" in body
