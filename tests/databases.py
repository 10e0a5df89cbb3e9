"""Test databases: an SQLite file, and (when a server answers) a PostgreSQL database with
the same roles as production: an owner that runs migrations and an app role that is neither
owner nor superuser nor able to become a role that bypasses row-level security.

The roles carry a "2": before migration 0010 the app role was a member of a BYPASSRLS system
role (``chaingauge_test_app``, ``chaingauge_test_system``); older checkouts may still run
against the same server with those, so they are left exactly as they are. A BYPASSRLS role
(``BYPASS_ROLE``) does exist here, as one may in production for maintenance: the isolation
tests check that the app role cannot switch to it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
OWNER_ROLE = "chaingauge_test_owner2"
APP_ROLE = "chaingauge_test_app2"
BYPASS_ROLE = "chaingauge_test_system2"
ROLE_SETUP_LOCK = 0x6367_7465_7374  # "cgtest": the advisory lock around role set-up


@dataclass(frozen=True)
class TestDatabase:
    backend: str
    app_url: str
    owner_url: str
    system_role: str | None  # none since migration 0010: the system scope is signed


def admin_url() -> str:
    return os.environ.get("CHAINGAUGE_TEST_DATABASE_URL", DEFAULT_ADMIN_URL)


def postgres_answers() -> bool:
    try:
        with psycopg.connect(admin_url(), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def sqlite_database(directory: Path) -> Iterator[TestDatabase]:
    url = f"sqlite:///{directory / 'chaingauge-test.db'}"
    yield TestDatabase("sqlite", url, url, None)


def _ensure_role(cur: psycopg.Cursor, name: str, attributes: str) -> None:
    cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,))
    if cur.fetchone() is None:
        cur.execute(sql.SQL("CREATE ROLE {} " + attributes).format(sql.Identifier(name)))
    else:
        cur.execute(sql.SQL("ALTER ROLE {} " + attributes).format(sql.Identifier(name)))


def postgres_database() -> Iterator[TestDatabase]:
    admin = admin_url()
    name = f"chaingauge_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(admin, autocommit=True) as conn, conn.cursor() as cur:
        # Roles are shared by the whole server: runs that start at once (several checkouts,
        # or pytest-xdist workers) would race on CREATE/ALTER ROLE ("tuple concurrently
        # updated"); a session-level advisory lock lets one at a time set them up.
        cur.execute("SELECT pg_advisory_lock(%s)", (ROLE_SETUP_LOCK,))
        try:
            _ensure_role(cur, OWNER_ROLE, "LOGIN NOSUPERUSER NOBYPASSRLS")
            _ensure_role(cur, BYPASS_ROLE, "NOLOGIN NOSUPERUSER BYPASSRLS")
            _ensure_role(cur, APP_ROLE,
                         "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE")
        finally:
            cur.execute("SELECT pg_advisory_unlock(%s)", (ROLE_SETUP_LOCK,))
        cur.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name),
                                                                   sql.Identifier(OWNER_ROLE)))
    base = psycopg.conninfo.conninfo_to_dict(admin)
    host, port = base.get("host", "127.0.0.1"), base.get("port", "5432")
    with psycopg.connect(host=host, port=port, dbname=name, user=base.get("user", "postgres"),
                         autocommit=True) as conn:
        # PostgreSQL 15 no longer lets every role create in public; the owner needs it.
        conn.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(OWNER_ROLE)))
    try:
        yield TestDatabase(
            "postgresql",
            f"postgresql+psycopg://{APP_ROLE}@{host}:{port}/{name}",
            f"postgresql+psycopg://{OWNER_ROLE}@{host}:{port}/{name}",
            None,
        )
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
