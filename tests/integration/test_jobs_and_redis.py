"""Jobs and rate limits on a real Redis (127.0.0.1:6379, as CI provides it).

Without Redis, jobs run in-process at once (every other test relies on that); with
``REDIS_URL`` they are queued in Redis and run by the worker, and sign-in limits are counted
in Redis so that every gunicorn worker sees the same count.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tenants import jobs


def _redis_database() -> int:
    """Database 15, 14, ... per parallel test process (pytest-xdist's gw0, gw1, ...): the
    tests flush it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return 15 - int(worker.removeprefix("gw") or 0)


REDIS_URL = f"redis://127.0.0.1:6379/{_redis_database()}"


@pytest.fixture
def redis_db() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()  # CI provides Redis; a missing server fails loudly, never skips
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def restore_jobs() -> Iterator[None]:
    """The Huey instance is module-level: put the in-process mode back for the other tests."""
    saved = (jobs.huey.storage_class, dict(jobs.huey.storage_kwargs))
    try:
        yield
    finally:
        jobs.huey.storage_class, jobs.huey.storage_kwargs = saved
        jobs.huey.immediate = True


def test_without_redis_jobs_run_at_once(app):
    assert jobs.huey.immediate is True


def test_with_redis_a_job_is_queued_then_run_by_the_worker(fresh_app, redis_db, restore_jobs,
                                                          tmp_path: Path):
    from tenants.mail import deliver

    application = fresh_app(REDIS_URL=REDIS_URL, MAIL_FILE_DIR=str(tmp_path / "mail"))
    assert jobs.huey.immediate is False
    with application.app_context():
        deliver("someone@example.com", "queued", "body")
    assert jobs.huey.pending_count() == 1
    assert not list((tmp_path / "mail").glob("*.eml")), "must not run before the worker"
    assert any(b"huey" in key for key in redis_db.keys("*"))

    task = jobs.huey.dequeue()  # what the consumer does for each message
    assert task is not None
    with application.app_context():
        jobs.huey.execute(task)
    [message] = list((tmp_path / "mail").glob("*.eml"))
    assert b"queued" in message.read_bytes()


def _failed_sign_in(application, email: str):
    client = application.test_client()  # a fresh client each time: no shared cookies
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    return client.post("/login", data={"email": email, "password": "wrong-pass",
                                       "csrf_token": token})


def test_sign_in_slow_down_is_counted_in_redis_and_shared_by_two_app_instances(
        app, fresh_app, redis_db, restore_jobs):
    """Two app instances on one Redis stand for two gunicorn workers: the account's
    failures on either count towards one slow-down."""
    settings = {"REDIS_URL": REDIS_URL, "LOGIN_ACCOUNT_FREE_FAILURES": 3,
                "LOGIN_LIMIT_PER_IP": "100 per minute"}
    first, second = fresh_app(join=True, **settings), fresh_app(join=True, **settings)
    email = f"nobody-{uuid.uuid4().hex[:6]}@example.com"
    responses = [_failed_sign_in(first if n % 2 == 0 else second, email) for n in range(4)]
    assert [r.status_code for r in responses] == [401, 401, 401, 429]
    assert [r.headers.get("Retry-After") for r in responses] == [None, None, "2", "2"]
    keys = [key.decode() for key in redis_db.keys("*login-account*")]
    assert keys and not any(email in key for key in keys)  # a digest, not the address
    # The database is not where these counts live when Redis is configured.
    from sqlmodel import select

    from tenants.extensions import db
    from tenants.models import LoginThrottle

    with first.app_context():
        assert db.session.exec(select(LoginThrottle)).all() == []

    for key in redis_db.keys("*:blocked"):  # as if the wait had passed
        redis_db.delete(key)
    assert _failed_sign_in(second, email).headers.get("Retry-After") == "4"  # fourth failure


def test_sign_in_limits_per_ip_are_counted_in_redis(app, fresh_app, redis_db, restore_jobs):
    settings = {"REDIS_URL": REDIS_URL, "LOGIN_LIMIT_PER_IP": "3 per minute"}
    first, second = fresh_app(join=True, **settings), fresh_app(join=True, **settings)
    statuses = [_failed_sign_in(first if n % 2 == 0 else second,
                                f"user{n}-{uuid.uuid4().hex[:6]}@example.com").status_code
                for n in range(4)]
    assert statuses == [401, 401, 401, 429]
