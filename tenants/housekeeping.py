"""Housekeeping: rows that have served their purpose are deleted, so tables that every
sign-in or upload writes to do not grow for ever.

Each feature registers what it purges (:func:`register_purge`); one daily job (scheduled by
the worker, at 02:30 UTC) and ``flask --app app housekeeping purge`` run them all, each in
its own transaction, in the system scope (a purge crosses tenants). The platform's own:

- **sessions** ended more than ``SESSION_RETENTION_DAYS`` ago (they stay listed that long
  for the account's sessions page and for support), and sessions unused for longer than
  ``REMEMBER_DAYS``, which sign nobody in any more (``tenants.queries.live_session``);
- **sign-in throttle counters** whose failures are forgotten (older than a day) and whose
  wait is over.

``assessment.io`` registers imports held for confirmation longer than a day.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from huey import crontab
from sqlalchemy import delete, or_
from sqlmodel import col

from tenants.context import system_scope
from tenants.db import db
from tenants.jobs import app_periodic_task
from tenants.models import LoginThrottle, UserSession
from tenants.throttle import FAILURE_MEMORY
from tenants.types import utcnow

log = logging.getLogger(__name__)

Purge = Callable[[datetime], int]  # deletes what expired before ``now``; how many rows
_PURGES: dict[str, Purge] = {}


def register_purge(name: str, purge: Purge) -> None:
    """Run ``purge`` with every housekeeping pass (registering a name again replaces it)."""
    _PURGES[name] = purge


def purge_sessions(now: datetime) -> int:
    config = current_app.config
    ended_before = now - timedelta(days=int(config["SESSION_RETENTION_DAYS"]))
    unused_since = now - timedelta(days=int(config["REMEMBER_DAYS"]))
    result = db.session.execute(delete(UserSession).where(or_(
        col(UserSession.revoked_at) < ended_before,
        col(UserSession.last_seen_at) < unused_since)))
    return int(result.rowcount)  # type: ignore[attr-defined]


def purge_throttle_counters(now: datetime) -> int:
    result = db.session.execute(delete(LoginThrottle).where(
        col(LoginThrottle.last_failure_at) < now - FAILURE_MEMORY,
        or_(col(LoginThrottle.blocked_until).is_(None), col(LoginThrottle.blocked_until) < now)))
    return int(result.rowcount)  # type: ignore[attr-defined]


def purge_expired(now: datetime | None = None) -> dict[str, int]:
    """Run every registered purge, each committed on its own (one failing rolls back only
    itself and is logged); rows deleted per purge."""
    now = now or utcnow()
    deleted: dict[str, int] = {}
    for name, purge in sorted(_PURGES.items()):
        try:
            with system_scope(db.session, f"housekeeping: {name}"):
                deleted[name] = purge(now)
            db.commit()
        except Exception:
            db.session.rollback()
            log.exception("housekeeping purge failed", extra={"reason": name})
    log.info("housekeeping done", extra={"reason": ", ".join(
        f"{name} {count}" for name, count in deleted.items())})
    return deleted


@app_periodic_task(crontab(hour="2", minute="30"), name="housekeeping.purge")
def purge_daily() -> None:
    purge_expired()


housekeeping_cli = AppGroup("housekeeping", help="Delete expired sessions, counters, uploads.")


@housekeeping_cli.command("purge")
def purge_command() -> None:
    """Delete what has expired now (the daily job does the same)."""
    for name, count in purge_expired().items():
        click.echo(f"{name}: {count}")


def init_app(app: Flask) -> None:
    register_purge("sessions", purge_sessions)
    register_purge("sign-in throttle", purge_throttle_counters)
    app.cli.add_command(housekeeping_cli)
