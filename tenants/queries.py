"""Reads of the platform tables, in one place."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import col, or_, select

from tenants.db import db
from tenants.models import (
    AuditEvent,
    Invitation,
    LinkStatus,
    Membership,
    Role,
    Tenant,
    TenantLink,
    User,
    UserSession,
)


def user_by_id(user_id: uuid.UUID) -> User | None:
    return db.session.get(User, user_id)


def user_by_email(email: str) -> User | None:
    return db.session.exec(select(User).where(User.email == email.strip().lower())).first()


def tenant_by_slug(slug: str) -> Tenant | None:
    return db.session.exec(select(Tenant).where(Tenant.slug == slug)).first()


def tenant_by_id(tenant_id: uuid.UUID) -> Tenant | None:
    return db.session.get(Tenant, tenant_id)


def slug_taken(slug: str) -> bool:
    return db.session.exec(select(func.count()).where(Tenant.slug == slug)).one() != 0


def membership(tenant_id: uuid.UUID, user_id: uuid.UUID) -> Membership | None:
    return db.session.get(Membership, (tenant_id, user_id))


def tenants_of_user(user_id: uuid.UUID) -> Sequence[tuple[Tenant, Membership]]:
    rows = db.session.exec(
        select(Tenant, Membership)
        .join(Membership, col(Membership.tenant_id) == col(Tenant.id))
        .where(Membership.user_id == user_id)
        .order_by(col(Tenant.name))
    )
    return list(rows.all())


def members_of(tenant_id: uuid.UUID) -> Sequence[tuple[User, Membership]]:
    rows = db.session.exec(
        select(User, Membership)
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(Membership.tenant_id == tenant_id)
        .order_by(col(User.email))
    )
    return list(rows.all())


def owner_count(tenant_id: uuid.UUID) -> int:
    return db.session.exec(
        select(func.count())
        .select_from(Membership)
        .where(Membership.tenant_id == tenant_id, Membership.role == Role.owner)
    ).one()


def owners_of(tenant_id: uuid.UUID) -> Sequence[User]:
    return db.session.exec(
        select(User)
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(Membership.tenant_id == tenant_id, Membership.role == Role.owner)
        .order_by(col(Membership.created_at))
    ).all()


def open_invitations() -> Sequence[Invitation]:
    """Invitations of the current tenant (the ORM filter scopes them)."""
    return db.session.exec(
        select(Invitation)
        .where(col(Invitation.accepted_at).is_(None), col(Invitation.revoked_at).is_(None))
        .order_by(col(Invitation.created_at).desc())
    ).all()


def invitation(invitation_id: uuid.UUID) -> Invitation | None:
    return db.session.exec(select(Invitation).where(Invitation.id == invitation_id)).first()


def invitation_by_token_hash(token_hash: str) -> Invitation | None:
    """Call inside a system scope: the token is all the caller knows."""
    return db.session.exec(select(Invitation).where(Invitation.token_hash == token_hash)).first()


def link_between(source_id: uuid.UUID, target_id: uuid.UUID) -> TenantLink | None:
    return db.session.exec(
        select(TenantLink).where(
            TenantLink.source_tenant_id == source_id, TenantLink.target_tenant_id == target_id
        )
    ).first()


def link_of_tenant(tenant_id: uuid.UUID, link_id: uuid.UUID) -> TenantLink | None:
    """A link the tenant is party to, from either side; another tenant's link is None."""
    return db.session.exec(
        select(TenantLink).where(
            TenantLink.id == link_id,
            or_(col(TenantLink.source_tenant_id) == tenant_id,
                col(TenantLink.target_tenant_id) == tenant_id),
        )
    ).first()


def outgoing_links(tenant_id: uuid.UUID) -> Sequence[tuple[TenantLink, Tenant]]:
    rows = db.session.exec(
        select(TenantLink, Tenant)
        .join(Tenant, col(Tenant.id) == col(TenantLink.target_tenant_id))
        .where(TenantLink.source_tenant_id == tenant_id)
        .order_by(col(Tenant.name))
    )
    return list(rows.all())


def incoming_links(tenant_id: uuid.UUID) -> Sequence[tuple[TenantLink, Tenant]]:
    rows = db.session.exec(
        select(TenantLink, Tenant)
        .join(Tenant, col(Tenant.id) == col(TenantLink.source_tenant_id))
        .where(TenantLink.target_tenant_id == tenant_id)
        .order_by(col(TenantLink.created_at).desc())
    )
    return list(rows.all())


def accepted_incoming_links(target_id: uuid.UUID) -> Sequence[TenantLink]:
    """Every accepted link to ``target_id``, whatever it grants."""
    return db.session.exec(select(TenantLink).where(
        TenantLink.target_tenant_id == target_id,
        TenantLink.status == LinkStatus.accepted)).all()


def accepted_link(source_id: uuid.UUID, target_id: uuid.UUID, grant: str) -> TenantLink | None:
    """The accepted link from ``source_id`` to ``target_id`` if it grants ``grant``."""
    link = link_between(source_id, target_id)
    if link is None or link.status != LinkStatus.accepted or grant not in link.grants:
        return None
    return link


def linked_tenant_ids(source_id: uuid.UUID, grant: str) -> list[uuid.UUID]:
    """Enterprises whose accepted link to ``source_id`` grants ``grant``."""
    links = db.session.exec(
        select(TenantLink).where(
            TenantLink.source_tenant_id == source_id, TenantLink.status == LinkStatus.accepted
        )
    )
    return [link.target_tenant_id for link in links if grant in link.grants]


def audit_events(
    tenant_id: uuid.UUID, limit: int = 200
) -> Sequence[tuple[AuditEvent, User | None]]:
    rows = db.session.exec(
        select(AuditEvent, User)
        .outerjoin(User, col(User.id) == col(AuditEvent.actor_user_id))
        .where(AuditEvent.tenant_id == tenant_id)
        .order_by(col(AuditEvent.created_at).desc())
        .limit(limit)
    )
    return list(rows.all())


def live_session(session_id: uuid.UUID) -> tuple[UserSession, User] | None:
    """The session and its user if the session is not revoked: one primary-key read, done
    on every signed-in request."""
    row = db.session.exec(
        select(UserSession, User)
        .join(User, col(User.id) == col(UserSession.user_id))
        .where(UserSession.id == session_id, col(UserSession.revoked_at).is_(None))
    ).first()
    return (row[0], row[1]) if row else None


def live_sessions_of_user(user_id: uuid.UUID) -> Sequence[UserSession]:
    return db.session.exec(
        select(UserSession)
        .where(UserSession.user_id == user_id, col(UserSession.revoked_at).is_(None))
        .order_by(col(UserSession.last_seen_at).desc())
    ).all()
