"""The members page: roles, removal, the last owner, and what other tenants' members get."""

from __future__ import annotations

import uuid

import pytest

from tenants.models import Membership, Role, Tenant, User
from tests.factories import owner_of
from tests.web.helpers import flashes, text

# The confirmation step itself: tests/web/assessment_review/test_confirmations.py.
CONFIRM = {"confirm": "yes"}


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def tenant(make_tenant) -> Tenant:
    return make_tenant(name="Acme Motors")


@pytest.fixture
def owner(client, tenant) -> User:
    return owner_of(client.application, tenant)


def member(make_user, add_member, tenant: Tenant, role: Role) -> User:
    user = make_user()
    add_member(tenant, user, role)
    return user


def role_of(fetch, tenant: Tenant, user: User) -> str | None:
    rows = fetch(Membership, Membership.tenant_id == tenant.id, Membership.user_id == user.id)
    return rows[0].role if rows else None


def change_role(post, tenant: Tenant, user: User | uuid.UUID, role: str):
    user_id = user if isinstance(user, uuid.UUID) else user.id
    return post(f"/t/{tenant.slug}/members/{user_id}/role", {"role": role})


def remove(post, tenant: Tenant, user: User | uuid.UUID):
    user_id = user if isinstance(user, uuid.UUID) else user.id
    return post(f"/t/{tenant.slug}/members/{user_id}/remove", CONFIRM)


def test_the_members_page_lists_members_and_managers_see_the_actions(
        client, tenant, owner, make_user, add_member, sign_in):
    viewer = member(make_user, add_member, tenant, Role.viewer)
    sign_in(owner)
    page = text(client.get(f"/t/{tenant.slug}/members"))
    assert owner.email in page and viewer.email in page
    assert f"/members/{viewer.id}/role" in page and f"/members/{viewer.id}/remove" in page
    assert "Invite a colleague" in page


def test_a_viewer_sees_the_members_but_no_actions(client, tenant, owner, make_user,
                                                  add_member, sign_in):
    viewer = member(make_user, add_member, tenant, Role.viewer)
    sign_in(viewer)
    response = client.get(f"/t/{tenant.slug}/members")
    assert response.status_code == 200
    page = text(response)
    assert owner.email in page
    assert "/role" not in page and "/remove" not in page and "Invite a colleague" not in page


def test_an_admin_changes_a_role(client, tenant, make_user, add_member, sign_in, post, fetch,
                                 audit_actions):
    admin = member(make_user, add_member, tenant, Role.admin)
    viewer = member(make_user, add_member, tenant, Role.viewer)
    sign_in(admin)
    response = change_role(post, tenant, viewer, "assessor")
    assert response.status_code == 302
    assert flashes(client.get(response.headers["Location"])) == ["Role changed."]
    assert role_of(fetch, tenant, viewer) == Role.assessor
    assert ("member.role_changed", viewer.email, {"old": "viewer", "new": "assessor"}) in \
        audit_actions(tenant)


@pytest.mark.parametrize("target_role, new_role, message", [
    (Role.viewer, "owner", "Only an owner can make someone an owner."),
    (Role.owner, "viewer", "Only an owner can change another owner's role."),
])
def test_an_admin_cannot_make_or_unmake_owners(client, tenant, owner, make_user, add_member,
                                               sign_in, post, fetch, target_role, new_role,
                                               message):
    admin = member(make_user, add_member, tenant, Role.admin)
    target = owner if target_role == Role.owner else member(make_user, add_member, tenant,
                                                            target_role)
    sign_in(admin)
    response = change_role(post, tenant, target, new_role)
    assert flashes(client.get(response.headers["Location"])) == [message]
    assert role_of(fetch, tenant, target) == target_role


def test_the_last_owner_cannot_be_demoted(client, tenant, owner, sign_in, post, fetch):
    sign_in(owner)
    response = change_role(post, tenant, owner, "admin")
    assert response.status_code == 302
    assert flashes(client.get(response.headers["Location"])) == [
        "The last owner cannot be demoted. Make someone else an owner first."]
    assert role_of(fetch, tenant, owner) == Role.owner


def test_the_last_owner_cannot_be_removed(client, tenant, owner, sign_in, post, fetch):
    sign_in(owner)
    response = remove(post, tenant, owner)
    assert flashes(client.get(response.headers["Location"])) == [
        "The last owner cannot be removed."]
    assert role_of(fetch, tenant, owner) == Role.owner


