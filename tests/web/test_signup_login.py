"""Sign-up, e-mail verification, sign-in and out, rate limits and the tenant switcher."""

from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa
from flask import Flask
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from tenants.extensions import db
from tenants.models import LoginThrottle, Membership, Role, Tenant, TenantKind, User
from tenants.services import accounts
from tests.conftest import csrf_token
from tests.factories import PASSWORD, owner_of
from tests.web.helpers import field_error, flashes, link_in, text

GENERIC_LOGIN_ERROR = "The e-mail or password is wrong."


@pytest.fixture(autouse=True)
def _english(client, other_client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    other_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def signup_form(**fields: str) -> dict[str, str]:
    return {"email": "wang@example.com", "name": "Wang Wei", "password": "a-long-password",
            "organisation": "Acme Motors", "kind": "enterprise", "privacy": "y", **fields}


def set_user(app: Flask, user: User, **fields: object) -> None:
    with app.app_context():
        row = db.session.get(User, user.id)
        assert row is not None
        for name, value in fields.items():
            setattr(row, name, value)
        db.commit()


# -- sign-up ------------------------------------------------------------------------------
CHECK_YOUR_MAIL = "Check your e-mail"


def test_signup_creates_user_tenant_owner_membership_and_the_link_opens_it(
        client, post, outbox, fetch, audit_actions):
    response = post("/signup", signup_form(kind="association"))
    assert response.status_code == 200
    assert CHECK_YOUR_MAIL in text(response) and "wang@example.com" in text(response)
    assert client.get("/switch").status_code == 302  # not signed in before the link

    [user] = fetch(User, User.email == "wang@example.com")
    assert user.name == "Wang Wei" and user.email_verified_at is None
    assert user.password_hash.startswith("$argon2id$")
    [tenant] = fetch(Tenant, Tenant.slug == "acme-motors")
    assert (tenant.name, tenant.kind) == ("Acme Motors", TenantKind.association)
    [member] = fetch(Membership, Membership.tenant_id == tenant.id)
    assert (member.user_id, member.role) == (user.id, Role.owner)
    assert [a for a, _s, _d in audit_actions(tenant)] == ["tenant.created", "user.signed_up"]

    [message] = outbox()
    assert message["To"] == "wang@example.com"
    link = link_in(message, "/verify/")
    opened = client.get(link)  # the first confirmation signs the new owner in
    assert opened.status_code == 302
    assert client.get("/").headers["Location"] == "/t/acme-motors/"
    home = client.get("/t/acme-motors/")
    assert home.status_code == 200 and "Acme Motors" in text(home)


def test_the_verification_link_signs_in_only_once(client, other_client, post, outbox):
    post("/signup", signup_form())
    link = link_in(outbox()[0], "/verify/")
    assert client.get(link).status_code == 302
    assert client.get("/switch").status_code == 200
    assert other_client.get(link).status_code == 302  # still confirms...
    assert other_client.get("/switch").status_code == 302  # ...but opens nothing


def test_signup_with_a_chosen_address(post, fetch):
    response = post("/signup", signup_form(slug="acme-2024"))
    assert response.status_code == 200
    assert fetch(Tenant, Tenant.slug == "acme-2024")


_TOKEN = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+(")')


def _normalised(response) -> str:
    """The answer without the per-session CSRF token, the only part allowed to differ."""
    return _TOKEN.sub(r"\1TOKEN\2", response.get_data(as_text=True))


def test_signup_answers_the_same_for_a_new_and_an_existing_address_and_tells_by_mail(
        client, other_client, make_user, fetch, outbox, audit_actions):
    from tests.factories import sign_in as sign_in_with

    make_user("taken@example.com", name="Li Na")
    answers = {}
    for label, browser, email in (("new", client, "fresh@example.com"),
                                  ("existing", other_client, "Taken@Example.COM")):
        token = csrf_token(browser, "/signup")
        answers[label] = browser.post("/signup", data={
            **signup_form(email=email, organisation=f"Org {label}"), "csrf_token": token})
    assert answers["new"].status_code == answers["existing"].status_code == 200
    assert _normalised(answers["new"]).replace("fresh@example.com", "EMAIL") == \
        _normalised(answers["existing"]).replace("taken@example.com", "EMAIL")
    assert answers["new"].headers.get("Set-Cookie", "").split("=")[0] == \
        answers["existing"].headers.get("Set-Cookie", "").split("=")[0]

    # Nothing is created for the existing address, and neither browser is signed in.
    assert fetch(Tenant, Tenant.name == "Org existing") == []
    assert len(fetch(User, User.email == "taken@example.com")) == 1
    assert fetch(Tenant, Tenant.name == "Org new")
    for browser in (client, other_client):
        assert browser.get("/switch").status_code == 302
    # The difference is told by e-mail, to the address's owner only.
    by_address = {m["To"]: m for m in outbox()}
    assert set(by_address) == {"fresh@example.com", "taken@example.com"}
    assert "/verify/" in by_address["fresh@example.com"].get_content()
    existing_mail = by_address["taken@example.com"].get_content()
    assert "/verify/" not in existing_mail
    assert "您已经有账户了" in existing_mail  # in the owner's language (Chinese by default)
    assert "/login" in existing_mail and "/password/forgot" in existing_mail
    assert ("user.signup_existing", "taken@example.com", {}) in audit_actions(
        action="user.signup_existing")
    # Nor does signing in with the password just chosen tell: a new, unconfirmed account
    # answers like a wrong password (and its owner gets a new link).
    third = client.application.test_client()
    assert sign_in_with(third, "fresh@example.com", "a-long-password").status_code == 401
    assert sign_in_with(third, "taken@example.com", "a-long-password").status_code == 401


def test_signup_takes_about_as_long_for_a_new_and_an_existing_address(app, make_user):
    """Both hash the password (the slow part), both queue one e-mail: compared over a few
    rounds, after one round of each to warm the templates up."""
    seconds: dict[str, list[float]] = {"new": [], "existing": []}
    for round_ in range(4):
        for label in ("new", "existing"):
            email = f"{label}-{round_}@example.com"
            if label == "existing":
                make_user(email)
            browser = app.test_client()
            token = csrf_token(browser, "/signup")
            started = time.perf_counter()
            response = browser.post("/signup", data={
                **signup_form(email=email, organisation=f"Org {label} {round_}"),
                "csrf_token": token})
            assert response.status_code == 200
            if round_:
                seconds[label].append(time.perf_counter() - started)
    new, existing = sorted(seconds["new"])[1], sorted(seconds["existing"])[1]
    assert max(new, existing) < 3 * min(new, existing) + 0.05, seconds


def test_an_existing_address_with_a_bad_form_gets_the_same_refusal_as_a_new_one(
        post, make_user, make_tenant, outbox):
    make_user("taken@example.com")
    taken = make_tenant()
    for email in ("taken@example.com", "fresh@example.com"):
        response = post("/signup", signup_form(email=email, slug=taken.slug))
        assert response.status_code == 422
        assert field_error(response, "slug") == "This address is already taken."
    assert outbox() == []


def test_signup_with_a_short_password_is_refused(post, fetch, outbox):
    response = post("/signup", signup_form(password="short"))
    assert response.status_code == 422
    assert "10" in field_error(response, "password")
    assert fetch(User, User.email == "wang@example.com") == []
    assert outbox() == []


@pytest.mark.parametrize("slug, message", [
    ("Bad Slug!", "Use lower-case letters, digits and hyphens only."),
    ("-dash", "Use lower-case letters, digits and hyphens only."),
    ("ab", "Field must be between 3 and 40 characters long."),
    ("admin", "Use lower-case letters, digits and hyphens only."),
])
def test_signup_with_an_invalid_address_is_refused(post, fetch, slug, message):
    response = post("/signup", signup_form(slug=slug))
    assert response.status_code == 422
    assert field_error(response, "slug") == message
    assert fetch(User, User.email == "wang@example.com") == []


def test_signup_with_a_taken_address_is_refused_and_leaves_no_user_behind(
        post, make_tenant, fetch, outbox):
    taken = make_tenant()
    response = post("/signup", signup_form(slug=taken.slug))
    assert response.status_code == 422
    assert field_error(response, "slug") == "This address is already taken."
    # The user was flushed before the tenant failed: the whole unit of work rolls back.
    assert fetch(User, User.email == "wang@example.com") == []
    assert outbox() == []


@pytest.mark.parametrize("organisation", ["", "   "])
def test_signup_without_an_organisation_is_refused(post, fetch, organisation):
    response = post("/signup", signup_form(organisation=organisation))
    assert response.status_code == 422
    assert field_error(response, "organisation") == "Enter the organisation's name."
    assert fetch(User, User.email == "wang@example.com") == []


# -- e-mail verification -------------------------------------------------------------------
def test_the_verification_link_confirms_the_address(client, post, outbox, fetch,
                                                    audit_actions):
    post("/signup", signup_form())
    [message] = outbox()
    response = client.get(link_in(message, "/verify/"))
    assert response.status_code == 302
    [user] = fetch(User, User.email == "wang@example.com")
    assert user.email_verified_at is not None
    assert ("user.email_verified", "wang@example.com", {}) in audit_actions(
        action="user.email_verified")


def _verify_token(app: Flask, user: User, *, age_seconds: int = 0, secret: str | None = None,
                  purpose: str = accounts.VERIFY_PURPOSE) -> str:
    """A token signed like the product's own, optionally dated ``age_seconds`` ago."""

    class DatedSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age_seconds

    serializer = URLSafeTimedSerializer(secret or app.config["SECRET_KEY"],
                                        salt=f"chaingauge.{purpose}", signer=DatedSigner)
    return serializer.dumps({"uid": str(user.id), "email": user.email})


def test_a_fresh_crafted_token_works_so_the_refusals_below_mean_something(
        app, client, make_user, fetch):
    user = make_user(verified=False)
    assert client.get(f"/verify/{_verify_token(app, user)}").status_code == 302
    [row] = fetch(User, User.id == user.id)
    assert row.email_verified_at is not None


@pytest.mark.parametrize("how", ["wrong secret", "other purpose", "tampered", "garbage"])
def test_a_forged_verification_token_is_refused(app, client, make_user, fetch, how):
    user = make_user(verified=False)
    if how == "wrong secret":
        token = _verify_token(app, user, secret="another-secret-of-quite-some-length")
    elif how == "other purpose":
        token = _verify_token(app, user, purpose=accounts.RESET_PURPOSE)
    elif how == "tampered":
        good = _verify_token(app, user)
        token = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    else:
        token = "not-a-token"
    response = client.get(f"/verify/{token}")
    assert response.status_code == 400
    assert "This confirmation link is not valid." in text(response)
    [row] = fetch(User, User.id == user.id)
    assert row.email_verified_at is None


def test_an_expired_verification_token_is_refused(app, client, make_user, fetch):
    user = make_user(verified=False)
    token = _verify_token(app, user, age_seconds=accounts.VERIFY_MAX_AGE + 60)
    response = client.get(f"/verify/{token}")
    assert response.status_code == 400
    assert "This confirmation link has expired." in text(response)
    [row] = fetch(User, User.id == user.id)
    assert row.email_verified_at is None


def test_a_verification_token_for_an_address_since_changed_is_refused(app, client, make_user):
    user = make_user(verified=False)
    token = _verify_token(app, user)
    set_user(app, user, email="changed@example.com")
    assert client.get(f"/verify/{token}").status_code == 400


def test_an_unverified_user_is_answered_like_a_wrong_password_and_gets_a_new_link(
        app, client, make_user, make_tenant, sign_in, outbox, fetch, audit_actions):
    user = make_user(verified=False)
    tenant = make_tenant(owner=user)
    response = sign_in(user)
    assert response.status_code == 401
    assert flashes(response) == [GENERIC_LOGIN_ERROR]
    assert audit_actions(action="auth.login_failed")[0][2] == {"reason": "unverified"}
    [message] = outbox()
    assert message["To"] == user.email
    assert client.get(link_in(message, "/verify/")).status_code == 302
    [row] = fetch(User, User.id == user.id)
    assert row.email_verified_at is not None
    assert client.get(f"/t/{tenant.slug}/").status_code == 200  # the link signed them in


# -- sign-in ------------------------------------------------------------------------------
def test_login_succeeds_and_lands_on_the_users_tenant(client, sign_in, make_tenant,
                                                      audit_actions):
    tenant = make_tenant()
    owner = owner_of(client.application, tenant)
    response = sign_in(owner)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    landing = client.get("/")
    assert landing.headers["Location"] == f"/t/{tenant.slug}/"
    assert client.get(f"/t/{tenant.slug}/").status_code == 200
    assert ("auth.login", owner.email, {}) in audit_actions(action="auth.login")


def test_login_ignores_the_case_of_the_email(client, make_user, sign_in):
    user = make_user("mixed@example.com")
    assert sign_in(user.email.upper()).status_code == 302
    assert client.get("/switch").status_code == 200


def test_wrong_password_gets_401_a_generic_message_and_an_audit_event(
        client, make_user, sign_in, audit_actions):
    user = make_user()
    response = sign_in(user, "not-the-password")
    assert response.status_code == 401
    assert flashes(response) == [GENERIC_LOGIN_ERROR]
    assert audit_actions(action="auth.login_failed") == [
        ("auth.login_failed", user.email, {"reason": "password"})]
    assert client.get("/switch").status_code == 302  # still anonymous


def test_unknown_email_gets_the_same_answer(make_user, sign_in, audit_actions):
    response = sign_in("nobody@example.com", PASSWORD)
    assert response.status_code == 401
    assert flashes(response) == [GENERIC_LOGIN_ERROR]
    assert audit_actions(action="auth.login_failed") == [
        ("auth.login_failed", "nobody@example.com", {"reason": "unknown"})]


def test_an_inactive_user_cannot_sign_in(app, client, make_user, sign_in, audit_actions):
    user = make_user()
    set_user(app, user, is_active=False)
    response = sign_in(user)
    assert response.status_code == 401
    assert flashes(response) == [GENERIC_LOGIN_ERROR]
    assert audit_actions(action="auth.login_failed")[0][2] == {"reason": "inactive"}
    assert client.get("/switch").status_code == 302


def test_a_user_deactivated_while_signed_in_is_signed_out(app, client, make_user, sign_in):
    user = make_user()
    sign_in(user)
    assert client.get("/switch").status_code == 200
    set_user(app, user, is_active=False)
    assert client.get("/switch").status_code == 302


def test_a_malformed_login_is_422_not_401(post):
    response = post("/login", {"email": "not-an-email", "password": ""})
    assert response.status_code == 422


@pytest.mark.parametrize("target", [
    "https://evil.example",
    "https://evil.example/t/x/",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "evil.example",
])
def test_login_refuses_to_redirect_off_site(client, make_user, sign_in, target):
    user = make_user()
    response = sign_in(user, next=target)  # the hidden form field
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    client.post("/logout", data={"csrf_token": _token(client)})
    token = csrf_token(client, "/login")
    response = client.post("/login", query_string={"next": target},
                           data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def _token(client) -> str:
    return csrf_token(client, "/switch")


def test_login_honours_a_same_site_next(make_user, sign_in):
    user = make_user()
    response = sign_in(user, next="/switch?x=1")
    assert response.headers["Location"] == "/switch?x=1"


def test_login_starts_a_fresh_session(client, make_user, sign_in):
    user = make_user()
    client.get("/login")
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
        before = sess.get("csrf_token")
    assert before
    sign_in(user)
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess.get("_user_id") == str(user.id)
        assert sess.get("_session_id")
        assert sess.get("csrf_token") != before


# -- sign-out -----------------------------------------------------------------------------
def test_logout_is_post_only_and_needs_the_csrf_token(client, make_user, sign_in):
    user = make_user()
    sign_in(user)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/switch").status_code == 200  # still signed in
    response = client.post("/logout", data={"csrf_token": _token(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/switch").status_code == 302
    with client.session_transaction() as sess:
        assert "_user_id" not in sess


# -- sign-in limits: per-account slow-down, per-IP limit ----------------------------------
WAIT = "Too many failed sign-ins for this address. Try again in"


def _expire_the_wait(app: Flask) -> None:
    """As if the wait had passed (the counters stay)."""
    with app.app_context():
        db.session.execute(sa.update(LoginThrottle).values(blocked_until=None))
        db.commit()


def _attacker_fails(app: Flask, email: str, times: int) -> list:
    """Failed sign-ins, each from a fresh browser (no cookies), with waits skipped."""
    from tests.factories import sign_in as sign_in_with

    responses = []
    for _ in range(times):
        _expire_the_wait(app)
        browser = app.test_client()
        browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        responses.append(sign_in_with(browser, email, "not-the-password"))
    return responses


def test_failures_slow_the_account_down_with_growing_waits(app, make_user):
    user = make_user()
    responses = _attacker_fails(app, user.email, 8)
    assert [r.status_code for r in responses] == [401] * 8
    assert [r.headers.get("Retry-After") for r in responses] == [
        None, None, None, None, "2", "4", "8", "16"]
    assert flashes(responses[4]) == [GENERIC_LOGIN_ERROR, f"{WAIT} 2 seconds."]


def test_an_attempt_during_the_wait_is_refused_at_once_without_checking_the_password(
        app, make_user, audit_actions):
    from tests.factories import sign_in as sign_in_with

    user = make_user()
    _attacker_fails(app, user.email, 5)
    failures = len(audit_actions(action="auth.login_failed"))
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    early = sign_in_with(browser, user, "not-the-password")
    assert early.status_code == 429
    assert 0 < int(early.headers["Retry-After"]) <= 2
    assert flashes(early)[0].startswith(WAIT)
    assert len(audit_actions(action="auth.login_failed")) == failures  # nothing was checked


def test_the_waits_stop_at_the_longest_delay(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_MAX_DELAY", 60)
    user = make_user()
    responses = _attacker_fails(app, user.email, 12)
    assert [r.headers.get("Retry-After") for r in responses][-4:] == ["32", "60", "60", "60"]


def test_the_correct_password_still_signs_in_from_the_owners_browser(
        app, client, make_user, sign_in):
    user = make_user()
    assert sign_in(user).status_code == 302  # this browser has signed in before
    client.post("/logout", data={"csrf_token": _token(client)})
    _attacker_fails(app, user.email, 10)
    assert sign_in(user).status_code == 302  # not held back by the attacker's failures
    assert client.get("/switch").status_code == 200


def test_the_correct_password_signs_in_from_a_new_browser_once_the_wait_is_over(
        app, client, make_user, sign_in):
    user = make_user()
    _attacker_fails(app, user.email, 10)
    assert sign_in(user).status_code == 429  # a new browser waits like everyone else...
    _expire_the_wait(app)
    assert sign_in(user).status_code == 302  # ...and then the right password works
    client.post("/logout", data={"csrf_token": _token(client)})
    # a success forgets the failures: the next failure is not delayed
    assert sign_in(user, "not-the-password").headers.get("Retry-After") is None


def test_an_unknown_address_is_slowed_exactly_like_a_real_one(app, make_user):
    user = make_user()
    real = _attacker_fails(app, user.email, 6)
    unknown = _attacker_fails(app, "nobody@example.com", 6)
    assert [(r.status_code, r.headers.get("Retry-After"), flashes(r)) for r in real] == \
        [(r.status_code, r.headers.get("Retry-After"), flashes(r)) for r in unknown]


def test_the_account_key_ignores_the_case_of_the_email(app, make_user, sign_in):
    user = make_user()
    _attacker_fails(app, user.email.upper(), 5)
    assert sign_in(user).status_code == 429


def test_the_slow_down_does_not_touch_other_accounts(app, make_user, sign_in):
    user, other = make_user(), make_user()
    _attacker_fails(app, user.email, 6)
    assert sign_in(other).status_code == 302


def test_the_per_ip_limit_still_applies(app, make_user, sign_in, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_IP", "3 per 5 minutes")
    users = [make_user() for _ in range(4)]
    for user in users[:3]:
        assert sign_in(user, "not-the-password").status_code == 401
    assert sign_in(users[3]).status_code == 429


def test_the_number_of_free_failures_is_configurable(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_FREE_FAILURES", 2)
    user = make_user()
    responses = _attacker_fails(app, user.email, 3)
    assert [r.headers.get("Retry-After") for r in responses] == [None, "2", "4"]


# -- the tenant switcher ------------------------------------------------------------------
def test_a_user_in_two_tenants_sees_both_and_returns_to_the_last_used(
        client, make_user, make_tenant, add_member, sign_in):
    user = make_user()
    first = make_tenant(owner=user, name="Alpha Works")
    second = make_tenant(name="Beta Association", kind="association")
    add_member(second, user, Role.viewer)
    stranger = make_tenant(name="Gamma Secret")
    sign_in(user)

    chooser = client.get("/")
    assert chooser.status_code == 200  # two tenants and none used yet: choose
    for page in (chooser, client.get("/switch")):
        body = text(page)
        assert f'href="/t/{first.slug}/"' in body and f'href="/t/{second.slug}/"' in body
        assert stranger.slug not in body and "Gamma Secret" not in body

    home = client.get(f"/t/{second.slug}/")
    assert home.status_code == 200 and "Beta Association" in text(home)
    assert "Viewer" in text(home)
    assert client.get("/").headers["Location"] == f"/t/{second.slug}/"
    home = client.get(f"/t/{first.slug}/")
    assert home.status_code == 200
    switcher = text(home).split('<details class="switcher">')[1].split("</details>")[0]
    assert "Alpha Works" in switcher and "Beta Association" in switcher
    assert client.get("/").headers["Location"] == f"/t/{first.slug}/"
    assert client.get(f"/t/{stranger.slug}/").status_code == 404


def test_a_user_in_no_tenant_is_told_so(client, make_user, sign_in):
    sign_in(make_user())
    response = client.get("/")
    assert response.status_code == 200
    assert "You are not a member of any organisation yet." in text(response)


def test_anonymous_visitors_see_the_landing_page_and_tenant_pages_ask_for_sign_in(
        client, make_tenant):
    tenant = make_tenant()
    assert client.get("/").status_code == 200
    response = client.get(f"/t/{tenant.slug}/members")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
