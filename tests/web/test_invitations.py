"""Invitations: who may invite whom, accepting signed in or by signing up, and refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlmodel import select

from tenants.context import system_scope
from tenants.extensions import db
from tenants.models import Invitation, Membership, Role, Tenant, User
from tenants.types import utcnow
from tests.conftest import csrf_token
from tests.factories import owner_of
from tests.factories import sign_in as sign_in_with
from tests.web.helpers import field_error, flashes, link_in, text


@pytest.fixture(autouse=True)
def _english(client, other_client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    other_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def tenant(make_tenant) -> Tenant:
    return make_tenant(name="Acme Motors")


def role_of(fetch, tenant: Tenant, user: User) -> str | None:
    rows = fetch(Membership, Membership.tenant_id == tenant.id, Membership.user_id == user.id)
    return rows[0].role if rows else None


def set_invitation(app: Flask, invitation: Invitation, **fields: object) -> None:
    with app.app_context():
        with system_scope(db.session, "test"):
            row = db.session.exec(select(Invitation).where(Invitation.id == invitation.id)).one()
            for name, value in fields.items():
                setattr(row, name, value)
            db.session.flush()
        db.commit()


def accept(client, token: str):
    return client.post(f"/invitations/{token}",
                       data={"csrf_token": csrf_token(client, f"/invitations/{token}")})


# -- inviting -----------------------------------------------------------------------------
@pytest.mark.parametrize("inviter_role", [Role.owner, Role.admin])
def test_a_manager_invites_by_email_and_the_email_carries_the_link(
        client, tenant, make_user, add_member, sign_in, post, outbox, fetch, audit_actions,
        inviter_role):
    if inviter_role == Role.owner:
        inviter = owner_of(client.application, tenant)
    else:
        inviter = make_user()
        add_member(tenant, inviter, Role.admin)
    sign_in(inviter)
    response = post(f"/t/{tenant.slug}/members/invite",
                    {"email": "Li.Na@Example.com", "role": "viewer"})
    assert response.status_code == 302, text(response)
    [invitation] = fetch(Invitation, Invitation.tenant_id == tenant.id)
    assert (invitation.email, invitation.role) == ("li.na@example.com", Role.viewer)
    assert invitation.invited_by_id == inviter.id

    [message] = outbox()
    assert message["To"] == "li.na@example.com"
    assert "Acme Motors" in message["Subject"]
    assert link_in(message, "/invitations/").startswith("/invitations/")
    assert ("member.invited", "li.na@example.com", {"role": "viewer"}) in audit_actions(tenant)

    members_page = text(client.get(f"/t/{tenant.slug}/members"))
    assert "li.na@example.com" in members_page


@pytest.mark.parametrize("role", [Role.viewer, Role.assessor])
def test_viewers_and_assessors_cannot_invite(tenant, make_user, add_member, sign_in, post,
                                             outbox, fetch, role):
    user = make_user()
    add_member(tenant, user, role)
    sign_in(user)
    response = post(f"/t/{tenant.slug}/members/invite", {"email": "x@example.com",
                                                         "role": "viewer"})
    assert response.status_code == 403
    assert fetch(Invitation, Invitation.tenant_id == tenant.id) == []
    assert outbox() == []


def test_only_an_owner_can_invite_an_owner(client, tenant, make_user, add_member, sign_in,
                                           post, fetch):
    admin = make_user()
    add_member(tenant, admin, Role.admin)
    sign_in(admin)
    response = post(f"/t/{tenant.slug}/members/invite", {"email": "boss@example.com",
                                                         "role": "owner"})
    assert response.status_code == 422
    assert field_error(response, "role") == "Only an owner can make someone an owner."
    assert fetch(Invitation, Invitation.tenant_id == tenant.id) == []

    client.post("/logout", data={"csrf_token": csrf_token(client, "/switch")})
    sign_in(owner_of(client.application, tenant))
    response = post(f"/t/{tenant.slug}/members/invite", {"email": "boss@example.com",
                                                         "role": "owner"})
    assert response.status_code == 302
    [invitation] = fetch(Invitation, Invitation.tenant_id == tenant.id)
    assert invitation.role == Role.owner


def test_inviting_an_existing_member_is_refused(client, tenant, make_user, add_member, sign_in,
                                                post, fetch):
    member = make_user()
    add_member(tenant, member, Role.viewer)
    sign_in(owner_of(client.application, tenant))
    response = post(f"/t/{tenant.slug}/members/invite", {"email": member.email.upper(),
                                                         "role": "admin"})
    assert response.status_code == 422
    assert field_error(response, "email") == "This person is already a member."
    assert fetch(Invitation, Invitation.tenant_id == tenant.id) == []


# -- accepting while signed in -------------------------------------------------------------
def test_accepting_with_the_matching_email_joins_with_the_invited_role(
        client, tenant, make_user, make_invitation, sign_in, fetch, audit_actions, outbox):
    user = make_user("li.na@example.com", verified=False)
    invitation, token = make_invitation(tenant, "li.na@example.com", Role.assessor)
    # An unconfirmed account signs in through the confirmation link its sign-in mails.
    assert sign_in(user).status_code == 401
    [verify] = [m for m in outbox() if "/verify/" in m.get_content()]
    assert client.get(link_in(verify, "/verify/")).status_code == 302
    page = client.get(f"/invitations/{token}")
    assert page.status_code == 200 and "Join Acme Motors" in text(page)

    response = accept(client, token)
    assert response.status_code == 302 and response.headers["Location"] == f"/t/{tenant.slug}/"
    assert role_of(fetch, tenant, user) == Role.assessor
    [row] = fetch(Invitation, Invitation.id == invitation.id)
    assert row.accepted_at is not None
    [account] = fetch(User, User.id == user.id)
    assert account.email_verified_at is not None  # the link proved the address
    assert ("member.joined", user.email, {"role": "assessor"}) in audit_actions(tenant)
    assert client.get(f"/t/{tenant.slug}/").status_code == 200


def test_accepting_with_another_email_is_refused(client, tenant, make_user, make_invitation,
                                                 sign_in, fetch):
    intruder = make_user()
    invitation, token = make_invitation(tenant, "li.na@example.com", Role.admin)
    sign_in(intruder)
    response = accept(client, token)
    assert response.status_code == 403
    assert "This invitation was sent to li.na@example.com." in text(response)
    assert role_of(fetch, tenant, intruder) is None
    [row] = fetch(Invitation, Invitation.id == invitation.id)
    assert row.accepted_at is None
    assert client.get(f"/t/{tenant.slug}/").status_code == 404


def test_an_anonymous_post_accepts_nothing(client, tenant, make_invitation, fetch):
    invitation, token = make_invitation(tenant, "li.na@example.com")
    response = accept(client, token)
    assert response.status_code == 200
    assert "Create an account and join" in text(response)
    [row] = fetch(Invitation, Invitation.id == invitation.id)
    assert row.accepted_at is None


@pytest.mark.parametrize("state, message", [
    ("expired", "This invitation has expired. Ask for a new one."),
    ("revoked", "This invitation link is not valid."),
    ("used", "This invitation has already been used."),
    ("unknown", "This invitation link is not valid."),
])
def test_expired_revoked_used_and_unknown_invitations_are_refused(
        app, client, tenant, make_user, make_invitation, sign_in, fetch, state, message):
    user = make_user("li.na@example.com")
    invitation, token = make_invitation(tenant, user.email, Role.admin)
    if state == "expired":
        set_invitation(app, invitation, expires_at=utcnow() - timedelta(seconds=1))
    elif state == "revoked":
        set_invitation(app, invitation, revoked_at=utcnow())
    elif state == "used":
        set_invitation(app, invitation, accepted_at=utcnow())
    else:
        token = "no-such-invitation-token"
    sign_in(user)
    page = client.get(f"/invitations/{token}")
    assert page.status_code == 400
    assert message in text(page)
    response = client.post(f"/invitations/{token}",
                           data={"csrf_token": csrf_token(client, "/switch")})
    assert response.status_code == 400
    assert role_of(fetch, tenant, user) is None


def test_a_manager_withdraws_an_invitation_and_its_link_stops_working(
        client, tenant, make_invitation, sign_in, post, fetch, audit_actions):
    invitation, token = make_invitation(tenant, "li.na@example.com")
    sign_in(owner_of(client.application, tenant))
    response = post(f"/t/{tenant.slug}/invitations/{invitation.id}/revoke")
    assert response.status_code == 302
    [row] = fetch(Invitation, Invitation.id == invitation.id)
    assert row.revoked_at is not None
    assert ("member.invitation_revoked", "li.na@example.com", {}) in audit_actions(tenant)
    assert "li.na@example.com" not in text(client.get(f"/t/{tenant.slug}/members"))
    assert client.get(f"/invitations/{token}").status_code == 400


def test_an_invitation_is_used_only_once(client, other_client, tenant, make_user,
                                         make_invitation, sign_in, fetch):
    user = make_user("li.na@example.com")
    _invitation, token = make_invitation(tenant, user.email)
    sign_in(user)
    assert accept(client, token).status_code == 302
    sign_in_with(other_client, user)
    again = other_client.get(f"/invitations/{token}")
    assert again.status_code == 400
    assert "This invitation has already been used." in text(again)


# -- signing up from the invitation --------------------------------------------------------
def test_a_new_user_signs_up_from_the_link_and_joins_without_a_tenant_of_their_own(
        client, tenant, make_invitation, outbox, post, fetch):
    _invitation, token = make_invitation(tenant, "li.na@example.com", Role.viewer)
    [message] = outbox()
    page = client.get(link_in(message, "/invitations/"))
    assert page.status_code == 200
    assert f"/signup?invitation={token}" in text(page)

    form = client.get(f"/signup?invitation={token}")
    assert "You are joining Acme Motors." in text(form)
    assert 'value="li.na@example.com"' in text(form)
    assert 'name="organisation"' not in text(form)

    tenants_before = len(fetch(Tenant))
    response = post("/signup", {"email": "li.na@example.com", "password": "a-long-password",
                                "name": "Li Na", "invitation": token, "privacy": "y"})
    assert response.status_code == 302, text(response)
    assert response.headers["Location"] == f"/t/{tenant.slug}/"
    [user] = fetch(User, User.email == "li.na@example.com")
    assert user.email_verified_at is not None
    assert [(m.tenant_id, m.role) for m in fetch(Membership, Membership.user_id == user.id)] == [
        (tenant.id, Role.viewer)]
    assert len(fetch(Tenant)) == tenants_before
    assert client.get(f"/t/{tenant.slug}/").status_code == 200


def test_signing_up_from_the_link_with_another_email_creates_nothing(
        tenant, make_invitation, post, fetch):
    _invitation, token = make_invitation(tenant, "li.na@example.com")
    response = post("/signup", {"privacy": "y", "email": "someone.else@example.com",
                                "password": "a-long-password", "invitation": token})
    assert response.status_code == 422
    assert "This invitation was sent to li.na@example.com." in " ".join(flashes(response))
    assert fetch(User, User.email == "someone.else@example.com") == []


def test_signing_up_with_a_spent_invitation_needs_an_organisation(
        app, tenant, make_invitation, post, fetch):
    invitation, token = make_invitation(tenant, "li.na@example.com")
    set_invitation(app, invitation, revoked_at=utcnow())
    response = post("/signup", {"email": "li.na@example.com", "password": "a-long-password",
                                "invitation": token, "privacy": "y"})
    assert response.status_code == 422
    assert "This invitation link is not valid." in flashes(response)
    assert field_error(response, "organisation") == "Enter the organisation's name."
    assert fetch(User, User.email == "li.na@example.com") == []
