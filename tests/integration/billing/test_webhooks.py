"""Webhooks: signatures, storage, idempotency, ordering, grace. Locally signed payloads of
the real Stripe shapes."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from sqlmodel import func, select

from tenants.billing import entitlements
from tenants.billing.models import StripeEvent
from tenants.extensions import db
from tests.integration.billing.helpers import (
    account_of,
    checkout_session,
    deliver,
    event,
    invoice,
    sign,
    subscription,
    with_customer,
)


def _event_count(app) -> int:
    with app.app_context():
        return db.session.exec(select(func.count()).select_from(StripeEvent)).one()


def _plan_now(app, tenant, now=None) -> str:
    with app.test_request_context():
        return entitlements.standing(tenant, now).plan.key


def test_forged_signature_is_refused_and_changes_nothing(app, client, billing, make_tenant):
    tenant = make_tenant()
    customer = with_customer(app, tenant)
    evt = event("customer.subscription.created", subscription(customer))
    response = deliver(client, evt, secret="whsec_someone_else")
    assert response.status_code == 400
    assert _event_count(app) == 0
    assert _plan_now(app, tenant) == "free"
    assert account_of(app, tenant).stripe_subscription_id is None


def test_unsigned_and_tampered_requests_are_refused(app, client, billing, make_tenant):
    tenant = make_tenant()
    customer = with_customer(app, tenant)
    body = json.dumps(event("customer.subscription.created", subscription(customer))).encode()
    unsigned = client.post("/stripe/webhook", data=body,
                           headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 400
    header = sign(body)
    tampered = body.replace(b'"professional"', b'"association"')
    response = client.post("/stripe/webhook", data=tampered,
                           headers={"Stripe-Signature": header})
    assert response.status_code == 400
    garbage = client.post("/stripe/webhook", data=body,
                          headers={"Stripe-Signature": "t=abc,v1=zzz"})
    assert garbage.status_code == 400
    assert _event_count(app) == 0
    assert _plan_now(app, tenant) == "free"


def test_stale_timestamp_is_refused(app, client, billing, make_tenant):
    tenant = make_tenant()
    customer = with_customer(app, tenant)
    evt = event("customer.subscription.created", subscription(customer))
    response = deliver(client, evt, timestamp=int(time.time()) - 301)
    assert response.status_code == 400
    assert _event_count(app) == 0
    fresh = deliver(client, evt, timestamp=int(time.time()) - 290)
    assert fresh.status_code == 200


def test_without_a_webhook_secret_every_event_is_refused(app, client, billing, make_tenant,
                                                        monkeypatch):
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", None)
    tenant = make_tenant()
    customer = with_customer(app, tenant)
    assert deliver(client, event("customer.subscription.created",
                                 subscription(customer))).status_code == 400


def test_events_are_stored_and_a_replay_is_processed_once(app, client, billing, make_tenant):
    tenant = make_tenant()
    customer = with_customer(app, tenant)
    sub = subscription(customer)
    failed = event("invoice.payment_failed", invoice(customer, sub["id"], paid=False))
    first = deliver(client, event("customer.subscription.created", sub))
    assert first.json["result"] == "applied: professional active"
    assert deliver(client, failed).json["result"] == "applied: payment failed"
    grace_until = account_of(app, tenant).grace_until
    # Stripe retries, or an attacker replays a captured delivery within the tolerance:
    again = deliver(client, failed)
    assert again.status_code == 200 and again.json["result"] == "duplicate"
    assert account_of(app, tenant).grace_until == grace_until
    with app.app_context():
        stored = db.session.get(StripeEvent, failed["id"])
        assert stored is not None and stored.processed_at is not None
        assert stored.tenant_id == tenant.id
        assert stored.payload["data"]["object"]["customer"] == customer
    assert _event_count(app) == 2


def test_updated_before_created_keeps_the_newest_state(app, client, billing, make_tenant):
    tenant = make_tenant()
    customer = with_customer(app, tenant)
    t0 = datetime.now(UTC).replace(microsecond=0)
    sub = subscription(customer)
    cancelling = {**sub, "cancel_at_period_end": True}
    assert deliver(client, event("customer.subscription.updated", cancelling,
                                 t0 + timedelta(seconds=5))).status_code == 200
    late_created = deliver(client, event("customer.subscription.created", sub, t0))
    assert late_created.json["result"].startswith("ignored: older")
    account = account_of(app, tenant)
    assert account.cancel_at_period_end is True
    assert account.plan == "professional"


def test_an_older_update_after_a_newer_one_is_ignored(app, client, billing, make_tenant):
    tenant = make_tenant()
    customer = with_customer(app, tenant)
    t0 = datetime.now(UTC).replace(microsecond=0)
    sub = subscription(customer, quantity=1)
    deliver(client, event("customer.subscription.created", sub, t0))
    newer = {**sub, "cancel_at_period_end": False, "status": "active"}
    older = {**sub, "cancel_at_period_end": True}
    deliver(client, event("customer.subscription.updated", newer, t0 + timedelta(seconds=20)))
    result = deliver(client, event("customer.subscription.updated", older,
                                   t0 + timedelta(seconds=10)))
    assert result.json["result"].startswith("ignored: older")
    assert account_of(app, tenant).cancel_at_period_end is False


def test_deleted_before_created_stays_cancelled(app, client, billing, make_tenant):
    tenant = make_tenant()
    customer = with_customer(app, tenant)
    t0 = datetime.now(UTC).replace(microsecond=0)
    sub = subscription(customer)
    deliver(client, event("customer.subscription.deleted", {**sub, "status": "canceled"},
                          t0 + timedelta(seconds=30)))
    late = deliver(client, event("customer.subscription.created", sub, t0))
    assert late.json["result"].startswith("ignored")
    # even an "update" stamped later cannot revive an ended subscription
    revived = deliver(client, event("customer.subscription.updated", sub,
                                    t0 + timedelta(seconds=60)))
    assert revived.json["result"] == "ignored: the subscription has ended"
    assert account_of(app, tenant).status == "canceled"
    assert _plan_now(app, tenant) == "free"


def test_a_new_subscription_is_not_ended_by_the_old_ones_late_deletion(
        app, client, billing, make_tenant):
    tenant = make_tenant()
    customer = with_customer(app, tenant)
    t0 = datetime.now(UTC).replace(microsecond=0)
    old, new = subscription(customer), subscription(customer)
    deliver(client, event("customer.subscription.created", old, t0))
    deliver(client, event("customer.subscription.created", new, t0 + timedelta(seconds=40)))
    deliver(client, event("customer.subscription.deleted", {**old, "status": "canceled"},
                          t0 + timedelta(seconds=20)))
    account = account_of(app, tenant)
    assert account.stripe_subscription_id == new["id"]
    assert _plan_now(app, tenant) == "professional"
    # and the old one's "created", arriving last of all, does not take over again
    deliver(client, event("customer.subscription.updated", old, t0 + timedelta(seconds=50)))
    assert account_of(app, tenant).stripe_subscription_id == new["id"]


def test_failed_payment_grace_then_free_then_restored(app, client, billing, make_tenant):
    tenant = make_tenant()
    customer = with_customer(app, tenant)
    t0 = datetime.now(UTC).replace(microsecond=0)
    sub = subscription(customer)
    deliver(client, event("customer.subscription.created", sub, t0))
    failed_at = t0 + timedelta(seconds=10)
    deliver(client, event("invoice.payment_failed", invoice(customer, sub["id"], paid=False),
                          failed_at))
    deliver(client, event("customer.subscription.updated", {**sub, "status": "past_due"},
                          failed_at))
    account = account_of(app, tenant)
    assert account.grace_until == failed_at + timedelta(days=7)
    with app.test_request_context():
        in_grace = entitlements.standing(tenant, failed_at + timedelta(days=6, hours=23))
        assert in_grace.state == "grace" and in_grace.plan.key == "professional"
        assert entitlements.may(tenant, "pdf_reports", failed_at + timedelta(days=6))
        after = failed_at + timedelta(days=7, seconds=1)
        assert entitlements.standing(tenant, after).state == "grace_expired"
        decision = entitlements.may(tenant, "pdf_reports", after)
        assert not decision
        assert "grace period is over" in str(decision.reason)
        assert entitlements.allowance(tenant, "users", after) == 3  # Free limits
    # a retry that fails again does not extend the grace period
    deliver(client, event("invoice.payment_failed", invoice(customer, sub["id"], paid=False),
                          failed_at + timedelta(days=3)))
    assert account_of(app, tenant).grace_until == failed_at + timedelta(days=7)
    # an older "paid" (the first invoice) arriving late does not end the grace period
    late_paid = deliver(client, event("invoice.paid", invoice(customer, sub["id"], paid=True),
                                      t0))
    assert late_paid.json["result"].startswith("ignored: older")
    # the customer pays: back to Professional
    paid_at = failed_at + timedelta(days=8)
    deliver(client, event("invoice.paid", invoice(customer, sub["id"], paid=True), paid_at))
    assert account_of(app, tenant).grace_until is None
    with app.test_request_context():
        assert entitlements.may(tenant, "pdf_reports", paid_at + timedelta(seconds=1))


def test_checkout_completed_links_customer_and_fetches_subscription(
        app, client, billing, make_tenant):
    tenant = make_tenant()
    customer = "cus_from_checkout"
    with app.app_context():
        from tenants.billing import services

        services.get_or_create_account(db.session.merge(tenant))
        db.commit()
    sub = subscription(customer)
    billing.subscriptions[sub["id"]] = sub
    response = deliver(client, event("checkout.session.completed",
                                     checkout_session(customer, sub["id"], str(tenant.id))))
    assert response.json["result"] == "applied: professional active"
    account = account_of(app, tenant)
    assert account.stripe_customer_id == customer
    assert account.stripe_subscription_id == sub["id"]
    assert billing.called("retrieve_subscription") == [{"id": sub["id"]}]


def test_unknown_customer_and_unhandled_types_are_stored_not_applied(app, client, billing):
    stranger = deliver(client, event("customer.subscription.created",
                                     subscription("cus_nobody")))
    assert stranger.status_code == 200
    assert stranger.json["result"] == "ignored: unknown customer"
    other = deliver(client, event("customer.created", {"id": "cus_x", "object": "customer"}))
    assert other.json["result"] == "ignored: not handled"
    assert _event_count(app) == 2


def test_webhook_endpoint_is_off_in_self_hosted_mode(client):
    response = client.post("/stripe/webhook", data=b"{}",
                           headers={"Stripe-Signature": "t=1,v1=00"})
    assert response.status_code == 404