def test_with_a_second_owner_the_first_can_step_down(client, tenant, owner, make_user,
                                                     add_member, sign_in, post, fetch):
    second = member(make_user, add_member, tenant, Role.viewer)
    sign_in(owner)
    change_role(post, tenant, second, "owner")
    assert role_of(fetch, tenant, second) == Role.owner
    response = change_role(post, tenant, owner, "admin")
    assert flashes(client.get(response.headers["Location"])) == ["Role changed."]
    assert role_of(fetch, tenant, owner) == Role.admin


def test_an_admin_cannot_remove_an_owner(client, tenant, owner, make_user, add_member, sign_in,
                                         post, fetch):
    admin = member(make_user, add_member, tenant, Role.admin)
    sign_in(admin)
    response = remove(post, tenant, owner)
    assert flashes(client.get(response.headers["Location"])) == [
        "Only an owner can remove another owner."]
    assert role_of(fetch, tenant, owner) == Role.owner


def test_an_admin_removes_a_member_who_then_loses_access(client, other_client, tenant,
                                                         make_user, add_member, sign_in, post,
                                                         fetch, audit_actions):
    from tests.factories import sign_in as sign_in_with

    admin = member(make_user, add_member, tenant, Role.admin)
    viewer = member(make_user, add_member, tenant, Role.viewer)
    sign_in_with(other_client, viewer)
    assert other_client.get(f"/t/{tenant.slug}/").status_code == 200
    sign_in(admin)
    response = remove(post, tenant, viewer)
    assert flashes(client.get(response.headers["Location"])) == ["Member removed."]
    assert role_of(fetch, tenant, viewer) is None
    assert ("member.removed", viewer.email, {"role": "viewer"}) in audit_actions(tenant)
    assert other_client.get(f"/t/{tenant.slug}/").status_code == 404


@pytest.mark.parametrize("role", [Role.viewer, Role.assessor])
def test_viewers_and_assessors_get_403_for_admin_actions(client, tenant, owner, make_user,
                                                         add_member, sign_in, post, fetch,
                                                         role):
    user = member(make_user, add_member, tenant, role)
    sign_in(user)
    assert change_role(post, tenant, user, "admin").status_code == 403
    assert change_role(post, tenant, owner, "viewer").status_code == 403
    assert remove(post, tenant, owner).status_code == 403
    assert post(f"/t/{tenant.slug}/members/invite",
                {"email": "x@example.com", "role": "viewer"}).status_code == 403
    assert post(f"/t/{tenant.slug}/invitations/{uuid.uuid4()}/revoke").status_code == 403
    assert client.get(f"/t/{tenant.slug}/audit").status_code == 403
    assert role_of(fetch, tenant, user) == role
    assert role_of(fetch, tenant, owner) == Role.owner


def test_the_audit_log_shows_a_managers_events(client, tenant, owner, sign_in):
    sign_in(owner)
    response = client.get(f"/t/{tenant.slug}/audit")
    assert response.status_code == 200
    assert "tenant.created" in text(response)


def test_a_member_of_another_tenant_gets_404(client, tenant, owner, make_tenant, make_user,
                                             add_member, sign_in, post, fetch):
    other = make_tenant(name="Other Works")
    outsider = owner_of(client.application, other)
    other_member = member(make_user, add_member, other, Role.viewer)
    sign_in(outsider)

    for page in ("/", "/members", "/links", "/audit"):
        assert client.get(f"/t/{tenant.slug}{page}").status_code == 404, page
    assert change_role(post, tenant, owner, "viewer").status_code == 404
    assert remove(post, tenant, owner).status_code == 404

    # In their own tenant, naming users of another tenant: 404 as well, nothing changes.
    assert change_role(post, other, owner, "viewer").status_code == 404
    assert change_role(post, other, owner, "not-a-role").status_code == 404
    assert remove(post, other, owner).status_code == 404
    assert change_role(post, other, uuid.uuid4(), "viewer").status_code == 404
    assert remove(post, other, uuid.uuid4()).status_code == 404
    assert role_of(fetch, tenant, owner) == Role.owner
    assert role_of(fetch, other, other_member) == Role.viewer


def test_an_unknown_tenant_is_404_like_a_foreign_one(client, make_user, sign_in):
    sign_in(make_user())
    response = client.get("/t/no-such-tenant/members")
    assert response.status_code == 404
    assert "The page does not exist, or you do not have access to it." in text(response)
