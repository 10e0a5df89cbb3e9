"""The link grant ``answers``: an association or consultancy downloads a member's answers
only through an accepted link that grants it; every other way is a 404."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from tenants.models import LinkGrant, TenantKind
from tests.integration.assessment_io import factories


@pytest.fixture
def member(app, make_user, make_tenant):
    owner = make_user()
    return factories.make_assessment(app, make_tenant(owner=owner, name="Grant Works"), owner)


def _urls(source_slug, made):
    base = f"/t/{source_slug}/clients/{made.tenant_id}/assessments/{made.assessment_id}"
    return f"{base}/export.json", f"{base}/export.xlsx"


def _association(app, make_user, make_tenant, sign_in):
    owner = make_user()
    association = make_tenant(TenantKind.association, owner=owner)
    sign_in(owner)
    return association


def _tenant_of(app, made):
    from tenants import queries
    from tenants.extensions import db

    with app.app_context():
        tenant = queries.tenant_by_id(made.tenant_id)
        db.session.expunge(tenant)
        return tenant


def test_a_link_granting_answers_downloads_them(app, client, member, make_user, make_tenant,
                                                make_link, sign_in):
    association = _association(app, make_user, make_tenant, sign_in)
    make_link(association, _tenant_of(app, member), grants=[LinkGrant.scores,
                                                              LinkGrant.answers])
    json_url, xlsx_url = _urls(association.slug, member)
    response = client.get(json_url)
    assert response.status_code == 200
    document = json.loads(response.data)
    assert document["year"] == 2025
    assert set(factories.ANSWERS) - {"energy", "process_emissions"} <= set(document["inputs"])
    assert member.slug in response.headers["Content-Disposition"]  # named for the member
    response = client.get(xlsx_url)
    assert response.status_code == 200
    workbook = load_workbook(filename=io.BytesIO(response.data))
    assert "Grant Works" in str([cell.value for row in workbook.worksheets[0].iter_rows()
                                 for cell in row])


@pytest.mark.parametrize("grants,accept", [
    ([LinkGrant.scores, LinkGrant.reports, LinkGrant.review], True),  # all but answers
    ([LinkGrant.answers], False),  # asked for, not accepted
])
def test_without_an_accepted_answers_grant_the_answers_do_not_exist(
        app, client, member, make_user, make_tenant, make_link, sign_in, grants, accept):
    association = _association(app, make_user, make_tenant, sign_in)
    make_link(association, _tenant_of(app, member), grants=grants, accept=accept)
    for url in _urls(association.slug, member):
        assert client.get(url).status_code == 404


def test_an_unlinked_organisation_gets_404(app, client, member, make_user, make_tenant,
                                           sign_in):
    association = _association(app, make_user, make_tenant, sign_in)
    for url in _urls(association.slug, member):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("grants,offered", [
    ([LinkGrant.review, LinkGrant.answers], True),
    ([LinkGrant.review], False),
])
def test_the_linked_results_page_offers_the_answers_only_with_the_grant(
        app, client, member, make_user, make_tenant, make_link, sign_in, grants, offered):
    consultancy_owner = make_user()
    consultancy = make_tenant(TenantKind.consultancy, owner=consultancy_owner)
    sign_in(consultancy_owner)
    make_link(consultancy, _tenant_of(app, member), grants=grants)
    page = client.get(f"/t/{consultancy.slug}/clients/{member.tenant_id}/assessments/"
                      f"{member.assessment_id}/results")
    assert page.status_code == 200
    json_url, xlsx_url = _urls(consultancy.slug, member)
    assert (json_url in page.text and xlsx_url in page.text) is offered
