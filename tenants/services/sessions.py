"""Signed-in browsers as rows: start, check, end, and the remember-me secret's rotation.

A browser is signed in while its ``UserSession`` row is not revoked. The session cookie and
the remember-me cookie only name the row, so logout, a password change or "end this
session" on another device take effect on the very next request, wherever the cookies were
copied to. Every end is a conditional UPDATE, so two requests ending or rotating the same
session at once are decided by the database.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import update
from sqlmodel import col

from tenants import queries
from tenants.db import db
from tenants.models import User, UserSession
from tenants.security import new_token, token_digest
from tenants.services import audit
from tenants.types import utcnow

# last_seen_at is written at most this often: the check on every request stays a read.
TOUCH_EVERY = timedelta(minutes=5)
# After a rotation the previous remember-me secret still works this long: a browser that
# restores several tabs at once sends it with each of them before the new one arrives.
ROTATION_GRACE = timedelta(seconds=30)


@dataclass(frozen=True)
class Restored:
    """A session restored from a remember-me cookie; ``new_cookie`` replaces the old one
    (None when a parallel request has rotated it already)."""

    record: UserSession
    user: User
    new_cookie: str | None


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari"))
_SYSTEMS = (("Windows", "Windows"), ("iPhone", "iOS"), ("iPad", "iPadOS"),
            ("Android", "Android"), ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"),
            ("Linux", "Linux"))
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def describe_device(user_agent: str | None) -> str:
    """"Firefox, Windows" from a User-Agent header: enough to recognise one's own devices,
    without storing the whole (fingerprintable) header."""
    agent = _CONTROL.sub("", user_agent or "")
    browser = next((name for marker, name in _BROWSERS if marker in agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in agent), "")
    return ", ".join(part for part in (browser, system) if part)[:120]


def remember_cookie_value(record: UserSession, secret: str) -> str:
    return f"{record.id}.{secret}"


def start(user: User, ip: str | None, user_agent: str | None,
          remember: bool) -> tuple[UserSession, str | None]:
    """A new session for ``user``; with ``remember``, also the remember-me cookie's value
    (only its digest is stored)."""
    record = UserSession(user_id=user.id, ip=(ip or "")[:45] or None,
                         device=describe_device(user_agent))
    cookie = None
    if remember:
        secret = new_token()
        record.remember_digest = token_digest(secret)
        record.remember_rotated_at = record.created_at
        cookie = remember_cookie_value(record, secret)
    db.session.add(record)
    db.session.flush()
    return record, cookie


def live(session_id: uuid.UUID, user_id: str) -> tuple[UserSession, User] | None:
    """The session and user a session cookie names, if both are still good. A session unused
    for longer than ``REMEMBER_DAYS`` is over (housekeeping deletes it)."""
    found = queries.live_session(session_id)
    if found is None:
        return None
    record, user = found
    if str(user.id) != user_id or not user.is_active:
        return None
    if utcnow() - record.last_seen_at > timedelta(days=int(current_app.config["REMEMBER_DAYS"])):
        return None
    return record, user


def touch(record: UserSession, ip: str | None) -> None:
    now = utcnow()
    if now - record.last_seen_at >= TOUCH_EVERY:
        record.last_seen_at = now
        record.ip = (ip or "")[:45] or None
        db.session.flush()


def end(user_id: uuid.UUID, session_id: uuid.UUID, reason: str = "logout") -> bool:
    """End one of ``user_id``'s sessions; False if it was not theirs or had ended already."""
    ended = db.session.execute(
        update(UserSession)
        .where(col(UserSession.id) == session_id, col(UserSession.user_id) == user_id,
               col(UserSession.revoked_at).is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    ).rowcount == 1  # type: ignore[attr-defined]
    if ended:
        audit.record("auth.session_ended", subject=str(session_id), actor_user_id=user_id,
                     reason=reason)
    return ended


def end_all(user_id: uuid.UUID, *, keep: uuid.UUID | None = None,
            reason: str = "password_changed") -> int:
    """End every session of ``user_id`` (but ``keep``); how many were ended."""
    conditions = [col(UserSession.user_id) == user_id, col(UserSession.revoked_at).is_(None)]
    if keep is not None:
        conditions.append(col(UserSession.id) != keep)
    count = int(db.session.execute(
        update(UserSession).where(*conditions).values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    ).rowcount)  # type: ignore[attr-defined]
    if count:
        audit.record("auth.sessions_ended", subject=str(user_id), actor_user_id=user_id,
                     reason=reason, count=count)
    return count


def restore(cookie: str, remember_for: timedelta) -> Restored | None:
    """The session a remember-me cookie names, with its secret rotated; None if the cookie
    is forged, expired, ended with its session, or a copy of a secret already rotated away
    (then the session is ended: one of the two holders is not the user)."""
    session_part, _sep, secret = cookie.partition(".")
    try:
        session_id = uuid.UUID(session_part)
    except ValueError:
        return None
    found = queries.live_session(session_id)
    if found is None or not secret:
        return None
    record, user = found
    now = utcnow()
    rotated_at = record.remember_rotated_at or record.created_at
    if not user.is_active or record.remember_digest is None or now - rotated_at > remember_for:
        return None
    digest = token_digest(secret)
    if digest == record.remember_digest:
        fresh = new_token()
        # Compare-and-set: of two requests presenting the same secret, one rotates it.
        rotated = db.session.execute(
            update(UserSession)
            .where(col(UserSession.id) == record.id,
                   col(UserSession.remember_digest) == digest,
                   col(UserSession.revoked_at).is_(None))
            .values(remember_digest=token_digest(fresh), previous_remember_digest=digest,
                    remember_rotated_at=now, last_seen_at=now)
            .execution_options(synchronize_session="fetch")
        ).rowcount == 1  # type: ignore[attr-defined]
        return Restored(record, user, remember_cookie_value(record, fresh) if rotated else None)
    if digest == record.previous_remember_digest:
        if now - rotated_at <= ROTATION_GRACE:
            return Restored(record, user, None)
        end(user.id, record.id, reason="remember_replayed")
    return None
