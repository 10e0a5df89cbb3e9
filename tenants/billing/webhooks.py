"""Stripe webhooks: verify, store, process once.

1. Verify. ``Stripe-Signature: t=<unix time>,v1=<hex>`` where v1 is HMAC-SHA256 of
   ``"<t>.<raw body>"`` with the endpoint's secret; a missing or wrong signature, or a ``t``
   more than 300 s old (a replayed capture), is refused with 400 and nothing is stored.
2. Store. Every verified event is kept in ``stripe_event`` with its payload, keyed by
   Stripe's event id. A second delivery of the same id finds it processed and does nothing
   (Stripe delivers at least once, and retries).
3. Process, in the same transaction as the store: if processing fails the response is 500,
   both are rolled back and Stripe's retry tries again.

Ordering: events may arrive in any order. Each one carries Stripe's ``created`` time; a
subscription state is applied only if it is not older than the one applied before (see
``services.apply_subscription``), payments likewise (``services.apply_payment``).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import stripe
from flask import current_app
from sqlalchemy.exc import IntegrityError

from tenants.billing import queries, services
from tenants.billing.gateway import get_gateway
from tenants.billing.models import BillingAccount, StripeEvent
from tenants.context import system_scope
from tenants.db import db
from tenants.types import utcnow

log = logging.getLogger(__name__)


class SignatureInvalid(Exception):
    """The request is not a genuine, fresh Stripe event."""


@dataclass(frozen=True)
class Outcome:
    status_code: int
    result: str


def verify(payload: bytes, header: str | None, secret: str | None,
           tolerance: int = 300) -> dict[str, Any]:
    """The event in ``payload`` if ``header`` signs it with ``secret`` within ``tolerance``."""
    if not secret:
        raise SignatureInvalid("no webhook secret is configured")
    if not header:
        raise SignatureInvalid("no Stripe-Signature header")
    try:
        stripe.WebhookSignature.verify_header(payload, header, secret, tolerance)
    except stripe.SignatureVerificationError as error:
        raise SignatureInvalid(str(error)) from error
    try:
        event = json.loads(payload)
    except ValueError as error:
        raise SignatureInvalid("the body is not JSON") from error
    if not (isinstance(event, dict) and isinstance(event.get("id"), str)
            and isinstance(event.get("type"), str) and isinstance(event.get("created"), int)
            and isinstance((event.get("data") or {}).get("object"), dict)):
        raise SignatureInvalid("the body is not a Stripe event")
    return event


def receive(payload: bytes, header: str | None) -> Outcome:
    """Handle one delivery; the caller's unit of work commits (2xx) or rolls back."""
    config = current_app.config
    try:
        event = verify(payload, header, config["STRIPE_WEBHOOK_SECRET"],
                       int(config["STRIPE_WEBHOOK_TOLERANCE"] or 300))
    except SignatureInvalid as error:
        log.warning("stripe webhook refused: %s", error)
        return Outcome(400, "invalid signature")
    with system_scope(db.session, "stripe webhook: the tenant comes from the event"):
        stored = queries.event(event["id"])
        if stored is not None and stored.processed_at is not None:
            return Outcome(200, "duplicate")
        if stored is None:
            stored = StripeEvent(
                id=event["id"], type=event["type"],
                created=datetime.fromtimestamp(event["created"], UTC),
                livemode=bool(event.get("livemode")), payload=event)
            try:
                with db.session.begin_nested():
                    db.session.add(stored)
            except IntegrityError:
                # The same event is being processed by a concurrent delivery.
                return Outcome(200, "duplicate")
        account, result = process(event)
        stored.tenant_id = account.tenant_id if account else None
        stored.result = result[:200]
        stored.processed_at = utcnow()
        db.session.flush()
    log.info("stripe webhook %s %s: %s", event["type"], event["id"], result)
    return Outcome(200, result)


# -- processing -----------------------------------------------------------------------------
Handler = Callable[[dict[str, Any], datetime], tuple[BillingAccount | None, str]]


def _id(value: Any) -> str | None:
    """A Stripe reference, whether sent as an id or as an expanded object."""
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if value else None


def _account_for(customer: Any, metadata: dict[str, Any] | None) -> BillingAccount | None:
    customer_id = _id(customer)
    account = queries.account_by_customer(customer_id, for_update=True) if customer_id else None
    if account is None:
        # Our own metadata (set at Checkout) names the tenant; link the customer to it.
        tenant_id = (metadata or {}).get("tenant_id")
        try:
            account = queries.account(uuid.UUID(str(tenant_id)), for_update=True) \
                if tenant_id else None
        except ValueError:
            account = None
        if account is not None and account.stripe_customer_id is None and customer_id:
            account.stripe_customer_id = customer_id
        elif account is not None and account.stripe_customer_id != customer_id:
            log.warning("event names tenant %s but another customer", tenant_id)
            return None
    return account


def _subscription_handler(rank: int) -> Handler:
    def handle(obj: dict[str, Any], at: datetime) -> tuple[BillingAccount | None, str]:
        account = _account_for(obj.get("customer"), obj.get("metadata"))
        if account is None:
            return None, "ignored: unknown customer"
        return account, services.apply_subscription(account, obj, at, rank)

    return handle


def _checkout_completed(obj: dict[str, Any], at: datetime
                        ) -> tuple[BillingAccount | None, str]:
    if obj.get("mode") != "subscription":
        return None, "ignored: not a subscription checkout"
    metadata = {"tenant_id": obj.get("client_reference_id"), **(obj.get("metadata") or {})}
    account = _account_for(obj.get("customer"), metadata)
    if account is None:
        return None, "ignored: unknown customer"
    subscription_id = _id(obj.get("subscription"))
    if subscription_id is None:
        return account, "ignored: no subscription"
    # The session does not carry the subscription's state; Stripe's own advice is to fetch
    # it. What we fetch is the state as of now, so it is ordered by the time of the fetch.
    subscription = get_gateway().retrieve_subscription(subscription_id)
    fetched_at = max(utcnow().replace(microsecond=0), at)
    return account, services.apply_subscription(account, subscription, fetched_at,
                                                services.RANK_UPDATED)


def _invoice_handler(paid: bool) -> Handler:
    def handle(obj: dict[str, Any], at: datetime) -> tuple[BillingAccount | None, str]:
        account = _account_for(obj.get("customer"), None)
        if account is None:
            return None, "ignored: unknown customer"
        return account, services.apply_payment(account, obj, at, paid)

    return handle


HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": _checkout_completed,
    "customer.subscription.created": _subscription_handler(services.RANK_CREATED),
    "customer.subscription.updated": _subscription_handler(services.RANK_UPDATED),
    "customer.subscription.deleted": _subscription_handler(services.RANK_DELETED),
    "invoice.paid": _invoice_handler(paid=True),
    # older API versions and localstripe send this name for the same fact
    "invoice.payment_succeeded": _invoice_handler(paid=True),
    "invoice.payment_failed": _invoice_handler(paid=False),
}


def process(event: dict[str, Any]) -> tuple[BillingAccount | None, str]:
    handler = HANDLERS.get(event["type"])
    if handler is None:
        return None, "ignored: not handled"
    at = datetime.fromtimestamp(event["created"], UTC)
    return handler(event["data"]["object"], at)
