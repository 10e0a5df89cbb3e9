"""The tenant a unit of work acts for, and the two guards that keep it inside that tenant.

Guard 1 (every backend): an ORM-level filter. Every SELECT through the session on a
``TenantScoped`` model gets ``tenant_id = <current tenant>``; a query on such a model with no
tenant set raises instead of silently returning everything; a new tenant-scoped row is
stamped with the current tenant and may not name another.

Guard 2 (PostgreSQL): row-level security created by the migrations, keyed on the
transaction-local setting ``app.tenant_id``. It is set per transaction (``set_config(...,
true)``) in an ``after_begin`` listener: a session-level setting would survive in the pool
and leak into the next request.

Cross-tenant work (benchmarks over opted-in data, webhooks, token look-ups, the CLI) runs in
an explicit, logged :func:`system_scope`.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import uuid
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlmodel import SQLModel

from tenants.types import TenantScoped

log = logging.getLogger("chaingauge.system_scope")

_TENANT = "tenant_id"
_SYSTEM = "system_scope"


class TenantContextMissing(RuntimeError):
    """A tenant-scoped table was queried with no tenant set and outside a system scope."""


class CrossTenantWrite(RuntimeError):
    """A row was about to be written into a tenant other than the current one."""


def current_tenant_id(session: Session) -> uuid.UUID | None:
    return session.info.get(_TENANT)


def in_system_scope(session: Session) -> bool:
    return bool(session.info.get(_SYSTEM))


def set_tenant(session: Session, tenant_id: uuid.UUID | None) -> None:
    """Make ``tenant_id`` the tenant of ``session`` from now on (None clears it)."""
    session.info[_TENANT] = tenant_id
    if session.in_transaction():
        _apply_database_setting(session, session.connection())


@contextlib.contextmanager
def system_scope(session: Session, reason: str) -> Iterator[Session]:
    """Lift both guards for the duration of the block, and say so in the log.

    On PostgreSQL the block switches the transaction to the configured system role, which
    has BYPASSRLS; the app role itself never bypasses row-level security.
    """
    if in_system_scope(session):
        yield session
        return
    log.info("entering system scope", extra={"reason": reason})
    session.info[_SYSTEM] = True
    role = session.info.get("system_role")
    try:
        if role and session.get_bind().dialect.name == "postgresql":
            session.execute(text(f'SET LOCAL ROLE "{role}"'))
        yield session
    finally:
        session.info[_SYSTEM] = False
        if role and session.get_bind().dialect.name == "postgresql" and session.in_transaction():
            session.execute(text("RESET ROLE"))


def _apply_database_setting(session: Session, connection: Any) -> None:
    if connection.dialect.name != "postgresql":
        return
    tenant_id = session.info.get(_TENANT)
    connection.execute(
        text("SELECT set_config('app.tenant_id', :tenant_id, true)"),
        {"tenant_id": str(tenant_id) if tenant_id else ""},
    )


@event.listens_for(Session, "after_begin")
def _set_tenant_for_transaction(session: Session, _transaction: Any, connection: Any) -> None:
    # The setting is transaction-local, so a new transaction starts without a tenant: only a
    # tenant already chosen needs a round trip (set_tenant sets it later otherwise).
    if session.info.get(_TENANT) is not None:
        _apply_database_setting(session, connection)


def _touches_tenant_scoped(state: ORMExecuteState) -> bool:
    return any(issubclass(mapper.class_, TenantScoped) for mapper in state.all_mappers)


@event.listens_for(Session, "do_orm_execute")
def _filter_by_tenant(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        return  # the parent statement was already filtered
    session = state.session
    if in_system_scope(session):
        return
    tenant_id = current_tenant_id(session)
    if tenant_id is None:
        if _touches_tenant_scoped(state):
            raise TenantContextMissing(
                "tenant-scoped query with no tenant set; set one or use system_scope()"
            )
        return
    state.statement = state.statement.options(
        *_tenant_criteria(tenant_id, _tenant_scoped_classes())
    )


@functools.lru_cache(maxsize=4096)
def _tenant_criteria(tenant_id: uuid.UUID, classes: tuple[type[TenantScoped], ...]
                     ) -> tuple[Any, ...]:
    """One loader criterion per tenant-scoped class, built once per tenant: building them
    anew for every statement cost a few milliseconds of each request. The options are
    immutable and the lambda's only free variable is this tenant's id, so sharing them
    between statements, sessions and threads is safe."""
    return tuple(
        with_loader_criteria(cls, lambda c: c.tenant_id == tenant_id, include_aliases=True)
        for cls in classes
    )


_scoped_cache: dict[int, tuple[type[TenantScoped], ...]] = {}


def _tenant_scoped_classes() -> tuple[type[TenantScoped], ...]:
    """Every mapped TenantScoped class (SQLModel's base itself is not mapped, so criteria
    must name the concrete classes). Cached per registry size: models register at import."""
    mappers = SQLModel._sa_registry.mappers
    cached = _scoped_cache.get(len(mappers))
    if cached is None:
        cached = tuple(
            m.class_ for m in mappers if issubclass(m.class_, TenantScoped)
        )
        _scoped_cache.clear()
        _scoped_cache[len(mappers)] = cached
    return cached


@event.listens_for(Session, "before_flush")
def _stamp_new_rows(session: Session, _context: Any, _instances: Any) -> None:
    if in_system_scope(session):
        return
    tenant_id = current_tenant_id(session)
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, TenantScoped):
            continue
        if obj.tenant_id is None:
            if tenant_id is None:
                raise TenantContextMissing(f"new {type(obj).__name__} with no tenant set")
            obj.tenant_id = tenant_id
        elif tenant_id is not None and obj.tenant_id != tenant_id:
            raise CrossTenantWrite(f"{type(obj).__name__} belongs to another tenant")
        elif tenant_id is None:
            raise TenantContextMissing(f"{type(obj).__name__} written with no tenant set")
