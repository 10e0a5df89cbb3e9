"""Small callable factories. Each builds through the real services and commits into the
test's rolled-back transaction, so the objects are what the product itself would create."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tenants.context import set_tenant
from tenants.extensions import db
from tenants.models import LinkGrant, Membership, Role, Tenant, TenantKind, TenantLink, User
from tenants.services import accounts, links
from tenants.types import utcnow

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


def make_user(app: Flask, email: str | None = None, *, password: str = PASSWORD,
              name: str = "", locale: str | None = None, verified: bool = True) -> User:
    with app.app_context():
        user = accounts.create_user(email or f"user{next(_counter)}@example.com", password,
                                    name, locale)
        if verified:
            user.email_verified_at = utcnow()
        db.commit()
        return user


def make_tenant(app: Flask, kind: TenantKind | str = TenantKind.enterprise, *,
                owner: User | None = None, name: str | None = None,
                members: Iterable[tuple[User, Role]] = ()) -> Tenant:
    owner = owner or make_user(app)
    with app.app_context():
        n = next(_counter)
        tenant = accounts.create_tenant(db.session.merge(owner), name or f"Org {n}",
                                        TenantKind(kind), f"org-{n}")
        set_tenant(db.session, tenant.id)  # memberships are written in their tenant's scope
        for user, role in members:
            db.session.add(Membership(tenant_id=tenant.id, user_id=user.id, role=role))
        db.commit()
        return tenant


def add_member(app: Flask, tenant: Tenant, user: User, role: Role) -> None:
    with app.app_context():
        set_tenant(db.session, tenant.id)  # memberships are written in their tenant's scope
        db.session.add(Membership(tenant_id=tenant.id, user_id=user.id, role=role))
        db.commit()


def owner_of(app: Flask, tenant: Tenant) -> User:
    from tenants import queries

    with app.app_context():
        set_tenant(db.session, tenant.id)  # another tenant's members are not visible
        owner = queries.owners_of(tenant.id)[0]
        db.session.expunge(owner)  # keep it loaded after the context's rollback
        return owner


def make_link(app: Flask, source: Tenant, target: Tenant, *,
              grants: Iterable[LinkGrant] = (LinkGrant.scores,), accept: bool = True,
              may_be_named: bool = False) -> TenantLink:
    with app.test_request_context():
        # each side acts in its own tenant's scope, as the link pages do
        source_owner = db.session.merge(owner_of(app, source))
        set_tenant(db.session, source.id)
        link = links.request_link(db.session.merge(source), source_owner, target.slug, grants)
        if accept:
            target_owner = db.session.merge(owner_of(app, target))
            db.session.flush()
            set_tenant(db.session, target.id)
            links.respond(db.session.merge(target), target_owner, link.id, True, may_be_named)
        db.commit()
        return link


def sign_in(client: FlaskClient, user: User | str, password: str = PASSWORD,
            **extra: Any) -> Any:
    from tests.conftest import csrf_token

    email = user if isinstance(user, str) else user.email
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token, **extra})


# -- added for the web journeys -----------------------------------------------------------
def make_invitation(app: Flask, tenant: Tenant, email: str, role: Role = Role.assessor, *,
                    inviter: User | None = None) -> tuple[Any, str]:
    """An invitation created through the service (its e-mail goes to the outbox); returns
    the invitation and its raw token."""
    from tenants.context import set_tenant
    from tenants.services import memberships

    with app.test_request_context():
        actor = db.session.merge(inviter or owner_of(app, tenant))
        set_tenant(db.session, tenant.id)
        invitation, token = memberships.invite(db.session.merge(tenant), actor, email, role)
        db.commit()
        return invitation, token


def fetch(app: Flask, model: type, *criteria: Any) -> list[Any]:
    """Rows of ``model`` matching ``criteria``, read across tenants (a logged system scope),
    so that a test can check what the product stored."""
    from sqlmodel import select

    from tenants.context import system_scope

    with app.app_context():
        with system_scope(db.session, "test inspection"):
            rows = list(db.session.exec(select(model).where(*criteria)).all())
        db.session.expunge_all()  # detached but loaded: the rollback must not expire them
        db.rollback()
        return rows


def audit_actions(app: Flask, tenant: Tenant | None = None, action: str | None = None
                  ) -> list[tuple[str, str, dict[str, Any]]]:
    """(action, subject, details) of the audit events, oldest first."""
    from tenants.models import AuditEvent

    criteria: list[Any] = []
    if tenant is not None:
        criteria.append(AuditEvent.tenant_id == tenant.id)
    if action is not None:
        criteria.append(AuditEvent.action == action)
    events = sorted(fetch(app, AuditEvent, *criteria), key=lambda e: e.created_at)
    return [(e.action, e.subject, e.details) for e in events]
