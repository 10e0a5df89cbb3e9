"""Evidence through the browser for the enterprise's own members: upload, type by content,
refusals, download, removal, the evidence page and include; another tenant gets 404."""

from __future__ import annotations

import io
import re

import pytest

from assessment.assessments.models import IndicatorState
from assessment.evidence.models import EvidenceFile
from tenants.models import Role
from tests.integration.assessment_review import factories
from tests.web.helpers import ENGLISH, text

# The confirmation step itself: tests/web/assessment_review/test_confirmations.py.
CONFIRM = {"confirm": "yes"}

CODE = "lean.on_time_delivery_rate"


def _upload(post, tenant, assessment, data, name, code=CODE):
    return post(f"/t/{tenant.slug}/assessments/{assessment.id}/evidence",
                {"indicator_code": code, "file": (io.BytesIO(data), name)},
                headers=ENGLISH, content_type="multipart/form-data")


@pytest.fixture
def enterprise_with_file(app, make_enterprise, make_assessment, sign_in, post, fetch):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    sign_in(factories_owner(app, enterprise))
    response = _upload(post, enterprise, assessment, factories.PDF, "delivery log.pdf")
    assert response.status_code == 303
    [stored] = fetch(EvidenceFile, EvidenceFile.tenant_id == enterprise.id)
    return enterprise, assessment, stored


def factories_owner(app, tenant):
    from tests.factories import owner_of

    return owner_of(app, tenant)


def _url(tenant, assessment, stored):
    return f"/t/{tenant.slug}/assessments/{assessment.id}/evidence/{stored.id}"


def test_an_upload_is_stored_documented_and_downloadable_by_a_member(
        client, enterprise_with_file, fetch):
    enterprise, assessment, stored = enterprise_with_file
    assert stored.content_type == "application/pdf" and stored.size == len(factories.PDF)
    [state] = fetch(IndicatorState, IndicatorState.tenant_id == enterprise.id,
                    IndicatorState.code == CODE)
    assert state.confidence == "documented"
    response = client.get(_url(enterprise, assessment, stored))
    assert response.status_code == 200 and response.data == factories.PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"delivery_log.pdf\"; filename*=UTF-8''delivery%20log.pdf")
    page = client.get(f"/t/{enterprise.slug}/assessments/{assessment.id}/evidence")
    assert "delivery log.pdf" in text(page)


def test_a_png_named_pdf_is_accepted_as_png(app, make_enterprise, make_assessment, sign_in,
                                             post, fetch, client):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    sign_in(factories_owner(app, enterprise))
    assert _upload(post, enterprise, assessment, factories.PNG, "scan.pdf").status_code == 303
    [stored] = fetch(EvidenceFile, EvidenceFile.tenant_id == enterprise.id)
    assert stored.content_type == "image/png"
    response = client.get(_url(enterprise, assessment, stored))
    assert response.headers["Content-Type"] == "image/png"
    assert 'filename="scan.png"' in response.headers["Content-Disposition"]


@pytest.mark.parametrize(("data", "name", "status", "message"), [
    (factories.EXE, "invoice.pdf", 422, "This type of file is not accepted"),
    (factories.plain_zip(), "workbook.xlsx", 422, "This type of file is not accepted"),
    (factories.zip_bomb(), "workbook.xlsx", 422, "unpacks to an unreasonable size"),
    (b"", "empty.pdf", 422, "The file is empty."),
])
def test_refused_uploads_name_the_reason_and_store_nothing(
        app, make_enterprise, make_assessment, sign_in, post, fetch, data, name, status,
        message):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    sign_in(factories_owner(app, enterprise))
    response = _upload(post, enterprise, assessment, data, name)
    assert response.status_code == status
    assert message in text(response)
    assert 'id="file-err"' in response.get_data(as_text=True)
    assert fetch(EvidenceFile, EvidenceFile.tenant_id == enterprise.id) == []
    assert fetch(IndicatorState, IndicatorState.tenant_id == enterprise.id) == []


