"""A lead manufacturer (链主, an enterprise) and its suppliers: the customer_supplier link has
the same consent, grants and revocation as the others, and a supplier's data never reaches
its customer without an accepted link."""

from __future__ import annotations

from typing import Any

import pytest

from tenants.models import LinkGrant, TenantLink
from tests.conftest import csrf_token
from tests.factories import owner_of
from tests.factories import sign_in as sign_in_with
from tests.factories.assessments import make_assessment


@pytest.fixture(autouse=True)
def _english(client, other_client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    other_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def lead(make_enterprise: Any) -> Any:
    return make_enterprise(name="链主整车厂")


@pytest.fixture
def supplier(make_enterprise: Any) -> Any:
    return make_enterprise(name="零部件供应商")


def _link(fetch: Any, lead: Any, supplier: Any) -> TenantLink | None:
    found = fetch(TenantLink, TenantLink.source_tenant_id == lead.id,
                  TenantLink.target_tenant_id == supplier.id)
    return found[0] if found else None


def test_consent_grants_and_revocation(app, client, other_client, sign_in, post, lead, supplier,
                                       fetch):
    assessment = make_assessment(app, supplier, year=2026)
    export = f"/t/{lead.slug}/clients/{supplier.id}/assessments/{assessment.id}/export.json"

    sign_in(owner_of(app, lead))
    assert "Invite a supplier" in client.get(f"/t/{lead.slug}/links").get_data(as_text=True)
    assert client.get(export).status_code == 404  # no link at all
    response = post(f"/t/{lead.slug}/links/request",
                    {"enterprise": supplier.slug, "grants": ["scores", "answers"]})
    assert response.status_code == 302
    link = _link(fetch, lead, supplier)
    assert (link.kind, link.status) == ("customer_supplier", "pending")
    assert client.get(export).status_code == 404  # pending: nothing crosses yet

    # the supplier declines: still nothing
    sign_in_with(other_client, owner_of(app, supplier))
    token = csrf_token(other_client, f"/t/{supplier.slug}/links")
    assert other_client.post(f"/t/{supplier.slug}/links/{link.id}/decline",
                             data={"csrf_token": token}).status_code == 302
    assert client.get(export).status_code == 404

    # asked again, accepted: the answers grant opens the export, and only that
    post(f"/t/{lead.slug}/links/request", {"enterprise": supplier.slug, "grants": ["answers"]})
    assert other_client.post(f"/t/{supplier.slug}/links/{link.id}/accept",
                             data={"csrf_token": token}).status_code == 302
    assert _link(fetch, lead, supplier).status == "accepted"
    assert client.get(export).status_code == 200
    review = f"/t/{lead.slug}/clients/{supplier.id}/assessments/{assessment.id}/review"
    assert client.get(review).status_code == 404  # not granted: review

    # the supplier revokes: the data stops at once
    assert other_client.post(f"/t/{supplier.slug}/links/{link.id}/revoke",
                             data={"csrf_token": token, "confirm": "yes"}).status_code == 302
    assert _link(fetch, lead, supplier).status == "revoked"
    assert client.get(export).status_code == 404


def test_a_supplier_campaign_shows_no_assessment_state_without_an_accepted_link(
        app, client, sign_in, lead, supplier, fetch):
    from tests.integration.campaigns.factories import (
        credit_code,
        csv_bytes,
        give_credit_code,
        make_campaign,
        member_row,
        upload,
    )

    give_credit_code(app, supplier, credit_code(5))
    make_assessment(app, supplier, year=2026, finalise=True)
    found = make_campaign(app, lead, grants=(LinkGrant.scores,))
    assert upload(app, lead, found, csv_bytes([member_row(5)])).state == "done"
    link = _link(fetch, lead, supplier)
    assert (link.kind, link.status) == ("customer_supplier", "pending")

    sign_in(owner_of(app, lead))
    board = client.get(f"/t/{lead.slug}/campaigns/{found.id}").get_data(as_text=True)
    assert "status-signed_up" in board and "status-finalised" not in board

    with app.test_request_context():  # the supplier accepts through the service
        from tenants.context import set_tenant
        from tenants.extensions import db
        from tenants.services import links

        set_tenant(db.session, supplier.id)
        links.respond(db.session.merge(supplier), db.session.merge(owner_of(app, supplier)),
                      link.id, True)
        db.commit()
    board = client.get(f"/t/{lead.slug}/campaigns/{found.id}").get_data(as_text=True)
    assert "status-finalised" in board
