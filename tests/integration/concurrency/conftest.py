"""Real parallel writers: data committed to the test database (not the rolled-back test
connection of tests/conftest.py), threads that each open their own connection, session and
app context, and a purge of everything committed once the test is over.

These tests must not use the ``app`` fixture: on SQLite its rolled-back outer transaction
begins IMMEDIATE and would hold the write lock for the whole test.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import app_config
from tests.databases import TestDatabase, admin_url

T = TypeVar("T")
YEAR = 2011  # a reporting year no other test uses: its benchmark snapshots are purged too


@dataclass
class Committed:
    """An app whose sessions commit for real, and what it created (to purge afterwards)."""

    app: Flask
    tenant_ids: list[uuid.UUID] = field(default_factory=list)
    user_ids: list[uuid.UUID] = field(default_factory=list)

    def user(self, **kwargs: Any) -> Any:
        from tests import factories

        user = factories.make_user(self.app, **kwargs)
        self.user_ids.append(user.id)
        return user

    def enterprise(self, colleague: Any = None, answers: dict[str, Any] | None = None,
                   ) -> tuple[Any, Any, Any]:
        """An enterprise with a profile and a draft of ``YEAR`` holding ``answers``, its
        owner and (optionally) an administrator: (tenant, assessment, owner)."""
        from tenants.models import Role
        from tests import factories
        from tests.integration.assessment_review.factories import make_assessment

        owner = self.user(name="Owner")
        members = [(colleague, Role.admin)] if colleague is not None else []
        tenant = factories.make_tenant(self.app, owner=owner, members=members)
        self.tenant_ids.append(tenant.id)
        assessment = make_assessment(self.app, tenant, YEAR, answers or {})
        return tenant, assessment, owner

    @contextmanager
    def acting(self, tenant: Any, user: Any) -> Iterator[tuple[Any, Any]]:
        """(user, membership) in a request context of ``tenant`` with its own session (its
        own app context, even inside another one); the block commits or rolls back."""
        from tenants import queries as platform_queries
        from tenants.context import set_tenant
        from tenants.extensions import db
        from tenants.models import User

        with self.app.app_context(), self.app.test_request_context():
            set_tenant(db.session, tenant.id)
            actor = db.session.get(User, user.id)
            membership = platform_queries.membership(tenant.id, user.id)
            assert actor is not None and membership is not None
            yield actor, membership

    def client(self, user: Any) -> FlaskClient:
        """A signed-in browser of ``user``, speaking English."""
        from tests import factories

        client = self.app.test_client()
        response = factories.sign_in(client, user)
        assert response.status_code in (302, 303), "sign-in failed"
        return client

    def read(self, model: type, *criteria: Any) -> list[Any]:
        from tests.factories import fetch

        return fetch(self.app, model, *criteria)


@pytest.fixture
def committed(database: TestDatabase, tmp_path: Path) -> Iterator[Committed]:
    from app import create_app
    from tenants import jobs
    from tenants.cli import upgrade
    from tenants.extensions import db

    saved_jobs = dict(jobs._flask_app)
    application = create_app(app_config(database, tmp_path / "mail"))
    upgrade(application)  # a no-op when the session's app fixture has migrated already
    data = Committed(application)
    try:
        yield data
    finally:
        jobs.wait_for_background_jobs()  # a benchmark refresh queued by a finalisation
        db.engine_for(application).dispose()
        jobs._flask_app.clear()
        jobs._flask_app.update(saved_jobs)
        purge(database, data.tenant_ids, data.user_ids)


def purge(database: TestDatabase, tenant_ids: list[uuid.UUID],
          user_ids: list[uuid.UUID]) -> None:
    """Delete every row of these tenants and users, children first, as a role that row-level
    security does not filter (the superuser on PostgreSQL)."""
    url = sa.make_url(database.owner_url)
    if database.backend == "postgresql":
        admin = sa.make_url(admin_url())
        url = url.set(username=admin.username or "postgres", password=admin.password)
    engine = sa.create_engine(url)
    tenants = [str(t) if database.backend == "postgresql" else t.hex for t in tenant_ids]
    users = [str(u) if database.backend == "postgresql" else u.hex for u in user_ids]
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        with engine.begin() as connection:
            for table in reversed(metadata.sorted_tables):
                conditions = _owned_by(table, tenants, users)
                if conditions:
                    connection.execute(table.delete().where(sa.or_(*conditions)))
    finally:
        engine.dispose()


def _owned_by(table: sa.Table, tenants: list[str], users: list[str]) -> list[Any]:
    if table.name in ("benchmark_snapshot", "benchmark_stale_mark", "benchmark_refresh"):
        return [table.c.year == YEAR]
    if table.name == "tenant":
        return [table.c.id.in_(tenants)]
    if table.name == "app_user":
        return [table.c.id.in_(users)]
    conditions = []
    for column in table.columns:
        targets = {fk.column.table.name for fk in column.foreign_keys}
        if column.name == "tenant_id" or "tenant" in targets:
            conditions.append(sa.cast(column, sa.String).in_(tenants))
        if "app_user" in targets:
            conditions.append(sa.cast(column, sa.String).in_(users))
    return conditions


def race(*writers: Callable[[], T], timeout: float = 60) -> list[T | BaseException]:
    """Run every writer in its own thread, released together by a barrier; what each
    returned or raised, in order."""
    start = threading.Barrier(len(writers), timeout=timeout)
    outcomes: list[Any] = [None] * len(writers)

    def run(index: int, writer: Callable[[], T]) -> None:
        try:
            start.wait()
            outcomes[index] = writer()
        except BaseException as error:  # collected: the test reports every outcome
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i, w), daemon=True)
               for i, w in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    return outcomes
