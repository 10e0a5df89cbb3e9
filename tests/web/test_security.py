"""Security basics: CSRF on every POST route, headers, cookies, production configuration,
request ids and the health check."""

from __future__ import annotations

import re
import uuid

import pytest
from flask import Flask
from werkzeug.routing import Rule

from app import ConfigurationError, create_app
from tenants.config import INSECURE_DEFAULT_SECRET
from tests.conftest import app_config, csrf_token
from tests.factories import owner_of
from tests.web.assessment.factories import (  # noqa: F401 (fixtures)
    draft_assessment,
    enterprise_with_profile,
    page_url,
)
from tests.web.helpers import boom_app

LONG_SECRET = "a-production-secret-that-is-long-enough-0123456789"
# POST routes that may go without a CSRF token, and why: the Stripe webhook is called by
# Stripe, not a browser, and verifies Stripe's signature instead.
CSRF_EXEMPT = {"stripe_webhook.stripe_webhook"}


def post_rules(app: Flask) -> list[Rule]:
    rules = [r for r in app.url_map.iter_rules() if "POST" in (r.methods or ())]
    assert len(rules) > 10  # the walk must find the routes, or it proves nothing
    return rules


def url_for_rule(app: Flask, rule: Rule, slug: str) -> str:
    values: dict[str, object] = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if name == "slug":
            values[name] = slug
        elif type(converter).__name__ == "UUIDConverter":
            values[name] = uuid.uuid4()
        elif type(converter).__name__ in ("IntegerConverter", "NumberConverter"):
            values[name] = 1
        else:
            values[name] = "x"
    adapter = app.url_map.bind("localhost")
    return adapter.build(rule.endpoint, values, method="POST", force_external=False)


def is_exempt(app: Flask, endpoint: str) -> bool:
    from tenants.extensions import csrf

    view = app.view_functions[endpoint]
    return f"{view.__module__}.{view.__name__}" in csrf._exempt_views


# -- CSRF -------------------------------------------------------------------------------------
@pytest.mark.parametrize("signed_in", [False, True])
def test_every_post_route_refuses_a_request_without_csrf_token(app, client, make_tenant,
                                                               sign_in, signed_in):
    tenant = make_tenant()
    if signed_in:
        sign_in(owner_of(app, tenant))
    checked = []
    for rule in post_rules(app):
        if rule.endpoint in CSRF_EXEMPT:
            continue
        url = url_for_rule(app, rule, tenant.slug)
        for data in ({}, {"csrf_token": "forged-token"}):
            response = client.post(url, data=data, headers={"Accept-Language": "en"})
            assert response.status_code == 400, (rule.rule, data, response.status_code)
            assert "The form has expired" in response.get_data(as_text=True)
        checked.append(rule.rule)
    assert {"/login", "/logout", "/signup", "/language", "/t/<slug>/members/invite"} <= set(
        checked)


def test_only_the_listed_routes_are_exempt_from_csrf(app):
    exempt = {rule.endpoint for rule in post_rules(app) if is_exempt(app, rule.endpoint)}
    assert exempt == CSRF_EXEMPT


def test_a_token_from_another_session_is_refused(app, client, other_client, make_user):
    user = make_user()
    stolen = csrf_token(other_client, "/login")
    response = client.post("/login", data={"email": user.email, "password": "x" * 12,
                                           "csrf_token": stolen})
    assert response.status_code == 400


