"""Fixtures shared by the integration, web and browser tests.

Every test that uses the database runs on SQLite, and again on PostgreSQL when a server
answers (with CI=true it must). Each test runs inside one outer transaction that is rolled
back at its end; the app's sessions join it through savepoints.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from email import message_from_bytes
from email import policy as email_policy
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from tests.databases import TestDatabase, postgres_answers, postgres_database, sqlite_database

ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")  # a real part missing fails
_POSTGRES = postgres_answers()
if ON_CI and not _POSTGRES:
    raise pytest.UsageError(
        "CI=true requires PostgreSQL on 127.0.0.1:5432 (or CHAINGAUGE_TEST_DATABASE_URL); "
        "it did not answer"
    )
BACKENDS = ["sqlite", *(["postgresql"] if _POSTGRES else [])]


@pytest.fixture(scope="session", params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[TestDatabase]:
    if request.param == "sqlite":
        yield from sqlite_database(tmp_path_factory.mktemp("sqlite"))
    else:
        yield from postgres_database()


def app_config(database: TestDatabase, mail_dir: Path, **overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
        "DATABASE_URL": database.app_url,
        "MIGRATION_DATABASE_URL": database.owner_url,
        "DATABASE_SYSTEM_ROLE": database.system_role,
        "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": str(mail_dir),
        "SERVER_NAME": "localhost",
        "LOG_JSON": False,
        "REDIS_URL": None,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def app(database: TestDatabase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from app import create_app
    from tenants.cli import upgrade

    mail_dir = tmp_path_factory.mktemp("mail")
    application = create_app(app_config(database, mail_dir))
    upgrade(application)
    application.config["TEST_DATABASE"] = database
    yield application
    from tenants.extensions import db

    db.engine_for(application).dispose()


# One argon2id hash with the product's parameters costs about half a CPU-second (64 MiB,
# 3 passes, 4 lanes); the suite creates and signs in over a thousand users. Tests outside
# tests/unit hash at a tiny cost instead; argon2id still, verified the same way. The product's
# real parameters are checked in tests/unit/tenants, which this never reaches.
_CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
_CHEAP_DUMMY_HASH = _CHEAP_HASHER.hash("not-a-real-password")
_UNIT_TESTS = Path(__file__).resolve().parent / "unit"


@pytest.fixture(autouse=True)
def _cheap_password_hashing(request: pytest.FixtureRequest,
                            monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Function-scoped on purpose: a session-scoped patch would outlive these tests and leak
    # into the unit tests that check the product's real parameters.
    if _UNIT_TESTS in request.node.path.parents:
        yield
        return
    from tenants import security

    monkeypatch.setattr(security, "_hasher", _CHEAP_HASHER)
    monkeypatch.setattr(security, "_DUMMY_HASH", _CHEAP_DUMMY_HASH)
    yield


@pytest.fixture(autouse=True)
def _rolled_back(request: pytest.FixtureRequest) -> Iterator[None]:
    """Wrap every database test in a transaction that is rolled back afterwards."""
    if "app" not in request.fixturenames:
        yield
        return
    app: Flask = request.getfixturevalue("app")
    from tenants.extensions import db, limiter

    connection = db.engine_for(app).connect()
    transaction = connection.begin()
    db.bind_to_connection(app, connection)
    limiter.reset()
    _clear_mail(app)
    try:
        yield
    finally:
        db.bind_to_connection(app, None)
        transaction.rollback()
        connection.close()


def _clear_mail(app: Flask) -> None:
    directory = Path(app.config["MAIL_FILE_DIR"])
    for path in directory.glob("*.eml"):
        path.unlink()


@pytest.fixture
def outbox(app: Flask) -> Any:
    """The messages sent so far in this test, oldest first."""

    def read() -> list[Message]:
        directory = Path(app.config["MAIL_FILE_DIR"])
        paths = sorted(directory.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
        # the modern policy decodes headers: a Chinese subject reads as Chinese
        return [message_from_bytes(p.read_bytes(), policy=email_policy.default) for p in paths]

    return read


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def backend(app: Flask) -> str:
    return str(app.config["TEST_DATABASE"].backend)


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, page: str = "/login") -> str:
    response = client.get(page)
    if page == "/login" and response.status_code == 302:
        response = client.get("/switch")  # signed in: /login redirects; this page has a token
    html = response.get_data(as_text=True)
    match = _CSRF.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def mail_links(message: Message) -> list[str]:
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    return re.findall(r"https?://\S+", body.decode())


# -- factories as fixtures ---------------------------------------------------------------
@pytest.fixture
def make_user(app: Flask) -> Any:
    from tests import factories

    return lambda *a, **kw: factories.make_user(app, *a, **kw)


@pytest.fixture
def make_tenant(app: Flask) -> Any:
    from tests import factories

    return lambda *a, **kw: factories.make_tenant(app, *a, **kw)


@pytest.fixture
def make_link(app: Flask) -> Any:
    from tests import factories

    return lambda *a, **kw: factories.make_link(app, *a, **kw)


@pytest.fixture
def add_member(app: Flask) -> Any:
    from tests import factories

    return lambda *a, **kw: factories.add_member(app, *a, **kw)


@pytest.fixture
def sign_in(client: FlaskClient) -> Any:
    from tests import factories

    return lambda user, *a, **kw: factories.sign_in(client, user, *a, **kw)


@pytest.fixture
def post(client: FlaskClient) -> Any:
    """POST a form with a valid CSRF token, as a browser would after loading the page."""

    def do_post(url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        token = csrf_token(client, "/login")
        return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)

    return do_post


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgres`` exercise PostgreSQL-only machinery (row-level security):
    their SQLite variants are deselected rather than skipped, since there is nothing to run."""
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_sqlite = callspec is not None and callspec.params.get("database") == "sqlite"
        (drop if on_sqlite and item.get_closest_marker("postgres") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


# -- added for the web journeys (tests/web) ----------------------------------------------
@pytest.fixture
def make_invitation(app: Flask) -> Any:
    from tests import factories

    return lambda *a, **kw: factories.make_invitation(app, *a, **kw)


@pytest.fixture
def fetch(app: Flask) -> Any:
    from tests import factories

    return lambda *a, **kw: factories.fetch(app, *a, **kw)


@pytest.fixture
def audit_actions(app: Flask) -> Any:
    from tests import factories

    return lambda *a, **kw: factories.audit_actions(app, *a, **kw)


@pytest.fixture
def other_client(app: Flask) -> FlaskClient:
    """A second browser, with its own cookies."""
    return app.test_client()


@pytest.fixture
def fresh_app(database: TestDatabase, tmp_path: Path, request: pytest.FixtureRequest
              ) -> Iterator[Any]:
    """Build extra app instances (production config, a broken database, a test-only route).

    Each app has its own engine (``tenants.db`` keeps state per app); ``create_app`` still
    re-binds the limiter's storage and the jobs' app, which are put back afterwards so that
    the shared ``app`` keeps working. ``build(join=True)`` makes the extra app join the
    test's rolled-back transaction (the test must use the ``app`` fixture); otherwise use
    it only for requests that write nothing.
    """
    from app import create_app
    from tenants import jobs
    from tenants.extensions import db

    saved_jobs = dict(jobs._flask_app)
    engines: list[Any] = []

    def build(join: bool = False, **overrides: Any) -> Flask:
        application = create_app(app_config(database, tmp_path / "mail", **overrides))
        engines.append(db.engine_for(application))
        if join:
            shared = request.getfixturevalue("app")
            db.bind_to_connection(application, db._state(shared).test_connection)
        return application

    try:
        yield build
    finally:
        for engine in engines:
            engine.dispose()
        jobs._flask_app.clear()
        jobs._flask_app.update(saved_jobs)


@pytest.fixture
def listener() -> Iterator[tuple[int, list[Any]]]:
    """A loopback port that records every connection made to it: proof that something
    (a PDF renderer following a hostile URL, say) fetched nothing."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    connections: list[Any] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            connections.append(conn)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join(timeout=2)
    server.close()


# -- shared by several test packages -----------------------------------------------------
@pytest.fixture
def in_tenant(app: Flask) -> Any:
    """Run ``fn`` in a request context acting for ``tenant``; what it wrote is rolled back."""

    def run(tenant: Any, fn: Any) -> Any:
        from tenants.context import set_tenant
        from tenants.extensions import db

        with app.test_request_context():
            set_tenant(db.session, tenant.id)
            try:
                return fn()
            finally:
                db.rollback()

    return run


@pytest.fixture
def make_enterprise(app: Flask, make_tenant: Any) -> Any:
    """An enterprise with an owner and a profile (C36, Fujian), as the results tests use."""
    from tests.factories import assessments as factories

    def build(**kwargs: Any) -> Any:
        tenant = make_tenant("enterprise", **kwargs)
        factories.give_profile(app, tenant)
        return tenant

    return build
