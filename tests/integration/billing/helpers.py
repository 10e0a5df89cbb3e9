"""Billing test helpers: a fake gateway behind the BillingGateway interface, Stripe-shaped
payloads (as the current API sends them), and locally signed webhook deliveries."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tenants.billing import queries, services
from tenants.billing.gateway import InvoiceSummary, install_gateway
from tenants.billing.models import BillingAccount
from tenants.billing.plans import catalogue
from tenants.extensions import db
from tenants.models import Tenant

WEBHOOK_SECRET = "whsec_test_chaingauge"
SECRET_KEY = "sk_test_chaingauge"
_ids = itertools.count(1)


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:14]}{next(_ids)}"


class FakeGateway:
    """Stands in for Stripe where localstripe cannot (Checkout, Portal, Prices)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.invoices: list[InvoiceSummary] = []

    def create_customer(self, *, tenant_id: str, email: str, name: str) -> str:
        self.calls.append(("create_customer", {"tenant_id": tenant_id, "email": email}))
        return new_id("cus")

    def create_checkout_session(self, **kwargs: Any) -> str:
        self.calls.append(("create_checkout_session", kwargs))
        return f"https://checkout.stripe.test/c/pay/{new_id('cs_test')}"

    def create_portal_session(self, *, customer_id: str, return_url: str) -> str:
        self.calls.append(("create_portal_session", {"customer_id": customer_id,
                                                     "return_url": return_url}))
        return f"https://billing.stripe.test/p/session/{new_id('bps')}"

    def retrieve_subscription(self, subscription_id: str) -> dict[str, Any]:
        self.calls.append(("retrieve_subscription", {"id": subscription_id}))
        return self.subscriptions[subscription_id]

    def list_invoices(self, customer_id: str, limit: int = 12) -> list[InvoiceSummary]:
        return list(self.invoices)

    def called(self, name: str) -> list[dict[str, Any]]:
        return [kwargs for call, kwargs in self.calls if call == name]


@pytest.fixture
def billing(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGateway]:
    """Billing on (Stripe keys configured), with the fake gateway installed."""
    gateway = FakeGateway()
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", SECRET_KEY)
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    install_gateway(app, gateway)
    try:
        yield gateway
    finally:
        install_gateway(app, None)


@pytest.fixture(autouse=True)
def _messages_in_english(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read refusal texts in English; Chinese, the product's default, is
    covered by the catalogue tests. Autouse where a conftest imports it (tests/integration/
    billing, tests/web/billing)."""
    if "app" in request.fixturenames:
        app = request.getfixturevalue("app")
        monkeypatch.setitem(app.config, "DEFAULT_LOCALE", "en")


# -- Stripe-shaped objects ----------------------------------------------------------------
def ts(moment: datetime) -> int:
    return int(moment.timestamp())


def subscription(customer: str, plan: str = "professional", *, sub_id: str | None = None,
                 status: str = "active", quantity: int = 1, start: datetime | None = None,
                 cancel_at_period_end: bool = False, tenant_id: str | None = None
                 ) -> dict[str, Any]:
    """A subscription as the current Stripe API sends it (periods on the items)."""
    start = start or datetime.now(UTC).replace(microsecond=0)
    end = start + timedelta(days=365)
    price_plan = catalogue().plans[plan]
    sub_id = sub_id or new_id("sub")
    return {
        "id": sub_id, "object": "subscription", "customer": customer, "status": status,
        "cancel_at_period_end": cancel_at_period_end, "cancel_at": ts(end) if
        cancel_at_period_end else None, "canceled_at": None, "created": ts(start),
        "start_date": ts(start), "livemode": False, "currency": "cny",
        "metadata": {"tenant_id": tenant_id or "", "plan": plan},
        "items": {"object": "list", "has_more": False, "data": [{
            "id": new_id("si"), "object": "subscription_item", "quantity": quantity,
            "subscription": sub_id,
            "current_period_start": ts(start), "current_period_end": ts(end),
            "price": {"id": new_id("price"), "object": "price",
                      "lookup_key": price_plan.lookup_key, "currency": "cny",
                      "unit_amount": price_plan.price.unit_amount_fen if price_plan.price
                      else 0, "recurring": {"interval": "year", "interval_count": 1},
                      "metadata": {"chaingauge_plan": plan}, "product": price_plan.product_id},
        }]},
    }


def invoice(customer: str, sub_id: str, *, paid: bool) -> dict[str, Any]:
    return {
        "id": new_id("in"), "object": "invoice", "customer": customer,
        "status": "paid" if paid else "open", "amount_due": 1280000,
        "amount_paid": 1280000 if paid else 0, "currency": "cny", "attempt_count": 1,
        "billing_reason": "subscription_cycle",
        "parent": {"type": "subscription_details",
                   "subscription_details": {"subscription": sub_id, "metadata": {}}},
    }


def checkout_session(customer: str, sub_id: str, tenant_id: str, plan: str = "professional"
                     ) -> dict[str, Any]:
    return {
        "id": new_id("cs_test"), "object": "checkout.session", "mode": "subscription",
        "status": "complete", "payment_status": "paid", "customer": customer,
        "subscription": sub_id, "client_reference_id": tenant_id,
        "metadata": {"tenant_id": tenant_id, "plan": plan}, "currency": "cny",
        "amount_total": 1280000, "livemode": False,
    }


def event(type_: str, obj: dict[str, Any], created: datetime | int | None = None,
          event_id: str | None = None) -> dict[str, Any]:
    if created is None:
        created = int(time.time())
    if isinstance(created, datetime):
        created = ts(created)
    return {"id": event_id or new_id("evt"), "object": "event", "type": type_,
            "created": created, "livemode": False, "api_version": "2025-10-29.clover",
            "pending_webhooks": 1, "request": {"id": None, "idempotency_key": None},
            "data": {"object": obj}}


def sign(body: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def deliver(client: FlaskClient, evt: dict[str, Any], *, secret: str = WEBHOOK_SECRET,
            timestamp: int | None = None, header: str | None = None) -> Any:
    body = json.dumps(evt).encode()
    signature = header if header is not None else sign(body, secret, timestamp)
    return client.post("/stripe/webhook", data=body,
                       headers={"Stripe-Signature": signature,
                                "Content-Type": "application/json"})


# -- state ----------------------------------------------------------------------------------
def account_of(app: Flask, tenant: Tenant) -> BillingAccount | None:
    """The tenant's account as stored now (detached: safe to read after the context)."""
    with app.app_context():
        account = queries.account(tenant.id)
        if account is not None:
            db.session.expunge(account)
        return account


def with_customer(app: Flask, tenant: Tenant, customer_id: str | None = None) -> str:
    """Give the tenant a billing account with a Stripe customer id."""
    customer_id = customer_id or new_id("cus")
    with app.app_context():
        account = services.get_or_create_account(db.session.merge(tenant))
        account.stripe_customer_id = customer_id
        db.commit()
    return customer_id


def subscribe(app: Flask, tenant: Tenant, plan: str, *, quantity: int = 1,
              status: str = "active") -> str:
    """Put the tenant on ``plan`` through the service the webhooks use."""
    customer = with_customer(app, tenant)
    with app.test_request_context():
        account = queries.account(tenant.id)
        assert account is not None
        services.apply_subscription(
            account, subscription(customer, plan, quantity=quantity, status=status),
            datetime.now(UTC), services.RANK_CREATED)
        db.commit()
    return customer
