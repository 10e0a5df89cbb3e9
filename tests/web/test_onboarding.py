"""Onboarding: sign-up with privacy consent and a derived address, the organisation's name
carried into the profile, the reporting year's default, local times, the billing page's plan
comparison when self-hosted, and the landing page (audiences, sample report, plans)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tenants.models import AuditEvent, Tenant, User
from tests.factories import owner_of
from tests.web.helpers import ENGLISH, field_error, link_in, text


def _signup(**fields: str) -> dict[str, str]:
    return {"email": "wang@example.com", "name": "王工", "password": "a-long-password",
            "organisation": "示例精密机械有限公司", "kind": "enterprise", "privacy": "y", **fields}


def test_the_signup_page_asks_consent_links_the_notice_and_hides_the_address(client):
    page = text(client.get("/signup"))
    assert 'name="privacy"' in page and 'href="/privacy"' in page
    assert 'name="slug"' not in page  # the address is derived, not asked


def test_signing_up_without_consent_is_refused_by_the_field(post, fetch):
    form = _signup()
    del form["privacy"]
    response = post("/signup", form, headers=ENGLISH)
    assert response.status_code == 422
    assert field_error(response, "privacy") == "Agree to the privacy notice to create an account."
    assert fetch(User, User.email == "wang@example.com") == []


def test_a_chinese_name_gets_a_pinyin_address_and_becomes_the_legal_name(client, post, outbox,
                                                                         fetch):
    assert post("/signup", _signup()).status_code == 200
    [tenant] = fetch(Tenant, Tenant.name == "示例精密机械有限公司")
    assert tenant.slug == "shi-li-jing-mi-ji-xie"
    client.get(link_in(outbox()[0], "/verify/"))
    profile = text(client.get(f"/t/{tenant.slug}/profile/"))
    assert re.search(r'name="legal_name"[^>]*value="示例精密机械有限公司"', profile)


def test_the_privacy_notice_in_both_languages(client):
    chinese = text(client.get("/privacy"))
    assert "个人信息保护法" in chinese and "撤回同意" in chinese
    english = text(client.get("/privacy", headers=ENGLISH))
    assert "Personal Information Protection Law" in english and "withdraw" in english
    assert "个人信息保护法" not in english


def test_the_new_assessment_year_defaults_to_the_last_complete_year(app, client, make_tenant,
                                                                    sign_in):
    tenant = make_tenant("enterprise")
    sign_in(owner_of(app, tenant))
    page = text(client.get(f"/t/{tenant.slug}/assessments/"))
    last = datetime.now(ZoneInfo("Asia/Shanghai")).year - 1
    assert re.search(rf'name="year"[^>]*value="{last}"', page)


def test_times_are_local_and_follow_the_users_zone(app, client, make_tenant, sign_in, post,
                                                   fetch):
    tenant = make_tenant("enterprise")
    owner = owner_of(app, tenant)
    sign_in(owner)
    [event] = fetch(AuditEvent, AuditEvent.tenant_id == tenant.id,
                    AuditEvent.action == "tenant.created")
    stored = event.created_at.replace(tzinfo=UTC) if event.created_at.tzinfo is None \
        else event.created_at
    shanghai = stored.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    audit = text(client.get(f"/t/{tenant.slug}/audit"))
    assert shanghai in audit and "(UTC)" not in audit
    assert post("/account/timezone", {"timezone": "Europe/London"}).status_code == 302
    london = stored.astimezone(ZoneInfo("Europe/London")).strftime("%Y-%m-%d %H:%M")
    assert london in text(client.get(f"/t/{tenant.slug}/audit"))
    [user] = fetch(User, User.id == owner.id)
    assert user.timezone == "Europe/London"
    refused = post("/account/timezone", {"timezone": "Mars/Olympus"}, headers=ENGLISH)
    assert refused.status_code == 422


def test_the_audit_log_reads_as_words(app, client, make_tenant, sign_in):
    tenant = make_tenant("enterprise")
    sign_in(owner_of(app, tenant))
    page = text(client.get(f"/t/{tenant.slug}/audit", headers=ENGLISH))
    assert "Organisation created" in page
    assert ">tenant.created<" not in page  # the code only in the tooltip
    assert 'title="tenant.created"' in page


def test_the_self_hosted_billing_page_compares_the_plans(app, client, make_tenant, sign_in):
    tenant = make_tenant("enterprise")
    sign_in(owner_of(app, tenant))
    page = text(client.get(f"/t/{tenant.slug}/billing/", headers=ENGLISH))
    assert "everything is included" in page
    for plan in ("Free", "Professional"):  # the plans of its kind of organisation
        assert f"<h3>{plan}</h3>" in page
    assert "Subscribe with Stripe" not in page


def test_the_landing_page_shows_audiences_sample_and_plans(client):
    page = text(client.get("/", headers=ENGLISH))
    for audience in ("Manufacturers", "Industry associations", "Consultancies"):
        assert audience in page
    assert "A sample report" in page and "Plans" in page
    assert "¥12,800" in page  # the professional plan's price, from plans.yaml
    chinese = text(client.get("/"))
    assert "报告样例" in chinese and "专业版" in chinese


def test_a_new_user_is_shown_times_in_shanghai_by_default(app):
    from tenants.localtime import localtime

    with app.test_request_context():
        noon_utc = datetime(2026, 1, 1, 4, 0, tzinfo=UTC)
        assert localtime(noon_utc) == "2026-01-01 12:00"
        assert localtime(noon_utc.replace(tzinfo=None) + timedelta(0)) == "2026-01-01 12:00"
