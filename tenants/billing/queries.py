"""Reads of the billing tables and of the usage that limits are measured against."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import col, select

from tenants.billing.models import BillingAccount, StripeEvent
from tenants.db import db
from tenants.models import Invitation, LinkKind, LinkStatus, Membership, TenantLink
from tenants.types import utcnow


def account(tenant_id: uuid.UUID, *, for_update: bool = False) -> BillingAccount | None:
    statement = select(BillingAccount).where(BillingAccount.tenant_id == tenant_id)
    if for_update:
        # Two deliveries for one tenant at once must compare their timestamps in turn.
        statement = statement.with_for_update()
    return db.session.exec(statement).first()


def account_by_customer(customer_id: str, *, for_update: bool = False
                        ) -> BillingAccount | None:
    statement = select(BillingAccount).where(BillingAccount.stripe_customer_id == customer_id)
    if for_update:
        statement = statement.with_for_update()
    return db.session.exec(statement).first()


def event(event_id: str) -> StripeEvent | None:
    return db.session.get(StripeEvent, event_id)


def member_count(tenant_id: uuid.UUID) -> int:
    return db.session.exec(
        select(func.count()).select_from(Membership).where(Membership.tenant_id == tenant_id)
    ).one()


def open_invitation_count(tenant_id: uuid.UUID) -> int:
    """Invitations that may still be accepted; each would become a user.

    Invitations are tenant-scoped: call with the tenant set (as a tenant's request is)."""
    return db.session.exec(
        select(func.count()).select_from(Invitation).where(
            Invitation.tenant_id == tenant_id,
            col(Invitation.accepted_at).is_(None), col(Invitation.revoked_at).is_(None),
            col(Invitation.expires_at) > utcnow(),
        )
    ).one()


def link_count(source_id: uuid.UUID, kind: LinkKind, statuses: Sequence[LinkStatus]) -> int:
    return db.session.exec(
        select(func.count()).select_from(TenantLink).where(
            TenantLink.source_tenant_id == source_id, TenantLink.kind == kind,
            col(TenantLink.status).in_([str(s) for s in statuses]),
        )
    ).one()
