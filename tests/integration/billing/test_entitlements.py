"""Every feature and every limit of every plan, enforced at the service with its message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tenants.billing import entitlements
from tenants.billing.entitlements import EntitlementRequired
from tenants.billing.plans import catalogue
from tenants.context import set_tenant
from tenants.extensions import db
from tenants.models import LinkGrant, Role, TenantKind
from tenants.services import links, memberships
from tests.factories import owner_of
from tests.integration.billing.helpers import subscribe

PLAN_KIND = {"free": TenantKind.enterprise, "professional": TenantKind.enterprise,
             "association": TenantKind.association, "consultancy": TenantKind.consultancy}


def _on_plan(app, make_tenant, plan: str, kind=None, quantity: int = 1):
    tenant = make_tenant(kind or PLAN_KIND[plan])
    if plan != "free":
        subscribe(app, tenant, plan, quantity=quantity)
    return tenant


@pytest.mark.parametrize("plan", ["free", "professional", "association", "consultancy"])
def test_each_feature_of_each_plan(app, billing, make_tenant, plan):
    tenant = _on_plan(app, make_tenant, plan, quantity=10)
    with app.test_request_context():
        for feature in catalogue().features:
            decision = entitlements.may(tenant, feature)
            assert bool(decision) == (feature in catalogue().plans[plan].features), feature
            if not decision:
                assert "/billing/" in (decision.upgrade_url or "")
                with pytest.raises(EntitlementRequired) as refused:
                    entitlements.require(tenant, feature)
                assert "is not included in your plan" in str(refused.value.message)
                assert refused.value.status_code == 403


def test_free_refusal_names_the_plans_that_include_it(app, billing, make_tenant):
    tenant = _on_plan(app, make_tenant, "free")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        decision = entitlements.may(tenant, "pdf_reports")
        assert not decision
        assert str(decision.reason) == (
            "PDF reports is not included in your plan (Free). It comes with Professional; "
            "upgrade on the billing page.")
        assert decision.upgrade_url == f"/t/{tenant.slug}/billing/"


def _invite(app, tenant, email):
    owner = owner_of(app, tenant)
    with app.test_request_context():
        set_tenant(db.session, tenant.id)
        memberships.invite(db.session.merge(tenant), db.session.merge(owner), email,
                           Role.viewer)
        db.commit()


@pytest.mark.parametrize(("plan", "allowed"), [("free", 3), ("professional", 10)])
def test_users_limit_at_invite(app, billing, make_tenant, plan, allowed):
    tenant = _on_plan(app, make_tenant, plan)
    for n in range(allowed - 1):  # the owner is the first user; invitations count
        _invite(app, tenant, f"colleague{n}@example.com")
    with pytest.raises(EntitlementRequired) as refused:
        _invite(app, tenant, "one-too-many@example.com")
    message = str(refused.value.message)
    assert f"allows {allowed} users" in message and "Upgrade on the billing page" in message
    assert refused.value.field == "email"


def test_users_unlimited_on_association_and_consultancy(app, billing, make_tenant):
    for plan in ("association", "consultancy"):
        tenant = _on_plan(app, make_tenant, plan, quantity=10)
        with app.test_request_context():
            assert entitlements.remaining(tenant, "users") is None
        for n in range(4):
            _invite(app, tenant, f"{plan}{n}@example.com")


def test_assessments_per_year_limit(app, billing, make_tenant):
    """The assessment package registers its counter; here a stand-in counts."""
    free = _on_plan(app, make_tenant, "free")
    pro = _on_plan(app, make_tenant, "professional")
    saved = entitlements._counters.get("assessments_per_year")
    entitlements.register_counter("assessments_per_year", lambda tenant: 1)
    try:
        with app.test_request_context():
            assert entitlements.remaining(free, "assessments_per_year") == 0
            with pytest.raises(EntitlementRequired) as refused:
                entitlements.require_capacity(free, "assessments_per_year")
            assert "allows 1 assessments a year" in str(refused.value.message)
            assert entitlements.remaining(pro, "assessments_per_year") is None
            entitlements.require_capacity(pro, "assessments_per_year")
    finally:
        if saved is None:
            entitlements._counters.pop("assessments_per_year", None)
        else:
            entitlements.register_counter("assessments_per_year", saved)


def _request_link(app, source, target):
    owner = owner_of(app, source)
    with app.test_request_context():
        set_tenant(db.session, source.id)  # as the links page does
        link = links.request_link(db.session.merge(source), db.session.merge(owner),
                                  target.slug, [LinkGrant.scores])
        db.commit()
        return link


@pytest.mark.parametrize(("kind", "plan", "quantity", "allowed", "what"), [
    (TenantKind.association, "free", 1, 2, "member seats"),
    (TenantKind.association, "association", 3, 3, "member seats"),
    (TenantKind.consultancy, "free", 1, 2, "client seats"),
    (TenantKind.consultancy, "consultancy", 4, 4, "client seats"),
])
def test_seat_limits_at_link_request(app, billing, make_tenant, make_link, kind, plan,
                                     quantity, allowed, what):
    source = _on_plan(app, make_tenant, plan, kind=kind, quantity=quantity)
    # all but one seat taken by accepted links; the last one held by a pending request
    for _ in range(allowed - 1):
        make_link(source, make_tenant(TenantKind.enterprise))
    _request_link(app, source, make_tenant(TenantKind.enterprise))
    with app.test_request_context():
        limit = "member_seats" if kind == TenantKind.association else "client_seats"
        assert entitlements.usage(source, limit) == allowed - 1  # accepted links only
    with pytest.raises(EntitlementRequired) as refused:
        _request_link(app, source, make_tenant(TenantKind.enterprise))
    message = str(refused.value.message)
    assert str(allowed) in message and what in message
    if plan == "free":
        assert "Upgrade on the billing page" in message
    else:
        assert "Add seats on the billing page" in message


def test_a_revoked_link_frees_its_seat(app, billing, make_tenant, make_link):
    source = _on_plan(app, make_tenant, "free", kind=TenantKind.association)
    first = make_link(source, make_tenant(TenantKind.enterprise))
    make_link(source, make_tenant(TenantKind.enterprise))
    with pytest.raises(EntitlementRequired):
        _request_link(app, source, make_tenant(TenantKind.enterprise))
    with app.test_request_context():
        set_tenant(db.session, source.id)  # the revoking side's scope
        links.revoke(db.session.merge(source), db.session.merge(owner_of(app, source)),
                     first.id)
        db.commit()
    _request_link(app, source, make_tenant(TenantKind.enterprise))


def test_self_hosted_mode_allows_everything(app, make_tenant, make_link):
    """No Stripe keys (the default, as under make run): every feature, no limits."""
    tenant = make_tenant(TenantKind.association)
    with app.test_request_context():
        assert entitlements.standing(tenant).state == "self_hosted"
        for feature in catalogue().features:
            assert entitlements.may(tenant, feature)
        for limit in catalogue().limit_names:
            assert entitlements.remaining(tenant, limit) is None
    for _ in range(3):
        make_link(tenant, make_tenant(TenantKind.enterprise))
    for n in range(4):
        _invite(app, tenant, f"selfhosted{n}@example.com")


def test_cancel_at_period_end_falls_back_at_the_end_without_waiting(app, billing,
                                                                    make_tenant):
    tenant = _on_plan(app, make_tenant, "professional")
    with app.app_context():
        from tenants.billing import queries

        account = queries.account(tenant.id)
        account.cancel_at_period_end = True
        end = account.current_period_end
        db.commit()
    with app.test_request_context():
        assert entitlements.standing(tenant, end - timedelta(seconds=1)).state == "canceling"
        assert entitlements.may(tenant, "pdf_reports", end - timedelta(seconds=1))
        assert entitlements.standing(tenant, end).plan.key == "free"
        assert not entitlements.may(tenant, "pdf_reports", end)
        assert entitlements.may(tenant, "pdf_reports", datetime.now(UTC))
