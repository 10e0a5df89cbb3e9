"""Engine and session: one unit of work per request, committed in exactly one place.

Services change objects and flush; they never commit. The request (or CLI command, or job)
that called them commits once at its end through :func:`Database.commit_scope` or the
request hooks installed by :meth:`Database.init_app`. E-mails, jobs and Stripe calls that
must only happen if the data landed are registered with :func:`after_commit`.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, g, has_app_context
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, create_engine

from tenants.context import SCOPE_KEY, SHARED_TRANSACTION

log = logging.getLogger(__name__)

_SESSION_KEY = "_chaingauge_db_session"
_AFTER_COMMIT_KEY = "_chaingauge_after_commit"
_AFTER_ROLLBACK_KEY = "_chaingauge_after_rollback"
_KEEP_ON_ERROR_KEY = "_chaingauge_keep_on_error"


def _configure_sqlite(engine: Engine) -> None:
    """WAL and foreign keys, and transactions that pysqlite does not mangle.

    pysqlite opens transactions lazily and ignores SAVEPOINT semantics; taking BEGIN into our
    own hands (the recipe in SQLAlchemy's SQLite dialect docs) gives real transactions and
    savepoints, which the one-commit-per-request rule and the rolled-back tests rely on.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock at the start. With a deferred BEGIN, two requests
        # that both read and then write deadlock on the upgrade ("database is locked"),
        # which busy_timeout cannot resolve; this way the second one simply waits. SQLite
        # is the single-machine mode; PostgreSQL serves concurrent load.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def build_engine(url: str, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def database_scope_key(config: Any) -> bytes:
    """The key that signs a transaction's tenant scope on PostgreSQL (tenants.context).

    ``DATABASE_SCOPE_KEY`` if set, else derived from ``SECRET_KEY``, so that no new secret is
    needed; ``flask db upgrade`` installs it in the database, where the app role cannot read
    it. Change either and run ``flask db upgrade`` again before the app serves requests.
    """
    explicit = config.get("DATABASE_SCOPE_KEY")
    if explicit:
        return str(explicit).encode()
    secret = str(config.get("SECRET_KEY") or "").encode()
    return hmac.new(secret, b"chaingauge.database-scope", hashlib.sha256).digest()


@dataclass
class _AppDatabase:
    """What one app owns: its engine, its session factory, and (in tests) a bound connection."""

    engine: Engine
    sessionmaker: sessionmaker[Session]
    scope_key: bytes
    test_connection: Connection | None = None


class Database:
    """The Flask extension that owns each app's engine and hands out the request's session.

    State lives in ``app.extensions`` rather than on this object, so that several apps can
    run in one process (the test app and a live server for the browser tests).
    """

    def init_app(self, app: Flask) -> None:
        engine = build_engine(app.config["DATABASE_URL"])
        app.extensions["chaingauge_db"] = _AppDatabase(
            engine=engine,
            sessionmaker=sessionmaker(bind=engine, class_=Session, expire_on_commit=False),
            scope_key=database_scope_key(app.config),
        )
        app.after_request(self._commit_after_request)
        app.teardown_appcontext(self._remove_session)

    @staticmethod
    def _state(app: Flask | None = None) -> _AppDatabase:
        state = (app or current_app).extensions.get("chaingauge_db")
        if state is None:
            raise RuntimeError("Database.init_app() has not run for this app")
        return state

    # -- sessions -------------------------------------------------------------------------
    @property
    def session(self) -> Session:
        """The session of the current application context, created on first use."""
        session = g.get(_SESSION_KEY)
        if session is None:
            session = self.new_session()
            setattr(g, _SESSION_KEY, session)
        return session

    def new_session(self) -> Session:
        state = self._state()
        if state.test_connection is not None:
            # Tests run each case inside one outer transaction that is rolled back; every
            # session joins it through a savepoint so that "commits" stay inside it.
            session = state.sessionmaker(
                bind=state.test_connection, join_transaction_mode="create_savepoint"
            )
        else:
            session = state.sessionmaker()
        # tenants.context signs each transaction's scope with it on PostgreSQL
        session.info[SCOPE_KEY] = state.scope_key
        session.info[SHARED_TRANSACTION] = state.test_connection is not None
        return session

    @property
    def engine(self) -> Engine:
        """The current app's engine."""
        return self._state().engine

    def engine_for(self, app: Flask) -> Engine:
        return self._state(app).engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def bind_to_connection(self, app: Flask, connection: Connection | None) -> None:
        """Route every new session of ``app`` through ``connection`` (tests only)."""
        self._state(app).test_connection = connection

    # -- the unit of work ----------------------------------------------------------------
    def commit(self) -> None:
        """Commit the context's session, then run what waited for the commit."""
        session = g.get(_SESSION_KEY)
        if session is not None:
            session.commit()
        g.pop(_AFTER_ROLLBACK_KEY, None)  # committed: nothing to undo
        callbacks: list[Callable[[], None]] = g.pop(_AFTER_COMMIT_KEY, [])
        for callback in callbacks:
            try:
                callback()
            except Exception:  # a lost e-mail must not turn a saved change into a 500
                log.exception("after-commit callback failed")

    def rollback(self) -> None:
        session = g.get(_SESSION_KEY)
        if session is not None:
            session.rollback()
        g.pop(_AFTER_COMMIT_KEY, None)
        _undo_outside_the_database()

    @contextlib.contextmanager
    def commit_scope(self) -> Iterator[Session]:
        """For CLI commands and jobs: commit at the end, roll back on any exception."""
        try:
            yield self.session
        except BaseException:
            self.rollback()
            raise
        self.commit()

    def keep_on_error(self) -> None:
        """Commit this request's writes even though it answers with an error status.

        For the few refusals that must leave a trace, such as the audit event of a failed
        sign-in (answered 401); everything else that fails rolls back.
        """
        setattr(g, _KEEP_ON_ERROR_KEY, True)

    def _commit_after_request(self, response: Response) -> Response:
        # Error responses change nothing: a failed save or import must leave no trace.
        if response.status_code >= 400 and not g.pop(_KEEP_ON_ERROR_KEY, False):
            self.rollback()
        else:
            self.commit()
        return response

    def _remove_session(self, exc: BaseException | None) -> None:
        session = g.pop(_SESSION_KEY, None)
        g.pop(_AFTER_COMMIT_KEY, None)
        rolled_back = exc is not None
        if session is not None:
            if exc is not None or session.in_transaction():
                session.rollback()
                rolled_back = True
            session.close()
        if rolled_back:
            _undo_outside_the_database()
        g.pop(_AFTER_ROLLBACK_KEY, None)


db = Database()


def after_rollback(callback: Callable[[], None]) -> None:
    """Run ``callback`` if the current unit of work rolls back instead of committing: to undo
    what it did outside the database (a file it stored, say); dropped on commit."""
    if not has_app_context():
        raise RuntimeError("after_rollback() needs an application context")
    g.setdefault(_AFTER_ROLLBACK_KEY, []).append(callback)


def _undo_outside_the_database() -> None:
    for callback in g.pop(_AFTER_ROLLBACK_KEY, []):
        try:
            callback()
        except Exception:  # the rollback itself has happened; log what could not be undone
            log.exception("after-rollback callback failed")


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the current unit of work has committed; drop it on rollback."""
    if not has_app_context():
        raise RuntimeError("after_commit() needs an application context")
    g.setdefault(_AFTER_COMMIT_KEY, []).append(callback)
