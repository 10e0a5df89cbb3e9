"""Sign-in writes that parallel requests race on, decided by the database: failure counts
(one atomic upsert each) and the rotation of a remember-me secret (compare-and-set).

Real parallel connections: an app instance with its own engine (not the test's shared,
rolled-back connection), threads each in their own application context, committing for
real; the rows are deleted afterwards. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import functools
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete

from tenants.extensions import db
from tenants.models import AuditEvent, LoginThrottle, User, UserSession
from tenants.services import accounts, sessions
from tenants.throttle import DatabaseThrottle, account_key

ROUNDS = 10


@pytest.fixture
def live_app(fresh_app: Any, database: Any, tmp_path: Any,
             request: pytest.FixtureRequest) -> Iterator[Flask]:
    if database.backend == "sqlite":
        # Its own file: the shared test database is write-locked by the rolled-back
        # transaction of the test fixtures while a test runs.
        from tenants.cli import upgrade

        url = f"sqlite:///{tmp_path / 'auth.db'}"
        application: Flask = fresh_app(DATABASE_URL=url, MIGRATION_DATABASE_URL=url)
        upgrade(application)
    else:
        request.getfixturevalue("app")  # the schema, migrated once per run
        application = fresh_app()
    created: dict[str, list[Any]] = {"users": [], "keys": []}
    application.config["_created"] = created
    yield application
    with application.app_context():
        user_ids = created["users"]
        if user_ids:
            db.session.execute(delete(AuditEvent).where(AuditEvent.actor_user_id.in_(user_ids)))  # type: ignore[union-attr]
            db.session.execute(delete(UserSession).where(UserSession.user_id.in_(user_ids)))  # type: ignore[attr-defined]
            db.session.execute(delete(User).where(User.id.in_(user_ids)))  # type: ignore[attr-defined]
        if created["keys"]:
            db.session.execute(delete(LoginThrottle).where(
                LoginThrottle.key.in_(created["keys"])))  # type: ignore[attr-defined]
        db.commit()


def _in_parallel(application: Flask, work: Callable[[], Any], threads: int) -> list[Any]:
    """Run ``work`` in ``threads`` threads at once, each in its own request context (so its
    own session and connection), committing at the end as a request would."""
    start = threading.Barrier(threads, timeout=10)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            with application.test_request_context():
                start.wait()
                result = work()
                db.commit()
            with lock:
                results.append(result)
        except BaseException as error:  # collected for the assertion
            with lock:
                errors.append(error)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert errors == []
    return results


def test_parallel_failures_each_count_once(live_app: Flask):
    with live_app.app_context():
        key = account_key(f"target-{uuid.uuid4().hex[:8]}@example.com")
    live_app.config["_created"]["keys"].append(key)
    throttle = DatabaseThrottle()
    for _round in range(2):
        _in_parallel(live_app, lambda: throttle.failed(key), threads=6)
    with live_app.app_context():
        row = db.session.get(LoginThrottle, key)
        assert row is not None and row.failures == 12  # no lost increment
        assert throttle.wait(key) > 0


def test_a_remember_secret_presented_twice_at_once_rotates_once(live_app: Flask):
    with live_app.test_request_context():
        user = accounts.create_user(f"remember-{uuid.uuid4().hex[:8]}@example.com",
                                    "a-long-password")
        live_app.config["_created"]["users"].append(user.id)
        db.commit()
    for _round in range(ROUNDS):
        with live_app.test_request_context():
            owner = db.session.get(User, user.id)
            assert owner is not None
            _record, cookie = sessions.start(owner, "127.0.0.1", "test", remember=True)
            db.commit()
        assert cookie is not None
        restored = _in_parallel(
            live_app, functools.partial(sessions.restore, cookie, remember_for=_days(30)),
            threads=2)
        assert all(r is not None for r in restored)  # both browsers stay signed in
        new_cookies = [r.new_cookie for r in restored if r.new_cookie]
        assert len(new_cookies) == 1  # exactly one rotation
        with live_app.app_context():
            record = db.session.get(UserSession, restored[0].record.id)
            assert record is not None and record.revoked_at is None
            assert record.remember_digest == _digest(new_cookies[0])


def _days(n: int) -> Any:
    from datetime import timedelta

    return timedelta(days=n)


def _digest(cookie: str) -> str:
    from tenants.security import token_digest

    return token_digest(cookie.split(".", 1)[1])
