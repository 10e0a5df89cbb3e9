"""The billing page, Checkout and Portal redirects, the refusal page, and the Done-when
journey: Free → Professional through Checkout → cancel in the Portal → Free at period end."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from tenants.billing import entitlements
from tenants.billing.entitlements import EntitlementRequired
from tenants.billing.gateway import InvoiceSummary
from tenants.extensions import db
from tenants.models import Role
from tests import factories
from tests.conftest import csrf_token
from tests.integration.billing.helpers import (
    account_of,
    checkout_session,
    deliver,
    event,
    subscription,
    with_customer,
)
from tests.web.helpers import link_in


def _post(client, url, data=None, **kwargs):
    """POST a form as the signed-in browser would, with the token of the page it is on."""
    page = url.rsplit("/billing/", 1)[0] + "/"
    token = csrf_token(client, page)
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


def test_owner_sees_billing_page_others_do_not(app, client, billing, make_user, make_tenant,
                                               add_member, sign_in):
    owner = make_user()
    tenant = make_tenant(owner=owner)
    other = make_tenant()
    admin = make_user()
    add_member(tenant, admin, Role.admin)
    sign_in(owner)
    page = client.get(f"/t/{tenant.slug}/billing/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Subscribe with Stripe" in html and "¥12,800" in html
    assert f'href="/t/{tenant.slug}/billing/"' in client.get(f"/t/{tenant.slug}/").get_data(
        as_text=True)
    assert client.get(f"/t/{other.slug}/billing/").status_code == 404
    browser = app.test_client()  # the administrator, in another browser
    factories.sign_in(browser, admin)
    assert browser.get(f"/t/{tenant.slug}/billing/").status_code == 403
    assert "/billing/" not in browser.get(f"/t/{tenant.slug}/").get_data(as_text=True)


def test_self_hosted_billing_page_says_billing_is_off(client, make_user, make_tenant,
                                                      sign_in, post):
    owner = make_user()
    tenant = make_tenant(owner=owner)
    sign_in(owner)
    html = client.get(f"/t/{tenant.slug}/billing/").get_data(as_text=True)
    assert "Billing is off on this installation" in html
    assert "Subscribe with Stripe" not in html
    refused = _post(client, f"/t/{tenant.slug}/billing/checkout", {"plan": "professional"})
    assert refused.status_code == 302  # back to the page, with the message; nothing sent


def test_refusal_page_links_to_upgrade(app, billing, make_tenant):
    tenant = make_tenant()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        error = None
        try:
            entitlements.require(tenant, "pdf_reports")
        except EntitlementRequired as refused:
            error = refused
        assert error is not None
        handler = app._find_error_handler(error, [])
        html, status = handler(error)
        assert status == 403
        assert f'href="/t/{tenant.slug}/billing/"' in html
        assert "PDF reports is not included in your plan" in html


def test_portal_needs_a_customer_and_redirects_to_stripe(client, billing, make_user,
                                                         make_tenant, sign_in, post):
    owner = make_user()
    tenant = make_tenant(owner=owner)
    sign_in(owner)
    nothing = _post(client, f"/t/{tenant.slug}/billing/portal")
    assert nothing.status_code == 302 and not billing.called("create_portal_session")
    _post(client, f"/t/{tenant.slug}/billing/checkout", {"plan": "professional"})
    portal = _post(client, f"/t/{tenant.slug}/billing/portal")
    assert portal.status_code == 303
    assert portal.headers["Location"].startswith("https://billing.stripe.test/")


def test_checkout_refuses_plans_of_another_kind(client, billing, make_user, make_tenant,
                                                sign_in, post):
    owner = make_user()
    tenant = make_tenant(owner=owner)
    sign_in(owner)
    response = _post(client, f"/t/{tenant.slug}/billing/checkout", {"plan": "association"},
                    follow_redirects=True)
    assert "not offered to this kind of organisation" in response.get_data(as_text=True)
    assert not billing.called("create_checkout_session")


def test_association_checkout_lets_the_buyer_choose_seats(client, billing, make_user,
                                                          make_tenant, sign_in, post):
    owner = make_user()
    tenant = make_tenant("association", owner=owner)
    sign_in(owner)
    response = _post(client, f"/t/{tenant.slug}/billing/checkout", {"plan": "association",
                                                           "seats": "25"})
    assert response.status_code == 303
    [call] = billing.called("create_checkout_session")
    assert call["quantity"] == 25 and call["minimum_quantity"] == 10
    assert call["lookup_key"] == "chaingauge_association_year"


def test_done_when_journey(app, client, billing, post, sign_in, outbox):
    # A new user signs up, as anyone would.
    signup = post("/signup", {"email": "li@example.com", "password": "a-long-password",
                              "organisation": "Lianhe Gears", "kind": "enterprise", "privacy": "y"})
    assert signup.status_code == 200
    [confirmation] = outbox()
    assert client.get(link_in(confirmation, "/verify/")).status_code == 302  # signs in
    slug = client.get("/").headers["Location"].rstrip("/").split("/")[-1]
    page = client.get(f"/t/{slug}/billing/").get_data(as_text=True)
    assert "Subscribe with Stripe" in page
    with app.app_context():
        from tenants import queries

        tenant = queries.tenant_by_slug(slug)
        assert tenant is not None
        db.session.expunge(tenant)
    with app.test_request_context():
        assert not entitlements.may(tenant, "pdf_reports")

    # Upgrade through Checkout (test mode): the app creates the customer, then the session.
    checkout = _post(client, f"/t/{slug}/billing/checkout", {"plan": "professional"})
    assert checkout.status_code == 303
    assert checkout.headers["Location"].startswith("https://checkout.stripe.test/")
    [session_call] = billing.called("create_checkout_session")
    assert session_call["lookup_key"] == "chaingauge_professional_year"
    assert session_call["success_url"].endswith(f"/t/{slug}/billing/?checkout=success")
    customer = account_of(app, tenant).stripe_customer_id
    assert customer and billing.called("create_customer")[0]["email"] == "li@example.com"

    # Stripe: payment done; the session completes and the subscription is created.
    now = datetime.now(UTC).replace(microsecond=0)
    sub = subscription(customer, "professional", start=now, tenant_id=str(tenant.id))
    billing.subscriptions[sub["id"]] = sub
    events = [
        event("checkout.session.completed", checkout_session(customer, sub["id"],
                                                             str(tenant.id)), now),
        event("customer.subscription.created", sub, now),
    ]
    for evt in events:
        assert deliver(client, evt).status_code == 200

    # Back on the billing page: Professional, and PDF reports at once.
    page = client.get(f"/t/{slug}/billing/?checkout=success").get_data(as_text=True)
    assert "Professional" in page and "Renews on" in page
    with app.test_request_context():
        assert entitlements.may(tenant, "pdf_reports")
        assert entitlements.allowance(tenant, "users") == 10

    # Invoices come from Stripe through the gateway.
    billing.invoices = [InvoiceSummary("in_1", "CG-0001", "paid", 1280000, 1280000, "cny",
                                       now, "https://invoice.stripe.test/i/1", None)]
    assert "CG-0001" in client.get(f"/t/{slug}/billing/").get_data(as_text=True)

    # Cancel in the Portal: Stripe sets cancel_at_period_end, the plan lasts to the end.
    portal = _post(client, f"/t/{slug}/billing/portal")
    assert portal.status_code == 303
    cancelled = {**sub, "cancel_at_period_end": True}
    events.append(event("customer.subscription.updated", cancelled,
                        now + timedelta(minutes=5)))
    deliver(client, events[-1])
    page = client.get(f"/t/{slug}/billing/").get_data(as_text=True)
    assert "stays available until" in page
    period_end = account_of(app, tenant).current_period_end
    with app.test_request_context():
        assert entitlements.may(tenant, "pdf_reports", period_end - timedelta(seconds=1))
        # at the period's end the tenant is on Free, even before Stripe's webhook
        assert not entitlements.may(tenant, "pdf_reports", period_end)

    # Stripe ends the subscription at the period's end.
    events.append(event("customer.subscription.deleted",
                        {**cancelled, "status": "canceled", "ended_at": int(
                            period_end.timestamp())}, period_end))
    deliver(client, events[-1])
    with app.test_request_context():
        assert entitlements.standing(tenant).plan.key == "free"
        assert not entitlements.may(tenant, "pdf_reports")

    # However the events are delivered again, in whatever order, the plan stays right.
    shuffled = events * 2
    random.Random(6).shuffle(shuffled)
    for evt in shuffled:
        assert deliver(client, evt).json["result"] == "duplicate"
    account = account_of(app, tenant)
    assert account.status == "canceled" and account.stripe_subscription_id == sub["id"]
    page = client.get(f"/t/{slug}/billing/").get_data(as_text=True)
    assert "Subscribe with Stripe" in page  # may subscribe again


def test_events_in_any_order_end_in_the_same_plan(app, client, billing, make_tenant):
    """The journey's events, first delivery in every shuffled order: same final state."""
    now = datetime.now(UTC).replace(microsecond=0)
    for seed in range(4):
        tenant = make_tenant()
        customer = with_customer(app, tenant)
        sub = subscription(customer, start=now)
        end = now + timedelta(days=365)
        events = [
            event("customer.subscription.created", sub, now),
            event("customer.subscription.updated", {**sub, "cancel_at_period_end": True},
                  now + timedelta(minutes=5)),
            event("customer.subscription.deleted", {**sub, "status": "canceled",
                                                    "cancel_at_period_end": True}, end),
        ]
        random.Random(seed).shuffle(events)
        for evt in events:
            assert deliver(client, evt).status_code == 200
        with app.test_request_context():
            assert entitlements.standing(tenant).plan.key == "free", seed
        assert account_of(app, tenant).status == "canceled"
