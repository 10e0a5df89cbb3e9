"""The platform part of the demo: users, tenants, memberships and links, each created once.

Every function is get-or-create on a natural key (e-mail, slug, the pair of linked tenants),
so that loading the demo twice changes nothing. Writes go through the services where they
exist (tenants, links); users are created with a password hash computed once by the caller,
because hashing the same demo password with argon2 for every user would take seconds each.
"""

from __future__ import annotations

from collections.abc import Iterable

from tenants import queries
from tenants.billing.config import billing_enabled
from tenants.billing.services import get_or_create_account
from tenants.context import system_scope
from tenants.db import db
from tenants.models import (
    LinkGrant,
    LinkStatus,
    Membership,
    Role,
    Tenant,
    TenantKind,
    TenantLink,
    User,
)
from tenants.services import accounts, links
from tenants.types import utcnow

DEMO_DOMAIN = "demo.chaingauge.example.com"
DEMO_MARK = "（示例）"


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def demo_user(email: str, name: str, password_hash: str, locale: str | None = None) -> User:
    user = queries.user_by_email(email)
    if user is None:
        user = User(email=email, name=name, password_hash=password_hash, locale=locale,
                    email_verified_at=utcnow())
        db.session.add(user)
        db.session.flush()
    return user


def demo_tenant(owner: User, name: str, kind: TenantKind, slug: str) -> tuple[Tenant, bool]:
    """The tenant with ``slug`` (created with ``owner`` as its owner); True if new."""
    tenant = queries.tenant_by_slug(slug)
    if tenant is not None:
        return tenant, False
    return accounts.create_tenant(owner, name, kind, slug), True


def demo_member(tenant: Tenant, user: User, role: Role) -> None:
    with system_scope(db.session, "demo: a member of a demo tenant"):
        if queries.membership(tenant.id, user.id) is None:
            db.session.add(Membership(tenant_id=tenant.id, user_id=user.id, role=role))
            db.session.flush()


def demo_seats(tenant: Tenant, plan: str, seats: int) -> None:
    """With billing switched on, a demo subscription to ``plan`` with ``seats`` (enough for
    the demo's links and assessments).

    Without it (self-hosted, the usual demo) the platform sets no limits and this does nothing.
    """
    if not billing_enabled():
        return
    account = get_or_create_account(tenant)
    if account.stripe_subscription_id is not None:
        return  # a subscription of its own (the demo's, or a real one): left as it is
    account.plan, account.status, account.quantity = plan, "active", seats
    account.stripe_subscription_id = f"sub_demo_{tenant.slug}"
    db.session.flush()


def demo_link(source: Tenant, source_owner: User, target: Tenant, target_owner: User,
              grants: Iterable[LinkGrant], may_be_named: bool) -> TenantLink:
    """An accepted link, requested and accepted through the link services (in a logged
    system scope: the demo acts for both tenants at once)."""
    with system_scope(db.session, "demo: a link between demo tenants"):
        link = queries.link_between(source.id, target.id)
        if link is not None and link.status == LinkStatus.accepted:
            return link
        link = links.request_link(source, source_owner, target.slug, grants)
        return links.respond(target, target_owner, link.id, True, may_be_named)

