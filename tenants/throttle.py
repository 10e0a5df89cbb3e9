"""Sign-in slow-down per account: delays that grow with the failures, never a lock-out.

After ``LOGIN_ACCOUNT_FREE_FAILURES`` failed sign-ins for an e-mail address, the next
attempt must wait 2 s, then 4, 8, ... up to ``LOGIN_ACCOUNT_MAX_DELAY`` (the longer delay).
An attempt that comes too early is answered at once with 429 and ``Retry-After``, without
checking the password; nothing sleeps in the request. The key is a keyed digest of the
address, so an unknown address is slowed exactly like a real one (no enumeration).

A browser in which the account has signed in before (a signed "known browser" cookie)
is not held back by the account's delay: an attacker's failures elsewhere cannot keep the
owner out of their own account. Per-IP limits (Flask-Limiter) apply to everyone.

The counters are shared by every worker: in Redis when ``REDIS_URL`` is set, else in the
``login_throttle`` table, updated with one atomic upsert per failure.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from datetime import datetime, timedelta
from typing import Any, Protocol

import redis
from flask import Flask, current_app, request
from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug.wrappers import Response

from tenants.db import db
from tenants.models import LoginThrottle
from tenants.security import TokenInvalid, sign, unsign
from tenants.types import utcnow

# Failures older than this are forgotten.
FAILURE_MEMORY = timedelta(hours=24)


class AccountThrottle(Protocol):
    def wait(self, key: str) -> int:
        """Seconds before ``key`` may try again; 0 if it may try now."""

    def failed(self, key: str) -> int:
        """Count a failure; the seconds ``key`` must now wait (0 if none)."""

    def succeeded(self, key: str) -> None:
        """Forget the failures of ``key``."""


def delay_after(failures: int) -> int:
    config = current_app.config
    free = int(config["LOGIN_ACCOUNT_FREE_FAILURES"])
    if failures < free:
        return 0
    return int(min(int(config["LOGIN_ACCOUNT_MAX_DELAY"]), 2 ** min(failures - free + 1, 30)))


def account_key(email: str) -> str:
    """What the counters are stored under: not the address itself."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, b"login-account:" + email.strip().lower().encode(),
                    hashlib.sha256).hexdigest()


def _seconds_until(moment: datetime | None, now: datetime) -> int:
    if moment is None or moment <= now:
        return 0
    return max(1, math.ceil((moment - now).total_seconds()))


class DatabaseThrottle:
    """Counters in the ``login_throttle`` table, in the request's unit of work (a failed
    sign-in is answered 401 with ``db.keep_on_error()``, so the count is committed)."""

    table = LoginThrottle.__table__  # type: ignore[attr-defined]

    def wait(self, key: str) -> int:
        blocked_until = db.session.execute(
            select(self.table.c.blocked_until).where(self.table.c.key == key)
        ).scalar_one_or_none()
        return _seconds_until(blocked_until, utcnow())

    def failed(self, key: str) -> int:
        now = utcnow()
        table = self.table
        insert = postgresql.insert if db.dialect == "postgresql" else sqlite.insert
        statement: Any = insert(table).values(key=key, failures=1, last_failure_at=now)
        # One atomic statement: parallel failures on any worker each count once.
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "failures": case((table.c.last_failure_at < now - FAILURE_MEMORY, 1),
                                 else_=table.c.failures + 1),
                "last_failure_at": now,
            },
        ).returning(table.c.failures)
        failures = int(db.session.execute(statement).scalar_one())
        delay = delay_after(failures)
        if delay:
            row = db.session.get(LoginThrottle, key, populate_existing=True)
            if row is not None:
                row.blocked_until = now + timedelta(seconds=delay)
                db.session.flush()
        return delay

    def succeeded(self, key: str) -> None:
        db.session.execute(delete(self.table).where(self.table.c.key == key))


class RedisThrottle:
    """Counters in Redis: a failure count that expires after ``FAILURE_MEMORY`` and a
    "blocked" key whose time to live is the wait."""

    def __init__(self, url: str, prefix: str = "chaingauge:login-account:"):
        self.client = redis.Redis.from_url(url)
        self.prefix = prefix

    def wait(self, key: str) -> int:
        remaining_ms = int(self.client.pttl(f"{self.prefix}{key}:blocked"))
        return max(1, math.ceil(remaining_ms / 1000)) if remaining_ms > 0 else 0

    def failed(self, key: str) -> int:
        failures_key = f"{self.prefix}{key}:failures"
        pipe = self.client.pipeline()  # MULTI/EXEC: increment and expiry together
        pipe.incr(failures_key)
        pipe.expire(failures_key, int(FAILURE_MEMORY.total_seconds()))
        failures = int(pipe.execute()[0])
        delay = delay_after(failures)
        if delay:
            self.client.set(f"{self.prefix}{key}:blocked", int(time.time()), ex=delay)
        return delay

    def succeeded(self, key: str) -> None:
        self.client.delete(f"{self.prefix}{key}:failures", f"{self.prefix}{key}:blocked")


# -- browsers the account has signed in from -------------------------------------------------
KNOWN_BROWSER_COOKIE = "known_browser"
KNOWN_BROWSER_PURPOSE = "known-browser"
KNOWN_BROWSER_DAYS = 180
KNOWN_BROWSER_ACCOUNTS = 5


def known_accounts() -> list[str]:
    """Account keys that have signed in from this browser (signed, so not forgeable)."""
    cookie = request.cookies.get(KNOWN_BROWSER_COOKIE)
    if not cookie:
        return []
    try:
        keys = unsign(KNOWN_BROWSER_PURPOSE, cookie, KNOWN_BROWSER_DAYS * 24 * 3600)
    except TokenInvalid:
        return []
    return [str(key) for key in keys] if isinstance(keys, list) else []


def remember_known_account(response: Response, key: str) -> None:
    """Mark this browser as one the account signs in from (the newest few accounts)."""
    keys = [key, *[k for k in known_accounts() if k != key]][:KNOWN_BROWSER_ACCOUNTS]
    response.set_cookie(KNOWN_BROWSER_COOKIE, sign(KNOWN_BROWSER_PURPOSE, keys),
                        max_age=KNOWN_BROWSER_DAYS * 24 * 3600, httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"], samesite="Lax")


def init_app(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    throttle: AccountThrottle = RedisThrottle(url) if url else DatabaseThrottle()
    app.extensions["chaingauge_login_throttle"] = throttle


def account_throttle() -> AccountThrottle:
    throttle: AccountThrottle = current_app.extensions["chaingauge_login_throttle"]
    return throttle
