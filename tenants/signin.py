"""Who a request is signed in as: Flask-Login's loaders on top of ``UserSession`` rows.

The session cookie carries the user id (Flask-Login's ``_user_id``) and the id of the
session row; the remember-me cookie carries the row id and a secret that changes each time
it is used. Both are checked against the row on every request (one primary-key read), so
ending the row ends every copy of either cookie. Flask-Login's own remember-me cookie is
not used: it is a signature of the user id, which cannot be revoked.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from flask import Flask, current_app, g, request, session
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from tenants.db import after_commit
from tenants.extensions import login_manager
from tenants.models import User
from tenants.services import sessions

SESSION_KEY = "_session_id"
REMEMBER_COOKIE = "remember_session"
_CLEAR = "clear"


def init_app(app: Flask) -> None:
    login_manager.user_loader(_load_from_session)
    login_manager.request_loader(_load_from_remember_cookie)
    app.after_request(_write_remember_cookie)


def current_session_id() -> uuid.UUID | None:
    record = g.get("user_session")
    return record.id if record is not None else None


def sign_in(user: User, remember: bool) -> None:
    """Start a session for ``user`` in this browser, in a fresh Flask session (no
    fixation); with ``remember``, also set a remember-me cookie."""
    _ = current_user.is_authenticated  # loads the session this browser had, if any
    previous = g.get("user_session")
    if previous is not None:  # signing in again, perhaps as someone else: end the old one
        sessions.end(previous.user_id, previous.id, reason="signed_in_again")
    session.clear()
    record, cookie = sessions.start(user, request.remote_addr,
                                    request.headers.get("User-Agent"), remember)
    login_user(user)
    session[SESSION_KEY] = str(record.id)
    g.user_session = record
    g.remember_cookie = cookie or _CLEAR


def sign_out(reason: str = "logout") -> None:
    """End this browser's session everywhere its cookies were copied to."""
    _ = current_user.is_authenticated  # loads the session row, if this request has not yet
    record = g.get("user_session")
    if record is not None:
        sessions.end(record.user_id, record.id, reason)
    logout_user()
    session.clear()
    g.user_session = None
    g.remember_cookie = _CLEAR


def _remember_for() -> timedelta:
    return timedelta(days=int(current_app.config["REMEMBER_DAYS"]))


def _load_from_session(user_id: str) -> User | None:
    try:
        session_id = uuid.UUID(str(session.get(SESSION_KEY, "")))
    except ValueError:
        return None
    found = sessions.live(session_id, user_id)
    if found is None:
        return None
    record, user = found
    sessions.touch(record, request.remote_addr)
    g.user_session = record
    return user


def _load_from_remember_cookie(_request: Any) -> User | None:
    cookie = request.cookies.get(REMEMBER_COOKIE)
    if not cookie:
        return None
    restored = sessions.restore(cookie[:200], _remember_for())
    if restored is None:
        g.remember_cookie = _CLEAR
        return None
    # Carry on in a session cookie, as after a sign-in; no longer "fresh". Only the keys of
    # the dead session are replaced: a CSRF token this request may already have put in a
    # form must stay valid.
    session["_user_id"] = restored.user.get_id()
    session["_fresh"] = False
    session[SESSION_KEY] = str(restored.record.id)
    g.user_session = restored.record
    if restored.new_cookie:
        g.remember_cookie = restored.new_cookie
    return restored.user


def _write_remember_cookie(response: Response) -> Response:
    value = g.pop("remember_cookie", None)
    if value is None:
        return response
    config = current_app.config
    if value == _CLEAR:
        if REMEMBER_COOKIE in request.cookies:
            response.delete_cookie(REMEMBER_COOKIE, httponly=True,
                                   secure=config["REMEMBER_COOKIE_SECURE"],
                                   samesite=config["REMEMBER_COOKIE_SAMESITE"])
        return response

    def set_cookie() -> None:
        response.set_cookie(REMEMBER_COOKIE, value, max_age=_remember_for(), httponly=True,
                            secure=config["REMEMBER_COOKIE_SECURE"],
                            samesite=config["REMEMBER_COOKIE_SAMESITE"])

    # Only once the row holding its digest has committed: a rolled-back request must not
    # hand out a secret the database never stored.
    after_commit(set_cookie)
    return response
