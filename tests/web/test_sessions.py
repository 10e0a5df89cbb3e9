"""Sessions that end: logout, a password change and "Your sessions" end a session wherever
its cookies were copied to; remember-me secrets rotate on use and die with the session."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tenants.extensions import db
from tenants.models import UserSession
from tenants.services import accounts
from tenants.signin import REMEMBER_COOKIE
from tenants.types import utcnow
from tests.conftest import csrf_token
from tests.factories import sign_in as sign_in_with
from tests.web.helpers import flashes, text


@pytest.fixture(autouse=True)
def _english(client, other_client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    other_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _browser(app: Flask, **cookies: str) -> FlaskClient:
    """A browser holding only ``cookies`` (copied from another one)."""
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    for name, value in cookies.items():
        browser.set_cookie(name, value, domain="localhost")
    return browser


def _cookie(client: FlaskClient, name: str) -> str:
    cookie = client.get_cookie(name, domain="localhost")
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def _signed_in(browser: FlaskClient) -> bool:
    return browser.get("/switch").status_code == 200


def _session_id(browser: FlaskClient) -> uuid.UUID:
    with browser.session_transaction() as sess:
        return uuid.UUID(sess["_session_id"])


def _logout(browser: FlaskClient) -> None:
    response = browser.post("/logout", data={"csrf_token": csrf_token(browser, "/switch")})
    assert response.status_code == 302


# -- logout -----------------------------------------------------------------------------------
def test_a_session_cookie_copied_before_logout_is_refused_after_it(app, client, make_user,
                                                                  sign_in, fetch):
    user = make_user()
    sign_in(user)
    stolen = _cookie(client, "session")
    assert _signed_in(_browser(app, session=stolen))  # the copy works while the session lives
    _logout(client)
    assert not _signed_in(_browser(app, session=stolen))
    assert not _signed_in(client)
    [row] = fetch(UserSession, UserSession.user_id == user.id)
    assert row.revoked_at is not None


def test_a_remember_token_copied_before_logout_is_refused_after_it(app, client, make_user,
                                                                  sign_in):
    user = make_user()
    sign_in(user, remember="y")
    stolen = _cookie(client, REMEMBER_COOKIE)
    _logout(client)
    assert client.get_cookie(REMEMBER_COOKIE, domain="localhost") is None  # deleted
    thief = _browser(app, **{REMEMBER_COOKIE: stolen})
    assert not _signed_in(thief)


def test_a_remember_token_restores_the_session_and_rotates(app, client, make_user, sign_in,
                                                         fetch):
    user = make_user()
    sign_in(user, remember="y")
    first = _cookie(client, REMEMBER_COOKIE)
    returning = _browser(app, **{REMEMBER_COOKIE: first})  # the browser after a restart
    assert _signed_in(returning)
    second = _cookie(returning, REMEMBER_COOKIE)
    assert second != first and second.split(".")[0] == first.split(".")[0]
    assert _signed_in(returning)  # now on a session cookie, no further rotation needed
    assert _cookie(returning, REMEMBER_COOKIE) == second
    [row] = fetch(UserSession, UserSession.user_id == user.id)
    assert row.revoked_at is None and row.previous_remember_digest is not None


def test_a_rotated_away_remember_token_ends_the_session_when_replayed(
        app, client, make_user, sign_in, audit_actions):
    user = make_user()
    sign_in(user, remember="y")
    first = _cookie(client, REMEMBER_COOKIE)
    assert _signed_in(_browser(app, **{REMEMBER_COOKIE: first}))  # rotated by its owner
    # Within a few seconds the old secret still works (tabs restored in parallel)...
    assert _signed_in(_browser(app, **{REMEMBER_COOKIE: first}))
    with app.app_context():  # ...but not once the grace period has passed
        db.session.execute(sa.update(UserSession).values(
            remember_rotated_at=utcnow() - timedelta(minutes=5)))
        db.commit()
    assert not _signed_in(_browser(app, **{REMEMBER_COOKIE: first}))
    # Two holders of one secret: one is not the user, so the session ends for both.
    assert not _signed_in(client)
    assert ("auth.session_ended", "remember_replayed") in [
        (action, details["reason"]) for action, _s, details in
        audit_actions(action="auth.session_ended")]


def test_a_remember_token_expires(app, client, make_user, sign_in):
    user = make_user()
    sign_in(user, remember="y")
    token = _cookie(client, REMEMBER_COOKIE)
    with app.app_context():
        db.session.execute(sa.update(UserSession).values(
            remember_rotated_at=utcnow() - timedelta(days=app.config["REMEMBER_DAYS"] + 1)))
        db.commit()
    assert not _signed_in(_browser(app, **{REMEMBER_COOKIE: token}))


# Fixed, not random: parallel test processes must collect the same test ids.
UNKNOWN_SESSION = uuid.UUID("0463b18a-e33e-44b6-aa6c-15635cb677ac")


@pytest.mark.parametrize("token", ["garbage", "not-a-uuid.secret", f"{UNKNOWN_SESSION}.secret",
                                   ""])
def test_a_forged_remember_token_signs_nobody_in(app, make_user, sign_in, token):
    sign_in(make_user(), remember="y")
    assert not _signed_in(_browser(app, **{REMEMBER_COOKIE: token}))


def test_a_forged_remember_secret_for_a_real_session_is_refused(app, client, make_user,
                                                                sign_in):
    sign_in(make_user(), remember="y")
    session_part = _cookie(client, REMEMBER_COOKIE).split(".")[0]
    assert not _signed_in(_browser(app, **{REMEMBER_COOKIE: f"{session_part}.guessed"}))
    assert _signed_in(client)


def test_signing_in_again_ends_the_browsers_previous_session(app, client, make_user, sign_in):
    first, second = make_user(), make_user()
    sign_in(first)
    copied = _cookie(client, "session")
    sign_in(second)  # the same browser, now as someone else
    assert not _signed_in(_browser(app, session=copied))
    assert _signed_in(client)


# -- password change ---------------------------------------------------------------------------
def test_a_password_change_ends_every_other_session(app, client, other_client, make_user,
                                                    sign_in):
    user = make_user()
    sign_in(user)
    sign_in_with(other_client, user, remember="y")
    remembered = _cookie(other_client, REMEMBER_COOKIE)
    kept = _session_id(client)
    with app.test_request_context():
        row = db.session.merge(user)
        accounts.change_password(row, "another-long-password", keep_session=kept)
        db.commit()
    assert _signed_in(client)  # the browser that changed it stays in
    assert not _signed_in(other_client)
    assert not _signed_in(_browser(app, **{REMEMBER_COOKIE: remembered}))


# -- "Your sessions" -------------------------------------------------------------------------
def test_the_sessions_page_lists_the_users_sessions_and_marks_this_one(
        app, client, other_client, make_user, sign_in):
    user, stranger = make_user(), make_user()
    sign_in(user)
    other_client.environ_base["HTTP_USER_AGENT"] = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0")
    sign_in_with(other_client, user)
    sign_in_with(app.test_client(), stranger)
    page = client.get("/account/sessions")
    assert page.status_code == 200
    body = text(page)
    assert body.count("End session") == 2  # the stranger's session is not listed
    assert body.count("(this browser)") == 1
    assert "Firefox, Windows" in body and "127.0.0.1" in body
    assert f"/account/sessions/{_session_id(other_client)}/end" in body


def test_ending_a_session_from_the_sessions_page_kills_that_cookie(
        app, client, other_client, make_user, sign_in):
    user = make_user()
    sign_in(user)
    sign_in_with(other_client, user, remember="y")
    copied = _cookie(other_client, "session")
    target = f"/account/sessions/{_session_id(other_client)}/end"

    confirm = client.get(target)  # a confirmation first; nothing ends on GET
    assert confirm.status_code == 200 and "signed out at once" in text(confirm)
    assert _signed_in(other_client)
    assert client.post(target).status_code == 400  # no CSRF token
    assert _signed_in(other_client)

    response = client.post(target, data={"csrf_token": csrf_token(client, "/switch")})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/sessions"
    assert "The session has ended: that device is signed out." in flashes(
        client.get("/account/sessions"))
    assert not _signed_in(other_client)
    assert not _signed_in(_browser(app, session=copied))
    assert _signed_in(client)


def test_ending_this_browsers_own_session_signs_it_out(client, make_user, sign_in):
    user = make_user()
    sign_in(user)
    target = f"/account/sessions/{_session_id(client)}/end"
    assert "signs you out here" in text(client.get(target))
    response = client.post(target, data={"csrf_token": csrf_token(client, "/switch")})
    assert response.headers["Location"] == "/login"
    assert not _signed_in(client)


def test_someone_elses_or_an_ended_session_is_not_found(app, client, other_client, make_user,
                                                        sign_in):
    sign_in(make_user())
    sign_in_with(other_client, make_user())
    theirs = f"/account/sessions/{_session_id(other_client)}/end"
    assert client.get(theirs).status_code == 404
    token = csrf_token(client, "/switch")
    assert client.post(theirs, data={"csrf_token": token}).status_code == 404
    assert _signed_in(other_client)
    assert client.get(f"/account/sessions/{uuid.uuid4()}/end").status_code == 404


def test_end_all_other_sessions(app, client, other_client, make_user, sign_in):
    user = make_user()
    sign_in(user)
    sign_in_with(other_client, user)
    third = app.test_client()
    sign_in_with(third, user)
    response = client.post("/account/sessions/end-others",
                           data={"csrf_token": csrf_token(client, "/switch")})
    assert response.status_code == 302
    assert "2 other sessions have ended." in flashes(client.get("/account/sessions"))
    assert _signed_in(client)
    assert not _signed_in(other_client) and not _signed_in(third)


def test_the_sessions_page_needs_a_signed_in_user(client):
    response = client.get("/account/sessions")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_the_sessions_page_speaks_chinese(client, make_user, sign_in):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    sign_in(make_user())
    body = text(client.get("/account/sessions"))
    assert "您的登录会话" in body and "当前浏览器" in body
