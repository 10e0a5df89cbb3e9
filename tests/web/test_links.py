"""Links between tenants: associations' members and consultancies' clients.

The enterprise is in control; nothing crosses tenants without a link it accepted, and then
only what the link grants.
"""

from __future__ import annotations

import pytest
from flask import Flask

from tenants import queries
from tenants.models import LinkGrant, LinkKind, LinkStatus, Role, Tenant, TenantLink, User
from tests.conftest import csrf_token
from tests.factories import owner_of
from tests.factories import sign_in as sign_in_with
from tests.web.helpers import field_error, text

# The confirmation step itself: tests/web/assessment_review/test_confirmations.py.
CONFIRM = {"confirm": "yes"}


@pytest.fixture(autouse=True)
def _english(client, other_client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    other_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def association(make_tenant) -> Tenant:
    return make_tenant("association", name="Auto Parts Association")


@pytest.fixture
def enterprise(make_tenant) -> Tenant:
    return make_tenant("enterprise", name="Acme Motors")


def owner(app: Flask, tenant: Tenant) -> User:
    return owner_of(app, tenant)


def request_link(post, source: Tenant, enterprise: str, grants=("scores",)):
    return post(f"/t/{source.slug}/links/request",
                {"enterprise": enterprise, "grants": list(grants)})


def the_link(fetch, source: Tenant, target: Tenant) -> TenantLink:
    [link] = fetch(TenantLink, TenantLink.source_tenant_id == source.id,
                   TenantLink.target_tenant_id == target.id)
    return link


def as_other(other_client, app: Flask, tenant: Tenant):
    """Sign the tenant's owner in on the second browser; return a CSRF-carrying POST."""
    sign_in_with(other_client, owner(app, tenant))

    def post(url: str, data: dict | None = None):
        token = csrf_token(other_client, "/switch")
        return other_client.post(url, data={"csrf_token": token, **(data or {})})

    return post


def crossing(app: Flask, source: Tenant, target: Tenant, grant: str) -> tuple[bool, bool]:
    """What tenants.queries lets cross: (accepted_link found, target among linked ids), asked
    in the source's scope as the product asks."""
    from tenants.context import set_tenant
    from tenants.extensions import db

    with app.app_context():
        set_tenant(db.session, source.id)
        return (queries.accepted_link(source.id, target.id, grant) is not None,
                target.id in queries.linked_tenant_ids(source.id, grant))


def events(audit_actions, tenant: Tenant, prefix: str = "link.") -> list[str]:
    return [a for a, _s, _d in audit_actions(tenant) if a.startswith(prefix)]


# -- requesting ---------------------------------------------------------------------------
def test_an_association_requests_a_link_by_address_and_sees_it_pending(
        app, client, association, enterprise, sign_in, post, fetch, outbox, audit_actions):
    sign_in(owner(app, association))
    response = request_link(post, association, enterprise.slug, ["scores", "answers"])
    assert response.status_code == 302, text(response)

    link = the_link(fetch, association, enterprise)
    assert (link.kind, link.status) == (LinkKind.association_member, LinkStatus.pending)
    assert link.grants == ["answers", "scores"] and link.may_be_named is False
    assert [m["To"] for m in outbox()] == [owner(app, enterprise).email]
    assert events(audit_actions, association) == ["link.requested"]
    assert events(audit_actions, enterprise) == ["link.requested"]

    page = text(client.get(f"/t/{association.slug}/links"))
    assert "Acme Motors" in page and "Waiting for an answer" in page
    assert crossing(app, association, enterprise, "scores") == (False, False)


def test_a_link_can_be_requested_by_the_owners_email(app, association, enterprise, sign_in,
                                                     post, fetch):
    sign_in(owner(app, association))
    response = request_link(post, association, owner(app, enterprise).email.upper())
    assert response.status_code == 302
    assert the_link(fetch, association, enterprise).status == LinkStatus.pending


def test_a_consultancy_gets_a_client_link(app, make_tenant, enterprise, sign_in, post, fetch):
    consultancy = make_tenant("consultancy", name="Lean Advisers")
    sign_in(owner(app, consultancy))
    assert request_link(post, consultancy, enterprise.slug, ["review"]).status_code == 302
    link = the_link(fetch, consultancy, enterprise)
    assert (link.kind, link.grants) == (LinkKind.consultancy_client, ["review"])


def test_an_enterprise_invites_its_suppliers_but_not_itself(app, enterprise, make_tenant,
                                                             sign_in, post, fetch):
    # Issue 16: an enterprise acting as a lead manufacturer (链主) asks its suppliers to link
    # (a customer_supplier link, consented to like the others: tests/web/campaigns).
    other = make_tenant("enterprise")
    sign_in(owner(app, enterprise))
    assert request_link(post, enterprise, other.slug).status_code == 302
    link = the_link(fetch, enterprise, other)
    assert (link.kind, link.status) == (LinkKind.customer_supplier, "pending")
    response = request_link(post, enterprise, enterprise.slug)
    assert response.status_code == 422
    assert field_error(response, "enterprise") == "An enterprise cannot link with itself."


@pytest.mark.parametrize("identifier", ["no-such-org", "nobody@example.com", "association"])
def test_only_an_existing_enterprise_can_be_asked(app, association, make_tenant, sign_in,
                                                 post, fetch, identifier):
    if identifier == "association":
        identifier = make_tenant("association").slug  # an association is no enterprise
    sign_in(owner(app, association))
    response = request_link(post, association, identifier)
    assert response.status_code == 422
    assert field_error(response, "enterprise").startswith("No enterprise found")
    assert fetch(TenantLink, TenantLink.source_tenant_id == association.id) == []


def test_a_request_must_grant_something(app, association, enterprise, sign_in, post, fetch):
    sign_in(owner(app, association))
    response = request_link(post, association, enterprise.slug, [])
    assert response.status_code == 422
    assert fetch(TenantLink, TenantLink.source_tenant_id == association.id) == []


@pytest.mark.parametrize("accepted", [False, True])
def test_duplicate_requests_are_refused(app, association, enterprise, make_link, sign_in,
                                        post, fetch, accepted):
    make_link(association, enterprise, accept=accepted)
    sign_in(owner(app, association))
    response = request_link(post, association, enterprise.slug, ["answers"])
    assert response.status_code == 422
    assert field_error(response, "enterprise") == \
        "This enterprise is already linked or has a pending request."
    assert the_link(fetch, association, enterprise).grants == ["scores"]


def test_a_viewer_of_the_association_cannot_request(app, association, enterprise, make_user,
                                                    add_member, sign_in, post, fetch):
    viewer = make_user()
    add_member(association, viewer, Role.viewer)
    sign_in(viewer)
    assert request_link(post, association, enterprise.slug).status_code == 403
    assert fetch(TenantLink, TenantLink.source_tenant_id == association.id) == []


# -- answering ----------------------------------------------------------------------------
@pytest.mark.parametrize("named", [True, False])
def test_the_enterprise_accepts_optionally_agreeing_to_be_named(
        app, client, association, enterprise, make_link, sign_in, post, fetch, audit_actions,
        named):
    link = make_link(association, enterprise, grants=[LinkGrant.scores], accept=False)
    sign_in(owner(app, enterprise))
    incoming = text(client.get(f"/t/{enterprise.slug}/links"))
    assert "Auto Parts Association" in incoming and f"/links/{link.id}/accept" in incoming

    response = post(f"/t/{enterprise.slug}/links/{link.id}/accept",
                    {"may_be_named": "y"} if named else {})
    assert response.status_code == 302
    stored = the_link(fetch, association, enterprise)
    assert (stored.status, stored.may_be_named) == (LinkStatus.accepted, named)
    assert stored.responded_by_id == owner(app, enterprise).id
    assert events(audit_actions, enterprise)[-1] == "link.accepted"
    assert events(audit_actions, association)[-1] == "link.accepted"
    assert crossing(app, association, enterprise, "scores") == (True, True)
    assert crossing(app, association, enterprise, "answers") == (False, False)  # not granted
    assert crossing(app, enterprise, association, "scores") == (False, False)  # one way


def test_the_association_page_shows_the_accepted_status(app, other_client, association,
                                                        enterprise, make_link):
    make_link(association, enterprise, may_be_named=True)
    sign_in_with(other_client, owner(app, association))
    page = text(other_client.get(f"/t/{association.slug}/links"))
    row = page.split("Acme Motors")[1].split("</tr>")[0]
    assert "Active" in row and "Yes" in row


def test_the_enterprise_declines(app, association, enterprise, make_link, sign_in, post, fetch,
                                 audit_actions):
    link = make_link(association, enterprise, accept=False)
    sign_in(owner(app, enterprise))
    assert post(f"/t/{enterprise.slug}/links/{link.id}/decline").status_code == 302
    assert the_link(fetch, association, enterprise).status == LinkStatus.declined
    assert events(audit_actions, association)[-1] == "link.declined"
    assert events(audit_actions, enterprise)[-1] == "link.declined"
    assert crossing(app, association, enterprise, "scores") == (False, False)


def test_a_request_is_answered_only_once(app, association, enterprise, make_link, sign_in,
                                         post, fetch):
    link = make_link(association, enterprise, accept=False)
    sign_in(owner(app, enterprise))
    post(f"/t/{enterprise.slug}/links/{link.id}/decline")
    response = post(f"/t/{enterprise.slug}/links/{link.id}/accept")
    assert response.status_code == 409
    assert the_link(fetch, association, enterprise).status == LinkStatus.declined


def test_the_enterprise_revokes_an_accepted_link(app, client, association, enterprise,
                                                 make_link, sign_in, post, fetch,
                                                 audit_actions):
    link = make_link(association, enterprise)
    assert crossing(app, association, enterprise, "scores") == (True, True)
    sign_in(owner(app, enterprise))
    assert post(f"/t/{enterprise.slug}/links/{link.id}/revoke", CONFIRM).status_code == 302
    assert the_link(fetch, association, enterprise).status == LinkStatus.revoked
    assert events(audit_actions, enterprise)[-1] == "link.revoked"
    assert events(audit_actions, association)[-1] == "link.revoked"
    assert crossing(app, association, enterprise, "scores") == (False, False)
    assert post(f"/t/{enterprise.slug}/links/{link.id}/revoke", CONFIRM).status_code == 409


def test_the_association_can_withdraw_and_ask_again(app, client, association, enterprise,
                                                    make_link, sign_in, post, fetch):
    link = make_link(association, enterprise, accept=False)
    sign_in(owner(app, association))
    assert post(f"/t/{association.slug}/links/{link.id}/revoke", CONFIRM).status_code == 302
    assert "Ended" in text(client.get(f"/t/{association.slug}/links"))
    assert request_link(post, association, enterprise.slug, ["reports"]).status_code == 302
    stored = the_link(fetch, association, enterprise)
    assert (stored.status, stored.grants) == (LinkStatus.pending, ["reports"])


def test_only_the_enterprise_answers(app, association, enterprise, make_link, make_tenant,
                                     sign_in, post, other_client, fetch):
    link = make_link(association, enterprise, accept=False)
    sign_in(owner(app, association))
    # The requesting side may not accept its own request: 403 (it is party to the link).
    assert post(f"/t/{association.slug}/links/{link.id}/accept").status_code == 403
    # A third tenant does not even learn that the link exists: 404.
    bystander = make_tenant("enterprise")
    bystander_post = as_other(other_client, app, bystander)
    for action in ("accept", "decline", "revoke"):
        assert bystander_post(f"/t/{bystander.slug}/links/{link.id}/{action}"
                              ).status_code == 404, action
    assert the_link(fetch, association, enterprise).status == LinkStatus.pending


@pytest.mark.parametrize("role", [Role.viewer, Role.assessor])
def test_a_non_manager_of_the_enterprise_cannot_answer(app, association, enterprise, make_link,
                                                       make_user, add_member, sign_in, post,
                                                       fetch, role):
    link = make_link(association, enterprise, accept=False)
    user = make_user()
    add_member(enterprise, user, role)
    sign_in(user)
    assert post(f"/t/{enterprise.slug}/links/{link.id}/accept").status_code == 403
    assert the_link(fetch, association, enterprise).status == LinkStatus.pending


def test_a_link_gives_no_access_to_the_enterprises_pages(app, client, association, enterprise,
                                                         make_link, sign_in):
    make_link(association, enterprise, grants=list(LinkGrant))
    sign_in(owner(app, association))
    for page in ("/", "/members", "/links"):
        assert client.get(f"/t/{enterprise.slug}{page}").status_code == 404
