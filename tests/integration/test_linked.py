"""tenants.linked: the one place a request crosses into another tenant, on both databases.

Each test acts as a member of an association in a request of its own tenant's URL, as a
view of a tenant blueprint does, and enters a member enterprise through the link.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import g
from sqlmodel import select
from werkzeug.exceptions import NotFound

from tenants import queries
from tenants.context import set_tenant, system_scope
from tenants.extensions import db
from tenants.linked import current_membership, enter_linked_enterprise, link_args, linked_enterprise
from tenants.models import AuditEvent, Invitation, LinkGrant, Tenant, TenantKind
from tenants.services import links
from tenants.types import utcnow
from tests.factories import owner_of


@pytest.fixture
def world(app, make_tenant):
    """An association and two enterprises, each enterprise with one invitation row."""
    association = make_tenant(TenantKind.association)
    first, second = make_tenant(TenantKind.enterprise), make_tenant(TenantKind.enterprise)
    with app.app_context():
        with system_scope(db.session, "test setup"):
            for tenant in (first, second):
                db.session.add(Invitation(tenant_id=tenant.id, email=f"{tenant.slug}@example.com",
                                          role="viewer", token_hash=tenant.slug * 2,
                                          expires_at=utcnow() + timedelta(days=1)))
            db.session.flush()
        db.commit()
    return association, first, second


@pytest.fixture
def acting_as(app) -> Callable[[Tenant, Callable[[], Any]], Any]:
    """Run ``fn`` in a request of ``tenant``'s URL by its owner, as a tenant blueprint sets
    it up; everything it wrote is rolled back, its audit events are returned with it."""

    def run(tenant: Tenant, fn: Callable[[], Any]) -> Any:
        owner = owner_of(app, tenant)
        with app.test_request_context(f"/t/{tenant.slug}/"):
            user = db.session.merge(owner)
            g._login_user = user  # Flask-Login's current user
            set_tenant(db.session, tenant.id)
            g.tenant = db.session.merge(tenant)
            g.membership = queries.membership(tenant.id, user.id)
            try:
                return fn()
            finally:
                db.rollback()

    return run


def _emails() -> list[str]:
    return list(db.session.exec(select(Invitation.email)).all())


def test_an_accepted_link_with_the_grant_enters_the_enterprise(world, make_link, acting_as):
    association, first, _second = world
    make_link(association, first, grants=[LinkGrant.review])

    def act() -> tuple[Any, ...]:
        entered = enter_linked_enterprise(first.id, LinkGrant.review)
        events = [e.action for e in db.session.exec(select(AuditEvent)).all()]
        return (entered.enterprise.id, entered.acting_tenant.id, _emails(), link_args(),
                linked_enterprise() is entered, current_membership().tenant_id, events)

    enterprise_id, acting_id, emails, args, same, membership_tenant, events = acting_as(
        association, act)
    assert (enterprise_id, acting_id) == (first.id, association.id)
    assert emails == [f"{first.slug}@example.com"]  # the session is in the enterprise's scope
    assert args == {"enterprise_id": first.id}
    assert same
    assert membership_tenant == association.id  # the member acts for their own organisation
    assert "link.accessed" in events  # recorded in the enterprise's audit log


def test_a_link_without_the_grant_is_a_404(world, make_link, acting_as):
    association, first, _second = world
    make_link(association, first, grants=[LinkGrant.scores])
    with pytest.raises(NotFound):
        acting_as(association, lambda: enter_linked_enterprise(first.id, LinkGrant.review))


def test_a_pending_link_is_a_404(world, make_link, acting_as):
    association, first, _second = world
    make_link(association, first, grants=[LinkGrant.review], accept=False)
    with pytest.raises(NotFound):
        acting_as(association, lambda: enter_linked_enterprise(first.id, LinkGrant.review))


def test_a_revoked_link_is_a_404(world, make_link, acting_as):
    association, first, _second = world
    link = make_link(association, first, grants=[LinkGrant.review])

    def revoke() -> None:
        links.revoke(g.tenant, g._login_user, link.id)
        db.commit()

    acting_as(first, revoke)
    with pytest.raises(NotFound):
        acting_as(association, lambda: enter_linked_enterprise(first.id, LinkGrant.review))


def test_no_link_at_all_and_an_unknown_id_are_the_same_404(world, acting_as):
    import uuid

    association, first, _second = world
    for enterprise_id in (first.id, uuid.uuid4()):
        with pytest.raises(NotFound):
            acting_as(association,
                      lambda eid=enterprise_id: enter_linked_enterprise(eid, LinkGrant.review))


def test_an_enterprise_does_not_enter_itself(world, acting_as):
    _association, first, _second = world
    with pytest.raises(NotFound):
        acting_as(first, lambda: enter_linked_enterprise(first.id, LinkGrant.review))


def test_once_entered_another_tenants_rows_stay_out_of_reach(world, make_link, acting_as):
    """Even an enterprise linked to the same association: its id is a 404 in this request,
    and its rows are invisible in the entered enterprise's scope."""
    association, first, second = world
    make_link(association, first, grants=[LinkGrant.review])
    make_link(association, second, grants=[LinkGrant.review])

    def act() -> list[str]:
        enter_linked_enterprise(first.id, LinkGrant.review)
        with pytest.raises(NotFound):
            enter_linked_enterprise(second.id, LinkGrant.review)
        with pytest.raises(NotFound):  # entered, but the route needs a grant it lacks
            enter_linked_enterprise(first.id, LinkGrant.reports)
        return _emails()

    assert acting_as(association, act) == [f"{first.slug}@example.com"]


def test_outside_a_linked_request_there_is_nothing_entered(world, acting_as):
    _association, first, _second = world
    assert acting_as(first, lambda: (linked_enterprise(), link_args())) == (None, {})
