"""Writes of billing: accounts, Checkout and Portal sessions, and applying Stripe's state.

Services change and flush; the request (or webhook) commits once. The ordering rule that
makes out-of-order webhooks harmless lives in :func:`apply_subscription` and
:func:`apply_payment`; docs/billing.md states it for people.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l

from tenants.billing import entitlements, queries
from tenants.billing.config import billing_enabled
from tenants.billing.gateway import get_gateway
from tenants.billing.models import (
    LIVE_STATUSES,
    PAYMENT_PROBLEM_STATUSES,
    TERMINAL_STATUSES,
    BillingAccount,
)
from tenants.billing.plans import FREE, catalogue
from tenants.db import db
from tenants.errors import Conflict, DomainError, NotFound
from tenants.models import Tenant, User
from tenants.services import audit
from tenants.types import utcnow

log = logging.getLogger(__name__)

GRACE_PERIOD = timedelta(days=7)

# Events of one second are ordered by what they can follow: a subscription is created
# before it is updated, and deleted last.
RANK_CREATED, RANK_UPDATED, RANK_DELETED = 0, 1, 2


def _require_billing() -> None:
    if not billing_enabled():
        raise NotFound(_l("Billing is off on this installation: every feature is available."))


def get_or_create_account(tenant: Tenant) -> BillingAccount:
    account = queries.account(tenant.id)
    if account is None:
        account = BillingAccount(tenant_id=tenant.id)
        db.session.add(account)
        db.session.flush()
    return account


def ensure_customer(tenant: Tenant, actor: User) -> BillingAccount:
    """The tenant's Stripe customer, created on first need (not at sign-up: most tenants
    never pay, and the demo never talks to Stripe)."""
    _require_billing()
    account = get_or_create_account(tenant)
    if account.stripe_customer_id is None:
        account.stripe_customer_id = get_gateway().create_customer(
            tenant_id=str(tenant.id), email=actor.email, name=tenant.name)
        audit.record("billing.customer_created", tenant_id=tenant.id,
                     subject=account.stripe_customer_id)
        db.session.flush()
    return account


def start_checkout(tenant: Tenant, actor: User, plan_key: str, seats: int | None,
                   success_url: str, cancel_url: str) -> str:
    """A Checkout Session for ``plan_key``; returns the Stripe URL to send the owner to."""
    _require_billing()
    plan = catalogue().plans.get(plan_key)
    if plan is None or plan.price is None:
        raise DomainError(_l("Choose a paid plan."), "plan")
    if str(tenant.kind) not in plan.tenant_kinds:
        raise DomainError(_l("This plan is not offered to this kind of organisation."), "plan")
    current = entitlements.standing(tenant)
    if current.state in ("active", "trialing", "canceling", "grace"):
        raise Conflict(_l("This organisation already has a subscription. Change its plan, "
                          "seats or card in the customer portal."))
    account = ensure_customer(tenant, actor)
    assert account.stripe_customer_id is not None
    minimum: int | None = None
    quantity = 1
    if plan.price.per_seat:
        limit = "member_seats" if plan.price.unit == "member_seat" else "client_seats"
        minimum = max(plan.price.minimum_quantity, entitlements.usage(tenant, limit))
        quantity = max(minimum, seats or 0)
    url = get_gateway().create_checkout_session(
        customer_id=account.stripe_customer_id, lookup_key=plan.lookup_key, quantity=quantity,
        minimum_quantity=minimum, tenant_id=str(tenant.id), plan=plan.key,
        success_url=success_url, cancel_url=cancel_url)
    audit.record("billing.checkout_started", tenant_id=tenant.id, subject=plan.key,
                 quantity=quantity)
    return str(url)


def open_portal(tenant: Tenant, return_url: str) -> str:
    _require_billing()
    account = queries.account(tenant.id)
    if account is None or account.stripe_customer_id is None:
        raise DomainError(_l("There is nothing to manage yet: choose a plan first."))
    url = get_gateway().create_portal_session(customer_id=account.stripe_customer_id,
                                              return_url=return_url)
    audit.record("billing.portal_opened", tenant_id=tenant.id)
    return str(url)


def invoices(tenant: Tenant) -> list[Any]:
    """The tenant's newest invoices from Stripe; empty when there is no customer."""
    account = queries.account(tenant.id)
    if not billing_enabled() or account is None or account.stripe_customer_id is None:
        return []
    return list(get_gateway().list_invoices(account.stripe_customer_id))


