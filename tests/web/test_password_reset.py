"""Password reset: no enumeration, a one-time link, expiry, and other sessions ended."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tenants.extensions import db
from tenants.models import User, UserSession
from tenants.services import accounts
from tests.factories import PASSWORD
from tests.web.helpers import field_error, link_in, text

NEW_PASSWORD = "a-brand-new-password"
SENT = "If an account exists for this address, we have sent a link to reset its password."


@pytest.fixture(autouse=True)
def _english(client, other_client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    other_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _main(response) -> str:
    """The page's main content without per-session tokens, to compare two answers."""
    body = text(response).split('<main id="main">')[1].split("</main>")[0]
    return re.sub(r'value="[^"]*"', "", body)


def request_reset(post, email: str):
    return post("/password/forgot", {"email": email})


def reset_link(post, outbox, user: User) -> str:
    request_reset(post, user.email)
    [message] = outbox()
    assert message["To"] == user.email
    return link_in(message, "/password/reset/")


def test_the_answer_is_the_same_for_known_and_unknown_addresses(post, make_user, outbox,
                                                                 audit_actions):
    user = make_user()
    known = request_reset(post, user.email)
    assert outbox() and SENT in text(known)
    unknown = request_reset(post, "nobody@example.com")
    assert (known.status_code, _main(known)) == (unknown.status_code, _main(unknown))
    assert len(outbox()) == 1  # nothing went to the unknown address
    assert [s for _a, s, _d in audit_actions(action="auth.reset_requested")] == [user.email]


def test_an_inactive_account_gets_no_link(app, post, make_user, outbox):
    user = make_user()
    with app.app_context():
        row = db.session.get(User, user.id)
        assert row is not None
        row.is_active = False
        db.commit()
    response = request_reset(post, user.email)
    assert SENT in text(response)
    assert outbox() == []


def test_the_link_sets_a_new_password_once(client, post, outbox, make_user, sign_in,
                                           audit_actions):
    user = make_user()
    link = reset_link(post, outbox, user)
    assert client.get(link).status_code == 200
    response = post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert [s for _a, s, _d in audit_actions(action="auth.password_reset")] == [user.email]

    # The password fingerprint in the token no longer matches: the link is spent.
    again = client.get(link)
    assert again.status_code == 400
    assert "This reset link is not valid or was already used." in text(again)
    assert post(link, {"password": "yet-another-password",
                       "confirm": "yet-another-password"}).status_code == 400

    assert sign_in(user, PASSWORD).status_code == 401
    assert sign_in(user, NEW_PASSWORD).status_code == 302


def test_an_expired_link_is_refused(client, post, outbox, make_user, sign_in, monkeypatch):
    user = make_user()
    link = reset_link(post, outbox, user)
    monkeypatch.setattr(accounts, "RESET_MAX_AGE", -1)  # every token is now too old
    response = client.get(link)
    assert response.status_code == 400
    assert "This reset link has expired." in text(response)
    assert post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 400
    assert sign_in(user, NEW_PASSWORD).status_code == 401


@pytest.mark.parametrize("token", ["garbage", "eyJ1aWQiOiJ4In0.forged.signature"])
def test_a_forged_link_is_refused(client, token):
    response = client.get(f"/password/reset/{token}")
    assert response.status_code == 400
    assert "This reset link is not valid or was already used." in text(response)


def test_a_verification_token_is_no_reset_token(app, client, make_user):
    user = make_user()
    with app.test_request_context():
        from tenants.security import sign

        token = sign(accounts.VERIFY_PURPOSE, {"uid": str(user.id), "email": user.email})
    assert client.get(f"/password/reset/{token}").status_code == 400


@pytest.mark.parametrize("password, confirm, field, message", [
    ("short", "short", "password", "Field must be between 10 and 200 characters long."),
    (NEW_PASSWORD, "something-else-entirely", "confirm", "The passwords differ."),
])
def test_a_bad_new_password_is_refused_and_the_link_still_works(
        client, post, outbox, make_user, sign_in, password, confirm, field, message):
    user = make_user()
    link = reset_link(post, outbox, user)
    response = post(link, {"password": password, "confirm": confirm})
    assert field_error(response, field) == message
    assert sign_in(user, PASSWORD).status_code == 302  # unchanged
    client.post("/logout", data={"csrf_token": _token(client)})
    assert client.get(link).status_code == 200


def _token(client) -> str:
    from tests.conftest import csrf_token

    return csrf_token(client, "/switch")


def test_a_reset_ends_every_other_session(client, other_client, post, outbox, make_user,
                                          make_tenant, fetch):
    from tests.factories import sign_in as sign_in_with

    user = make_user()
    tenant = make_tenant(owner=user)
    sign_in_with(other_client, user)
    assert other_client.get(f"/t/{tenant.slug}/").status_code == 200

    link = reset_link(post, outbox, user)
    post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert [s.revoked_at is not None for s in fetch(UserSession, UserSession.user_id == user.id)
            ] == [True]

    response = other_client.get(f"/t/{tenant.slug}/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert sign_in_with(other_client, user, NEW_PASSWORD).status_code == 302
    assert other_client.get(f"/t/{tenant.slug}/").status_code == 200


def test_resetting_while_signed_in_signs_this_browser_out_too(app: Flask, client, post,
                                                              outbox, make_user, sign_in):
    user = make_user()
    sign_in(user)
    link = reset_link(post, outbox, user)
    post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert client.get("/switch").status_code == 302
