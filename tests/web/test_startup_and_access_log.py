"""What the app checks when it starts (a secret key of its own, shared sign-in limits when
several workers run) and an access log that times the whole request."""

from __future__ import annotations

import logging
import stat
import sys
import threading
import time
from pathlib import Path

import pytest

from app import ConfigurationError, create_app, instance_secret_key, web_worker_count
from tenants.config import INSECURE_DEFAULT_SECRET
from tenants.db import after_commit
from tests.conftest import app_config
from tests.integration.test_jobs_and_redis import REDIS_URL


# -- the secret key -------------------------------------------------------------------------
def test_the_secret_key_file_is_made_once_private_and_reused(tmp_path: Path):
    first = instance_secret_key(str(tmp_path))
    path = tmp_path / "secret_key"
    assert len(first) >= 32 and first != INSECURE_DEFAULT_SECRET
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert instance_secret_key(str(tmp_path)) == first  # reused, not replaced
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary left over


def test_two_workers_starting_at_once_get_the_same_key(tmp_path: Path):
    keys: list[str] = []
    barrier = threading.Barrier(8)

    def start() -> None:
        barrier.wait()
        keys.append(instance_secret_key(str(tmp_path)))

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8 and len(set(keys)) == 1


def test_a_damaged_key_file_is_refused(tmp_path: Path):
    (tmp_path / "secret_key").write_text("short")
    with pytest.raises(ConfigurationError, match="secret key"):
        instance_secret_key(str(tmp_path))


@pytest.mark.parametrize("configured", [None, INSECURE_DEFAULT_SECRET])
def test_outside_production_the_app_signs_with_its_instance_key(fresh_app, configured):
    application = fresh_app(SECRET_KEY=configured)
    key = application.config["SECRET_KEY"]
    assert key != INSECURE_DEFAULT_SECRET and len(key) >= 32
    assert Path(application.instance_path, "secret_key").read_text().strip() == key
    assert fresh_app(SECRET_KEY=configured).config["SECRET_KEY"] == key  # the same next time


def test_a_configured_secret_key_is_used_as_it_is(fresh_app):
    assert fresh_app(SECRET_KEY="k" * 40).config["SECRET_KEY"] == "k" * 40


# -- worker count and shared limits ------------------------------------------------------------
@pytest.mark.parametrize("argv, cmd_args, concurrency, expected", [
    (["gunicorn", "--workers", "4", "app:create_app()"], "", "", 4),
    (["gunicorn", "-w", "3", "app:create_app()"], "", "", 3),
    (["gunicorn", "--workers=2", "app:create_app()"], "", "", 2),
    (["gunicorn", "-w2", "app:create_app()"], "", "", 2),
    (["gunicorn", "app:create_app()"], "--workers 5", "", 5),
    (["gunicorn", "app:create_app()"], "", "6", 6),
    (["flask", "run"], "", "", 1),
    (["gunicorn", "--workers", "1", "app:create_app()"], "", "", 1),
])
def test_the_worker_count_is_read_from_gunicorn_and_web_concurrency(
        monkeypatch, argv, cmd_args, concurrency, expected):
    monkeypatch.setattr(sys, "argv", argv)
    monkeypatch.setenv("GUNICORN_CMD_ARGS", cmd_args)
    monkeypatch.setenv("WEB_CONCURRENCY", concurrency)
    assert web_worker_count() == expected
    assert web_worker_count(7) == 7  # WEB_WORKERS, when configured, decides


def test_production_refuses_memory_limits_with_more_than_one_worker(database, tmp_path):
    config = app_config(database, tmp_path, ENV="production", TESTING=False,
                        SECRET_KEY="p" * 40, WEB_WORKERS=2)
    with pytest.raises(ConfigurationError, match="CHAINGAUGE_REDIS_URL"):
        create_app(config)


def test_gunicorn_with_two_workers_and_memory_limits_is_refused(database, tmp_path,
                                                                monkeypatch):
    monkeypatch.setattr(sys, "argv", ["gunicorn", "-w", "2", "app:create_app()"])
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    config = app_config(database, tmp_path, ENV="production", TESTING=False,
                        SECRET_KEY="p" * 40)
    with pytest.raises(ConfigurationError, match="2 web workers"):
        create_app(config)


def test_one_worker_or_development_may_keep_limits_in_memory(fresh_app, monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    production = fresh_app(ENV="production", TESTING=False, SECRET_KEY="p" * 40, WEB_WORKERS=1)
    assert production.config["RATELIMIT_STORAGE_URI"] == "memory://"
    development = fresh_app(ENV="development", WEB_WORKERS=4)
    assert development.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_shared_storage_allows_several_workers(fresh_app, restore_jobs):
    shared = fresh_app(ENV="production", TESTING=False, SECRET_KEY="p" * 40, WEB_WORKERS=4,
                       REDIS_URL=REDIS_URL)
    assert shared.config["RATELIMIT_STORAGE_URI"].startswith("redis://")


@pytest.fixture
def restore_jobs():
    from tenants import jobs

    saved = (jobs.huey.storage_class, dict(jobs.huey.storage_kwargs), jobs.huey.immediate)
    yield
    jobs.huey.storage_class, jobs.huey.storage_kwargs, jobs.huey.immediate = saved


# -- the access log ------------------------------------------------------------------------------
class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_the_access_log_times_the_whole_request_including_after_commit_work(fresh_app):
    application = fresh_app()

    @application.route("/slow-after-commit")
    def slow_after_commit() -> str:
        after_commit(lambda: time.sleep(0.4))  # as an e-mail or an in-process job would
        return "ok"

    records = _Records()
    access = logging.getLogger("chaingauge.access")
    access.addHandler(records)
    try:
        started = time.perf_counter()
        response = application.test_client().get("/slow-after-commit")
        elapsed_ms = (time.perf_counter() - started) * 1000
        assert response.status_code == 200
        response.close()  # the server closes the response: the line is written then
    finally:
        access.removeHandler(records)
    [record] = [r for r in records.records if getattr(r, "path", "") == "/slow-after-commit"]
    assert record.status == 200 and record.method == "GET"  # type: ignore[attr-defined]
    assert 400 <= record.duration_ms <= elapsed_ms + 50  # type: ignore[attr-defined]
    assert record.request_id == response.headers["X-Request-ID"]  # type: ignore[attr-defined]


def test_the_access_log_records_error_statuses_and_skips_static_files(fresh_app):
    application = fresh_app()
    records = _Records()
    access = logging.getLogger("chaingauge.access")
    access.addHandler(records)
    try:
        client = application.test_client()
        client.get("/no-such-page").close()
        client.get("/static/favicon.svg").close()
    finally:
        access.removeHandler(records)
    assert [(r.path, r.status) for r in records.records] == [  # type: ignore[attr-defined]
        ("/no-such-page", 404)]

