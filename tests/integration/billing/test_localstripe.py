"""Against a real localstripe server: the app creates the customer through its gateway, a
subscription is created there, and localstripe's own signed webhooks change the plan.

localstripe has no Prices, Checkout or Portal: the plan is a legacy Stripe "plan" carrying
our ``chaingauge_plan`` metadata, and the subscription is created with the API directly (as
Checkout would). Its webhooks are received by a small HTTP receiver and replayed, byte for
byte with their headers, into the app's endpoint (the test's database connection is not
shared with a server thread).
"""

from __future__ import annotations

import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
import stripe

from tenants.billing import entitlements, services
from tenants.billing.plans import catalogue
from tenants.extensions import db
from tests.conftest import ON_CI
from tests.factories import owner_of
from tests.integration.billing.helpers import account_of

API_KEY = "sk_test_localstripe"
WEBHOOK_SECRET = "whsec_localstripe_test"

Delivery = tuple[bytes, dict[str, str]]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _localstripe_command() -> str | None:
    candidate = Path(sys.executable).with_name("localstripe")
    return str(candidate) if candidate.exists() else shutil.which("localstripe")


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    command = _localstripe_command()
    if command is None:
        if ON_CI:  # as PostgreSQL: optional on a laptop, required on CI
            pytest.fail("CI=true requires localstripe (pip install localstripe); "
                        "it is not installed")
        pytest.skip("localstripe is not installed (pip install localstripe)")
    port = _free_port()
    log = (tmp_path_factory.mktemp("localstripe") / "localstripe.log").open("w")
    process = subprocess.Popen([command, "--port", str(port), "--from-scratch"],
                               stdout=log, stderr=subprocess.STDOUT,
                               cwd=str(tmp_path_factory.getbasetemp()))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"{base}/js.stripe.com/v3/", timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("localstripe did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def webhook_inbox(localstripe: str) -> Iterator[queue.Queue[Delivery]]:
    """Register a webhook endpoint with localstripe and collect what it posts there."""
    inbox: queue.Queue[Delivery] = queue.Queue()

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            inbox.put((body, {k: v for k, v in self.headers.items()}))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    data = urllib.parse.urlencode({
        "url": f"http://127.0.0.1:{server.server_port}/stripe/webhook",
        "secret": WEBHOOK_SECRET}).encode()
    urllib.request.urlopen(f"{localstripe}/_config/webhooks/chaingauge", data=data,
                           timeout=5).close()
    try:
        yield inbox
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def real_stripe(app, localstripe, monkeypatch) -> stripe.StripeClient:
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", API_KEY)
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", localstripe)
    return stripe.StripeClient(API_KEY, base_addresses={"api": localstripe},
                               max_network_retries=0)


def _wait_for(inbox: queue.Queue[Delivery], event_type: str, customer: str,
              timeout: float = 15) -> list[Delivery]:
    """Everything delivered until an event of ``event_type`` for ``customer`` arrived."""
    received: list[Delivery] = []
    deadline = time.monotonic() + timeout
    while True:
        try:
            delivery = inbox.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            raise AssertionError(f"no {event_type} webhook from localstripe") from None
        received.append(delivery)
        if f'"type": "{event_type}"' in delivery[0].decode() and customer in \
                delivery[0].decode():
            return received


def _replay(client, deliveries: list[Delivery]) -> list[str]:
    results = []
    for body, headers in deliveries:
        response = client.post("/stripe/webhook", data=body, headers={
            "Stripe-Signature": headers["Stripe-Signature"],
            "Content-Type": headers.get("Content-Type", "application/json")})
        assert response.status_code == 200, response.get_data(as_text=True)
        results.append(response.json["result"])
    return results


def _drain(inbox: queue.Queue[Delivery]) -> None:
    while not inbox.empty():
        inbox.get_nowait()


@pytest.mark.slow
def test_subscription_through_localstripe_webhooks(app, client, make_tenant, real_stripe,
                                                   webhook_inbox):
    _drain(webhook_inbox)
    tenant = make_tenant()
    owner = owner_of(app, tenant)
    # The app creates the customer lazily, through its gateway.
    with app.test_request_context():
        account = services.ensure_customer(db.session.merge(tenant), db.session.merge(owner))
        customer = account.stripe_customer_id
        db.commit()
    assert customer and customer.startswith("cus_")
    assert real_stripe.v1.customers.retrieve(customer).metadata["tenant_id"] == str(tenant.id)

    plan = catalogue().plans["professional"]
    assert plan.price is not None
    product_id = f"{plan.product_id}_{os.getpid()}_{time.monotonic_ns()}"
    real_stripe.v1.products.create(params={"id": product_id, "name": "ChainGauge Pro"})
    stripe_plan = real_stripe.v1.plans.create(params={
        "id": f"{plan.lookup_key}_{time.monotonic_ns()}", "product": product_id,
        "amount": plan.price.unit_amount_fen, "currency": "cny",
        "interval": plan.price.interval, "metadata": {"chaingauge_plan": "professional"}})
    card = real_stripe.v1.payment_methods.attach("pm_card_visa", params={"customer": customer})
    real_stripe.v1.customers.update(customer, params={
        "invoice_settings": {"default_payment_method": card.id}})
    subscription = real_stripe.v1.subscriptions.create(params={
        "customer": customer, "items": [{"plan": stripe_plan.id}]})
    assert subscription.status == "active"

    results = _replay(client, _wait_for(webhook_inbox, "customer.subscription.created",
                                        customer))
    assert "applied: professional active" in results
    with app.test_request_context():
        assert entitlements.standing(tenant).plan.key == "professional"
        assert entitlements.may(tenant, "pdf_reports")
        [invoice] = services.invoices(tenant)  # through the gateway, from localstripe
        assert invoice.status == "paid" and invoice.amount_paid == plan.price.unit_amount_fen
    assert account_of(app, tenant).stripe_subscription_id == subscription.id

    real_stripe.v1.subscriptions.cancel(subscription.id)
    results = _replay(client, _wait_for(webhook_inbox, "customer.subscription.deleted",
                                        customer))
    assert "applied: professional canceled" in results
    with app.test_request_context():
        assert entitlements.standing(tenant).plan.key == "free"
        assert not entitlements.may(tenant, "pdf_reports")
    assert account_of(app, tenant).status == "canceled"  # kept, not deleted