def test_an_oversized_upload_is_refused(app, make_enterprise, make_assessment, sign_in, post,
                                        fetch, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 2048)
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    sign_in(factories_owner(app, enterprise))
    response = _upload(post, enterprise, assessment, factories.PDF + b"0" * 4096, "big.pdf")
    assert response.status_code == 422
    assert "larger than the limit of" in text(response)
    huge = _upload(post, enterprise, assessment, factories.PDF + b"0" * 200_000, "huge.pdf")
    assert huge.status_code == 413
    assert fetch(EvidenceFile, EvidenceFile.tenant_id == enterprise.id) == []


def test_another_tenant_gets_404(app, enterprise_with_file, make_tenant, make_user, sign_in,
                                 client):
    enterprise, assessment, stored = enterprise_with_file
    stranger = make_user()
    other = make_tenant("enterprise", owner=stranger)
    sign_in(stranger)
    assert client.get(_url(other, assessment, stored)).status_code == 404
    assert client.get(_url(enterprise, assessment, stored)).status_code == 404


def test_a_viewer_may_download_but_not_upload_or_remove(
        app, enterprise_with_file, make_user, add_member, sign_in, post, client, fetch):
    enterprise, assessment, stored = enterprise_with_file
    viewer = make_user()
    add_member(enterprise, viewer, Role.viewer)
    sign_in(viewer)
    assert client.get(_url(enterprise, assessment, stored)).status_code == 200
    assert _upload(post, enterprise, assessment, factories.PDF, "x.pdf").status_code == 403
    removed = post(f"{_url(enterprise, assessment, stored)}/delete", CONFIRM)
    assert removed.status_code == 403
    assert len(fetch(EvidenceFile, EvidenceFile.tenant_id == enterprise.id)) == 1


def test_the_owner_removes_a_file(app, enterprise_with_file, post, client, fetch):
    enterprise, assessment, stored = enterprise_with_file
    response = post(f"{_url(enterprise, assessment, stored)}/delete", CONFIRM)
    assert response.status_code == 303
    assert fetch(EvidenceFile, EvidenceFile.tenant_id == enterprise.id) == []
    assert client.get(_url(enterprise, assessment, stored)).status_code == 404


def test_the_evidence_page_preselects_the_indicator_and_returns_to_the_questionnaire(
        app, make_enterprise, make_assessment, sign_in, client, post):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    sign_in(factories_owner(app, enterprise))
    back = f"/t/{enterprise.slug}/assessments/{assessment.id}/pages/lean#{CODE}"
    page = client.get(f"/t/{enterprise.slug}/assessments/{assessment.id}/evidence",
                      query_string={"code": CODE, "next": back})
    html = page.get_data(as_text=True)
    assert re.search(rf'<option selected value="{re.escape(CODE)}">', html)
    response = post(f"/t/{enterprise.slug}/assessments/{assessment.id}/evidence",
                    {"indicator_code": CODE, "next": back,
                     "file": (io.BytesIO(factories.PDF), "a.pdf")},
                    content_type="multipart/form-data")
    assert response.status_code == 303 and response.headers["Location"].endswith(back)
    elsewhere = post(f"/t/{enterprise.slug}/assessments/{assessment.id}/evidence",
                     {"indicator_code": CODE, "next": "https://evil.example/",
                      "file": (io.BytesIO(factories.PDF), "b.pdf")},
                     content_type="multipart/form-data")
    assert elsewhere.headers["Location"].endswith(
        f"/t/{enterprise.slug}/assessments/{assessment.id}/evidence")


def test_the_evidence_include_lists_files_without_a_nested_form(
        app, enterprise_with_file):
    from flask import g, render_template

    enterprise, assessment, stored = enterprise_with_file
    with app.test_request_context(f"/t/{enterprise.slug}/"):
        g.tenant = enterprise  # as the tenant blueprint sets it: url_for adds the slug
        html = render_template("assessment/_evidence.html", assessment=assessment, code=CODE,
                               evidence_files=[stored], can_edit=True)
    assert "delivery log.pdf" in html and "<form" not in html
    assert f"/assessments/{assessment.id}/evidence/{stored.id}" in html