# -- applying Stripe's state ------------------------------------------------------------------
def _timestamp(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if value else None


def _first_item(subscription: dict[str, Any]) -> dict[str, Any]:
    items = (subscription.get("items") or {}).get("data") or []
    return items[0] if items else {}


def plan_of(subscription: dict[str, Any]) -> str | None:
    """Which of our plans a Stripe subscription is for: by the price's lookup key, else the
    price's or (legacy) plan's ``chaingauge_plan`` metadata, else the subscription's."""
    plans = catalogue()
    item = _first_item(subscription)
    price = item.get("price") or {}
    if price.get("lookup_key"):
        plan = plans.by_lookup_key(str(price["lookup_key"]))
        if plan is not None:
            return plan.key
    for metadata in (price.get("metadata"), (item.get("plan") or {}).get("metadata"),
                     subscription.get("metadata")):
        key = (metadata or {}).get("chaingauge_plan") or (metadata or {}).get("plan")
        if key in plans.plans:
            return str(key)
    return None


def _older(at: datetime, rank: int, than_at: datetime | None, than_rank: int) -> bool:
    return than_at is not None and (at, rank) < (than_at, than_rank)


def _set_grace(account: BillingAccount, failed_at: datetime) -> None:
    # Retries of the same debt do not extend the grace period: it runs from the first failure.
    if account.grace_until is None:
        account.grace_until = failed_at + GRACE_PERIOD


def _payment_signal(account: BillingAccount, at: datetime, ok: bool) -> bool:
    """Apply a payment signal unless a newer one was applied; True if applied."""
    if account.payment_state_at is not None and at < account.payment_state_at:
        return False
    if ok:
        account.grace_until = None
    else:
        _set_grace(account, at)
    account.payment_state_at = at
    return True


def apply_subscription(account: BillingAccount, subscription: dict[str, Any], at: datetime,
                       rank: int) -> str:
    """Apply a subscription state that Stripe reported at ``at``; returns what happened.

    The newest state wins by Stripe's own timestamps, not by arrival: a state older than the
    one applied (by ``(at, rank)``) is ignored. An ending (``canceled``) always applies, and a
    subscription that has ended never becomes live again, whatever arrives after. Another
    subscription of the same customer replaces the current one only when it is live and
    newer, or when the current one has ended.
    """
    sub_id = str(subscription.get("id") or "")
    status = str(subscription.get("status") or "")
    if not sub_id.startswith("sub_") or not status:
        return "ignored: not a subscription"
    current_id = account.stripe_subscription_id
    if status in TERMINAL_STATUSES and sub_id not in account.ended_subscription_ids:
        account.ended_subscription_ids = [*account.ended_subscription_ids, sub_id]
    if current_id and current_id != sub_id:
        if status not in LIVE_STATUSES or sub_id in account.ended_subscription_ids:
            db.session.flush()
            return "ignored: another subscription, not live"
        current_live = account.status in LIVE_STATUSES
        if current_live and _older(at, rank, account.state_at, account.state_rank):
            return "ignored: another subscription, older than the current one"
        account.grace_until = None  # a new subscription starts with its own payments
        account.payment_state_at = None
    elif current_id == sub_id and status not in TERMINAL_STATUSES:
        # (An ending always applies: nothing can follow it.)
        if sub_id in account.ended_subscription_ids:
            return "ignored: the subscription has ended"
        if _older(at, rank, account.state_at, account.state_rank):
            return "ignored: older than the state applied"
    plan_key = plan_of(subscription)
    if plan_key is None:
        if current_id != sub_id:
            log.warning("subscription %s names no ChainGauge plan", sub_id)
            return "ignored: no ChainGauge plan on this subscription"
        plan_key = account.plan
    item = _first_item(subscription)
    account.stripe_subscription_id = sub_id
    account.plan = plan_key
    account.status = status
    account.quantity = int(item.get("quantity") or subscription.get("quantity") or 1)
    # Stripe moved the period onto the items (API 2025-03-31); read either place.
    account.current_period_start = _timestamp(
        subscription.get("current_period_start") or item.get("current_period_start"))
    account.current_period_end = _timestamp(
        subscription.get("current_period_end") or item.get("current_period_end"))
    account.cancel_at_period_end = bool(subscription.get("cancel_at_period_end"))
    if not _older(at, rank, account.state_at, account.state_rank):
        account.state_at, account.state_rank = at, rank
    if status in PAYMENT_PROBLEM_STATUSES:
        _payment_signal(account, at, ok=False)
    elif status in ("active", "trialing"):
        _payment_signal(account, at, ok=True)
    _sync_tenant(account, status)
    return f"applied: {plan_key} {status}"


def apply_payment(account: BillingAccount, invoice: dict[str, Any], at: datetime,
                  paid: bool) -> str:
    """An invoice was paid, or its payment failed, at ``at``. A failure opens a grace period
    of 7 days (from the first failure); a newer payment closes it."""
    sub_id = invoice.get("subscription")
    if sub_id is None:  # API 2025-03-31 moved it under parent.subscription_details
        sub_id = ((invoice.get("parent") or {}).get("subscription_details") or {}).get(
            "subscription")
    if isinstance(sub_id, dict):
        sub_id = sub_id.get("id")
    if sub_id is None or sub_id != account.stripe_subscription_id:
        return "ignored: not the current subscription's invoice"
    if not _payment_signal(account, at, ok=paid):
        return "ignored: older than the payment state applied"
    account.updated_at = utcnow()
    audit.record("billing.payment_paid" if paid else "billing.payment_failed",
                 tenant_id=account.tenant_id, subject=str(invoice.get("id") or ""),
                 grace_until=account.grace_until)
    return "applied: payment " + ("paid" if paid else "failed")


def _sync_tenant(account: BillingAccount, status: str) -> None:
    """Keep ``tenant.plan`` (a label for lists and reports) in step; entitlements decide from
    the account, which also knows about grace periods and period ends."""
    account.updated_at = utcnow()
    tenant = db.session.get(Tenant, account.tenant_id)
    label = account.plan if status in LIVE_STATUSES else FREE
    if tenant is not None and tenant.plan != label:
        audit.record("billing.plan_changed", tenant_id=tenant.id, subject=label,
                     old=tenant.plan, status=status)
        tenant.plan = label
    db.session.flush()
