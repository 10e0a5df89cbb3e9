"""Report pages through the test client: the enterprise's own, a linked consultancy's, the
association's cohort report and bulk run, refusals (another tenant, no grant, revoked link,
the Free plan with billing on)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from tenants.context import set_tenant
from tests.integration.benchmarks.conftest import add_link, make_peer
from tests.integration.billing.helpers import billing  # noqa: F401 (a fixture)
from tests.integration.reports.conftest import finalised_report_assessment

COHORT_SCORES = {"overall": 55.0, "lean": 60.0, "lean.on_time_delivery_rate": 70.0}


@pytest.fixture(autouse=True)
def _reports_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REPORTS_DIR", str(tmp_path / "reports"))


def _enterprise(app, make_user, make_tenant, **kwargs):
    owner = make_user()
    tenant = make_tenant(owner=owner, name=kwargs.pop("name", None))
    return owner, tenant, finalised_report_assessment(app, tenant, **kwargs)


def test_owner_previews_and_downloads_the_report_served_from_cache_the_second_time(
        app, client, sign_in, make_user, make_tenant):
    owner, tenant, assessment = _enterprise(app, make_user, make_tenant,
                                            legal_name="网页测试制造有限公司")
    sign_in(owner)
    index = client.get(f"/t/{tenant.slug}/reports/")
    assert index.status_code == 200 and str(assessment.id) in index.get_data(as_text=True)
    preview = client.get(f"/t/{tenant.slug}/reports/assessments/{assessment.id}?lang=en")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "网页测试制造有限公司" in html
    assert "Executive summary" in html and ' style="' not in html
    first = client.get(f"/t/{tenant.slug}/reports/assessments/{assessment.id}.pdf?lang=zh")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.data.startswith(b"%PDF") and first.headers["X-Report-Cache"] == "miss"
    second = client.get(f"/t/{tenant.slug}/reports/assessments/{assessment.id}.pdf?lang=zh")
    assert second.headers["X-Report-Cache"] == "hit" and second.data == first.data


def test_another_tenants_assessment_is_a_404(app, client, sign_in, make_user, make_tenant):
    owner, tenant, _mine = _enterprise(app, make_user, make_tenant)
    _other_owner, _other, theirs = _enterprise(app, make_user, make_tenant)
    sign_in(owner)
    for suffix in ("", ".pdf"):
        assert client.get(f"/t/{tenant.slug}/reports/assessments/{theirs.id}{suffix}"
                          ).status_code == 404


def test_consultancy_with_reports_grant_downloads_until_the_link_is_revoked(
        app, client, sign_in, make_user, make_tenant, make_link):
    from tenants.models import LinkGrant, TenantKind
    from tenants.services import links
    from tests.factories import owner_of

    consultant = make_user()
    consultancy = make_tenant(TenantKind.consultancy, owner=consultant)
    _owner, enterprise, assessment = _enterprise(app, make_user, make_tenant)
    _o2, not_granted, other = _enterprise(app, make_user, make_tenant)
    link = make_link(consultancy, enterprise, grants=[LinkGrant.reports])
    make_link(consultancy, not_granted, grants=[LinkGrant.scores])
    sign_in(consultant)
    base = f"/t/{consultancy.slug}/reports/clients"
    assert client.get(f"{base}/{enterprise.id}/").status_code == 200
    found = client.get(f"{base}/{enterprise.id}/assessments/{assessment.id}.pdf")
    assert found.status_code == 200 and found.data.startswith(b"%PDF")
    assert client.get(f"{base}/{not_granted.id}/assessments/{other.id}.pdf").status_code == 404
    assert client.get(f"{base}/{enterprise.id}/assessments/{other.id}").status_code == 404
    with app.test_request_context():
        from tenants.extensions import db

        set_tenant(db.session, enterprise.id)  # the revoking side's scope

        links.revoke(db.session.merge(enterprise), db.session.merge(owner_of(app, enterprise)),
                     link.id)
        db.commit()
    assert client.get(f"{base}/{enterprise.id}/assessments/{assessment.id}.pdf"
                      ).status_code == 404
    assert client.get(f"{base}/{enterprise.id}/").status_code == 404


def test_a_consultancy_with_reports_grant_previews_its_clients_report_under_its_name(
        app, client, sign_in, make_user, make_tenant, make_link):
    from tenants.models import LinkGrant, TenantKind

    consultant = make_user()
    consultancy = make_tenant(TenantKind.consultancy, owner=consultant, name="Web Consultancy")
    _owner, enterprise, assessment = _enterprise(app, make_user, make_tenant,
                                                 legal_name="客户制造有限公司")
    make_link(consultancy, enterprise, grants=[LinkGrant.reports])
    sign_in(consultant)
    url = f"/t/{consultancy.slug}/reports/clients/{enterprise.id}/assessments/{assessment.id}"
    preview = client.get(f"{url}?lang=en")
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "客户制造有限公司" in html and "Executive summary" in html
    assert '<meta name="author" content="Web Consultancy">' in html
    assert f'href="{url}.pdf?lang=zh"' in html  # the toolbar stays inside the link


def test_free_plan_is_refused_the_pdf_with_an_upgrade_link_when_billing_is_on(
        app, client, sign_in, make_user, make_tenant, billing):  # noqa: F811
    owner, tenant, assessment = _enterprise(app, make_user, make_tenant)
    sign_in(owner)
    refused = client.get(f"/t/{tenant.slug}/reports/assessments/{assessment.id}.pdf")
    assert refused.status_code in (402, 403)
    assert f"/t/{tenant.slug}/billing/" in refused.get_data(as_text=True)
    # the preview is the results on the page: every plan has it
    assert client.get(f"/t/{tenant.slug}/reports/assessments/{assessment.id}").status_code == 200


def test_association_downloads_its_cohort_report_and_every_members_report(
        app, client, sign_in, make_user, make_tenant, make_link, post, monkeypatch):
    from tenants.models import LinkGrant, TenantKind

    # Rendered in this process (the worker processes are tested with the job itself).
    monkeypatch.setitem(app.config, "REPORT_WORKERS", 1)

    secretary = make_user()
    association = make_tenant(TenantKind.association, owner=secretary, name="Web Association")
    members = []
    for n in range(2):
        _owner, member, _assessment = _enterprise(app, make_user, make_tenant,
                                                  name=f"Member {n}")
        make_link(association, member, grants=[LinkGrant.scores, LinkGrant.reports])
        members.append(member)
    sign_in(secretary)
    page = client.get(f"/t/{association.slug}/reports/cohort")
    assert page.status_code == 200
    cohort = client.get(f"/t/{association.slug}/reports/cohort/2025.pdf?lang=en")
    assert cohort.status_code == 200 and cohort.data.startswith(b"%PDF")
    started = post(f"/t/{association.slug}/reports/bulk", {"year": "2025", "lang": "en"})
    assert started.status_code == 302
    job_url = started.headers["Location"]
    status = client.get(job_url)
    assert status.status_code == 200 and 'src="/static/js/reports.js"' in \
        status.get_data(as_text=True)
    progress = client.get(f"{job_url}.json").get_json()
    assert progress["status"] == "done" and progress["done"] == progress["total"] == 2
    archive = client.get(progress["download"])
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.data)) as package:
        assert len(package.namelist()) == 2


def _association_with_members(app, make_user, make_tenant, members):
    """An association and its owner, with ``members`` linked enterprises sharing finalised
    2025 scores (stored figures, the benchmark tests' fast path)."""
    from tenants.models import TenantKind

    secretary = make_user()
    association = make_tenant(TenantKind.association, owner=secretary, name="Cohort Association")
    for n in range(members):
        add_link(app, association, make_peer(app, {**COHORT_SCORES, "overall": 40.0 + n}))
    return secretary, association


def test_association_previews_its_cohort_report_in_chinese_and_english(
        app, client, sign_in, make_user, make_tenant):
    secretary, association = _association_with_members(app, make_user, make_tenant, 5)
    sign_in(secretary)
    url = f"/t/{association.slug}/reports/cohort/2025"
    chinese = client.get(url)
    assert chinese.status_code == 200
    html = chinese.get_data(as_text=True)
    assert "Cohort Association" in html and "<h2>各维度得分分布</h2>" in html
    english = client.get(f"{url}?lang=en")
    assert english.status_code == 200
    assert "<h2>Dimension distributions</h2>" in english.get_data(as_text=True)


def test_a_cohort_preview_without_five_sharing_members_shows_no_statistics(
        app, client, sign_in, make_user, make_tenant):
    secretary, association = _association_with_members(app, make_user, make_tenant, 0)
    sign_in(secretary)
    response = client.get(f"/t/{association.slug}/reports/cohort/2025?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Not shown: fewer than 5 members share finalised scores for this year." in html
    assert "Dimension distributions" not in html


def test_free_association_is_refused_the_cohort_preview_when_billing_is_on(
        app, client, sign_in, make_user, make_tenant, billing):  # noqa: F811
    secretary, association = _association_with_members(app, make_user, make_tenant, 0)
    sign_in(secretary)
    refused = client.get(f"/t/{association.slug}/reports/cohort/2025")
    assert refused.status_code == 403
    assert f"/t/{association.slug}/billing/" in refused.get_data(as_text=True)


def test_an_enterprise_has_no_cohort_preview(client, sign_in, make_user, make_tenant):
    owner = make_user()
    tenant = make_tenant(owner=owner)
    sign_in(owner)
    assert client.get(f"/t/{tenant.slug}/reports/cohort/2025").status_code == 404


def test_bulk_job_of_another_association_is_a_404(app, client, sign_in, make_user,
                                                  make_tenant, post):
    from tenants.models import TenantKind

    first_owner = make_user()
    first = make_tenant(TenantKind.association, owner=first_owner)
    second_owner = make_user()
    second = make_tenant(TenantKind.association, owner=second_owner)
    sign_in(first_owner)
    started = post(f"/t/{first.slug}/reports/bulk", {"year": "2025", "lang": "zh"})
    job_id = re.search(r"/bulk/([0-9a-f-]+)", started.headers["Location"]).group(1)
    from tests.conftest import csrf_token

    client.post("/logout", data={"csrf_token": csrf_token(client, "/switch")})
    sign_in(second_owner)
    for suffix in ("", ".json", ".zip"):
        assert client.get(f"/t/{second.slug}/reports/bulk/{job_id}{suffix}").status_code == 404


def test_an_enterprise_has_no_cohort_pages(client, sign_in, make_user, make_tenant):
    owner = make_user()
    tenant = make_tenant(owner=owner)
    sign_in(owner)
    assert client.get(f"/t/{tenant.slug}/reports/cohort").status_code == 404
    assert client.get(f"/t/{tenant.slug}/reports/cohort/2025.pdf").status_code == 404


def test_a_render_state_is_read_in_the_current_tenants_folder_only(
        app, client, sign_in, make_user, make_tenant):
    owner, tenant, assessment = _enterprise(app, make_user, make_tenant)
    sign_in(owner)
    base = f"/t/{tenant.slug}/reports/renders"
    assert client.get(f"{base}/not-a-key.json").status_code == 404
    assert client.get(f"{base}/{'../' * 3}x.json").status_code == 404
    unknown = client.get(f"{base}/{'0' * 64}.json")
    assert unknown.status_code == 404 and unknown.get_json()["status"] == "none"
    pdf = client.get(f"/t/{tenant.slug}/reports/assessments/{assessment.id}.pdf")
    assert pdf.status_code == 200  # jobs run inline in these tests: the PDF at once
    other_owner, other, _theirs = _enterprise(app, make_user, make_tenant)
    from assessment.reports.pdf_engine import PdfCache

    with app.app_context():
        keys = [path.stem for path in Path(app.config["REPORTS_DIR"]).glob(f"{tenant.id}/*.pdf")]
    assert PdfCache  # the cache keeps the PDFs in the reports file store (local here)
    assert len(keys) == 1
    assert client.get(f"{base}/{keys[0]}.json").get_json()["status"] == "done"
    from tests.conftest import csrf_token

    client.post("/logout", data={"csrf_token": csrf_token(client, "/switch")})
    sign_in(other_owner)
    theirs = client.get(f"/t/{other.slug}/reports/renders/{keys[0]}.json")
    assert theirs.status_code == 404  # another tenant's render is not seen
    assert theirs.get_json()["status"] == "none"
