"""Billing tables. Both are platform tables, not tenant-scoped: webhooks arrive with no
tenant, so they are read and written in ``system_scope()`` where the tenant is unknown.
Nothing here is ever deleted: a cancelled subscription stays, with status ``canceled``."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tenants.types import UTCDateTime, optional_timestamp_field, timestamp_field

# Subscription statuses as Stripe names them, grouped by what they mean for entitlements.
LIVE_STATUSES = frozenset({"active", "trialing", "past_due", "unpaid"})
PAYMENT_PROBLEM_STATUSES = frozenset({"past_due", "unpaid"})
# A subscription in one of these never comes back in Stripe: a new one is created instead.
TERMINAL_STATUSES = frozenset({"canceled", "incomplete_expired"})


class BillingAccount(SQLModel, table=True):
    """One tenant's picture of its Stripe customer and subscription."""

    __tablename__ = "billing_account"

    tenant_id: uuid.UUID = Field(foreign_key="tenant.id", primary_key=True)
    stripe_customer_id: str | None = Field(default=None, max_length=255, unique=True,
                                           index=True)
    stripe_subscription_id: str | None = Field(default=None, max_length=255, index=True)
    # The plan the subscription names ("free" when there is none); entitlements decide
    # from it and the status, period and grace below what the tenant may use right now.
    plan: str = Field(default="free", max_length=40)
    status: str | None = Field(default=None, max_length=30)
    quantity: int | None = Field(default=None)
    current_period_start: datetime | None = optional_timestamp_field()
    current_period_end: datetime | None = optional_timestamp_field()
    cancel_at_period_end: bool = Field(default=False)
    # Set by the first failed payment; after it the tenant falls back to Free limits.
    grace_until: datetime | None = optional_timestamp_field()
    # Ordering of applied states (see webhooks.py): the Stripe time of the newest subscription
    # state applied, its rank among events of the same second, and the time of the newest
    # payment signal (an invoice paid or failed, or a status that implies one).
    state_at: datetime | None = optional_timestamp_field()
    state_rank: int = Field(default=0)
    payment_state_at: datetime | None = optional_timestamp_field()
    # Subscriptions of this customer known to have ended, so that a late "created" for one of
    # them cannot bring it back (canceled is final in Stripe).
    ended_subscription_ids: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class StripeEvent(SQLModel, table=True):
    """Every verified webhook event, as received; processed at most once."""

    __tablename__ = "stripe_event"

    id: str = Field(primary_key=True, max_length=255)  # Stripe's event id
    type: str = Field(max_length=100, index=True)
    created: datetime = Field(sa_type=UTCDateTime, index=True)  # Stripe's time of the event
    livemode: bool = Field(default=False)
    tenant_id: uuid.UUID | None = Field(default=None, foreign_key="tenant.id", index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    received_at: datetime = timestamp_field()
    processed_at: datetime | None = optional_timestamp_field()
    result: str = Field(default="", max_length=200)