# -- headers and cookies ----------------------------------------------------------------------
def csp_sources(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_security_headers(response) -> None:
    directives = csp_sources(response.headers["Content-Security-Policy"])
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    for name, sources in directives.items():
        for source in sources:
            assert source in ("'self'", "'none'", "data:"), (name, source)  # no third party
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_security_headers_on_every_kind_of_page(app, client, make_tenant, sign_in):
    tenant = make_tenant()
    anonymous = [client.get("/"), client.get("/login"), client.get("/no-such-page"),
                 client.post("/login"), client.get("/healthz")]
    sign_in(owner_of(app, tenant))
    signed_in = [client.get(f"/t/{tenant.slug}/"), client.get(f"/t/{tenant.slug}/members"),
                 client.get("/t/not-mine/")]
    for response in anonymous + signed_in:
        assert_security_headers(response)
    assert [r.status_code for r in anonymous + signed_in] == [200, 200, 404, 400, 200,
                                                              200, 200, 404]


def test_pages_load_nothing_from_third_parties(
        app, client, enterprise_with_profile, draft_assessment, sign_in):  # noqa: F811
    tenant = enterprise_with_profile()
    assessment = draft_assessment(tenant)
    sign_in(owner_of(app, tenant))
    pages = ("/switch", f"/t/{tenant.slug}/", f"/t/{tenant.slug}/members",
             page_url(tenant, assessment, "lean"),
             f"/t/{tenant.slug}/assessments/{assessment.id}/results")
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.get_data(as_text=True)
        assert not re.search(r'(src|href)="(https?:)?//', html), page


def test_the_session_cookie_is_httponly_and_samesite(client, make_user, sign_in):
    cookie = client.get("/login").headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # testing runs over plain http

    user = make_user()
    response = sign_in(user, remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_session=")]
    assert remember and "HttpOnly" in remember[0] and "SameSite=Lax" in remember[0]


def test_outside_development_the_cookies_are_secure(fresh_app):
    production = fresh_app(ENV="production", TESTING=False, SECRET_KEY=LONG_SECRET)
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config["REMEMBER_COOKIE_SECURE"] is True
    response = production.test_client().get("/login")
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert_security_headers(response)


@pytest.mark.parametrize("secret", [INSECURE_DEFAULT_SECRET, None, "", "short-secret",
                                    "x" * 31, "missing"])
def test_production_refuses_a_default_missing_or_short_secret(database, tmp_path, monkeypatch,
                                                              secret):
    monkeypatch.delenv("CHAINGAUGE_SECRET_KEY", raising=False)
    config = app_config(database, tmp_path, ENV="production", TESTING=False)
    if secret == "missing":
        del config["SECRET_KEY"]  # no key at all
    else:
        config["SECRET_KEY"] = secret
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app(config)


def test_production_refuses_a_short_secret_from_the_environment(database, tmp_path,
                                                                monkeypatch):
    monkeypatch.setenv("CHAINGAUGE_SECRET_KEY", "short")
    config = app_config(database, tmp_path, ENV="production", TESTING=False)
    del config["SECRET_KEY"]
    with pytest.raises(ConfigurationError):
        create_app(config)


# -- request ids ------------------------------------------------------------------------------
_GENERATED = re.compile(r"^[0-9a-f]{32}$")


def test_every_response_carries_a_request_id(app, client, make_user, sign_in):
    user = make_user()
    responses = {
        "page": client.get("/login"),
        "redirect": client.get("/switch"),
        "not found": client.get("/no-such-page"),
        "method not allowed": client.get("/logout"),
        "csrf failure": client.post("/logout"),
        "health": client.get("/healthz"),
    }
    for _ in range(5):
        sign_in(user, "not-the-password")
    responses["rate limited"] = sign_in(user)
    assert responses["rate limited"].status_code == 429
    for kind, response in responses.items():
        assert _GENERATED.match(response.headers.get("X-Request-ID", "")), kind
    ids = {r.headers["X-Request-ID"] for r in responses.values()}
    assert len(ids) == len(responses)  # one per request


@pytest.mark.parametrize("request_", ["page", "csrf failure", "not found"])
def test_a_valid_incoming_request_id_is_echoed(client, request_):
    headers = {"X-Request-ID": "edge-4f2a.9_x"}
    response = {"page": lambda: client.get("/login", headers=headers),
                "csrf failure": lambda: client.post("/logout", headers=headers),
                "not found": lambda: client.get("/nowhere", headers=headers)}[request_]()
    assert response.headers["X-Request-ID"] == "edge-4f2a.9_x"


@pytest.mark.parametrize("incoming", ["has space", "semi;colon", "x" * 65, "ünïcode",
                                      "<script>"])
def test_an_invalid_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/login", headers={"X-Request-ID": incoming})
    assert _GENERATED.match(response.headers["X-Request-ID"])


def test_a_server_error_carries_a_request_id_and_the_headers(fresh_app):
    app = boom_app(fresh_app)
    response = app.test_client().get("/boom", headers={"X-Request-ID": "trace-500"})
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "trace-500"
    assert_security_headers(response)


# -- health ---------------------------------------------------------------------------------
def test_healthz_is_ok_with_the_database(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok", "database": "ok"})


def test_healthz_is_503_when_the_database_is_unreachable(fresh_app, database, tmp_path):
    if database.backend == "sqlite":
        bad_url = f"sqlite:///{tmp_path}/no-such-directory/chaingauge.db"
    else:
        bad_url = "postgresql+psycopg://nobody@127.0.0.1:1/nothing?connect_timeout=2"
    broken = fresh_app(DATABASE_URL=bad_url, MIGRATION_DATABASE_URL=bad_url)
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": "unavailable"}
