"""The tenant a unit of work acts for, and the two guards that keep it inside that tenant.

Guard 1 (every backend): an ORM-level filter. Every SELECT, UPDATE and DELETE through the
session on a ``TenantScoped`` model gets ``tenant_id = <current tenant>``; any statement that
touches a tenant-scoped table (as an entity, a column, ``select_from``, a join, a subquery or
an INSERT) with no tenant set raises instead of silently reaching every tenant; a new
tenant-scoped row, flushed or inserted with ``insert()``, is stamped with the current tenant
and may not name another.

Guard 2 (PostgreSQL): row-level security created by the migrations. Its policies do not read a
setting the app role could change: they call ``app_scope_tenant()`` and ``app_current_user()``,
SECURITY DEFINER functions that trust only a scope recorded by
``app_set_scope(tenant, user, system, signature)`` in the same transaction. The signature is
an HMAC, keyed with the app's database scope key, of the backend's pid and the scope; the
database holds the same key where the app role cannot read it (migration 0010). An injected
statement does not know the key, so it can neither choose another tenant nor enter the
system scope, not even after ending the transaction and starting its own.

Cross-tenant work (benchmarks over opted-in data, webhooks, token look-ups, the CLI) runs in
an explicit, logged :func:`system_scope`: the same transaction, with the system flag in the
signed scope (policies let it through), so it sees the request's own uncommitted writes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import logging
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.selectable import TableClause
from sqlmodel import SQLModel

from tenants.types import TenantScoped

log = logging.getLogger("chaingauge.system_scope")

_TENANT = "tenant_id"
_USER = "user_id"
_SYSTEM = "system_scope"
# Set by tenants.db: the key that signs scopes, and whether the session joins a transaction
# shared with other sessions (the tests' rolled-back outer transaction).
SCOPE_KEY = "database_scope_key"
SHARED_TRANSACTION = "shared_transaction"
_BEGINS = "_scope_begins"


class TenantContextMissing(RuntimeError):
    """A tenant-scoped table was queried with no tenant set and outside a system scope."""


class CrossTenantWrite(RuntimeError):
    """A row was about to be written into a tenant other than the current one."""


def current_tenant_id(session: Session) -> uuid.UUID | None:
    return session.info.get(_TENANT)


def current_user_id(session: Session) -> uuid.UUID | None:
    return session.info.get(_USER)


def in_system_scope(session: Session) -> bool:
    return bool(session.info.get(_SYSTEM))


def set_tenant(session: Session, tenant_id: uuid.UUID | None) -> None:
    """Make ``tenant_id`` the tenant of ``session`` from now on (None clears it)."""
    session.info[_TENANT] = tenant_id
    _reapply(session)


def set_user(session: Session, user_id: uuid.UUID | None) -> None:
    """Record the signed-in user in the scope (None clears it).

    On PostgreSQL the user's own memberships are readable in any scope (the tenant switcher,
    the membership check before a tenant is chosen); everything else still needs the tenant.
    """
    session.info[_USER] = user_id
    _reapply(session)


@contextlib.contextmanager
def system_scope(session: Session, reason: str) -> Iterator[Session]:
    """Lift both guards for the duration of the block, and say so in the log.

    On PostgreSQL the block records the system flag in the transaction's signed scope; the
    policies let every row through while it is set. The app role itself never bypasses
    row-level security and cannot set the flag without the scope key.
    """
    if in_system_scope(session):
        yield session
        return
    log.info("entering system scope", extra={"reason": reason})
    session.info[_SYSTEM] = True
    try:
        _reapply(session)
        yield session
    except BaseException:
        session.info[_SYSTEM] = False
        # A failed statement aborts a PostgreSQL transaction: nothing runs until it rolls
        # back, and the rollback drops the flag with the rest of the transaction's scope.
        with contextlib.suppress(DBAPIError):
            _reapply(session)
        raise
    session.info[_SYSTEM] = False
    _reapply(session)


# -- the signed scope on PostgreSQL ------------------------------------------------------------
def scope_signature(key: bytes, backend_pid: int, scope: str) -> str:
    """What ``app_set_scope()`` checks: HMAC-SHA256 of the backend's pid and the scope."""
    return hmac.new(key, f"request|{backend_pid}|{scope}".encode(), hashlib.sha256).hexdigest()


def _scope_text(tenant_id: uuid.UUID | None, user_id: uuid.UUID | None, system: bool) -> str:
    # the same text app_set_scope() builds: uuid::text is lower-case and hyphenated, as str()
    return f"{tenant_id or ''}|{user_id or ''}|{'1' if system else '0'}"


def _backend_pid(connection: Connection) -> int:
    record = connection.connection
    pid = record.info.get("backend_pid")
    if pid is None:
        pid = int(connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())
        record.info["backend_pid"] = pid  # lives as long as the DBAPI connection
    return int(pid)


def _apply_scope(session: Session, connection: Connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    key = session.info.get(SCOPE_KEY)
    if not key:
        raise RuntimeError("no database scope key: tenants.db sets one for every session")
    tenant_id, user_id = current_tenant_id(session), current_user_id(session)
    system = in_system_scope(session)
    signature = scope_signature(key, _backend_pid(connection),
                                _scope_text(tenant_id, user_id, system))
    connection.execute(
        text("SELECT app_set_scope(CAST(:tenant AS uuid), CAST(:user AS uuid), :system, "
             ":signature)"),
        {"tenant": str(tenant_id) if tenant_id else None,
         "user": str(user_id) if user_id else None,
         "system": system, "signature": signature},
    )


def _reapply(session: Session) -> None:
    """Record the session's scope in its open transaction (a new one gets it at begin)."""
    if not session.in_transaction() or session.get_bind().dialect.name != "postgresql":
        return  # SQLite has no row-level security: the ORM filter is its guard
    begins = session.info.get(_BEGINS, 0)
    connection = session.connection()
    if session.info.get(_BEGINS, 0) == begins:  # not just begun: after_begin did not apply it
        _apply_scope(session, connection)


@event.listens_for(Session, "after_begin")
def _set_scope_for_transaction(session: Session, _transaction: Any, connection: Any) -> None:
    session.info[_BEGINS] = session.info.get(_BEGINS, 0) + 1
    # The scope is transaction-local, so a new transaction starts with none: only a scope
    # already chosen needs a round trip. A session that joins a shared transaction (tests)
    # always records its own, or it would inherit the previous session's.
    if (session.info.get(SHARED_TRANSACTION) or current_tenant_id(session) is not None
            or current_user_id(session) is not None or in_system_scope(session)):
        _apply_scope(session, connection)


# -- guard 1: the ORM filter -------------------------------------------------------------------
def _touched_tenant_tables(statement: Any) -> set[str]:
    """Names of the tenant-scoped tables anywhere in ``statement``: entities, columns,
    ``select_from``, joins, subqueries and the target of an INSERT, UPDATE or DELETE."""
    names = _tenant_scoped_table_names()
    return {element.name for element in visitors.iterate(statement)
            if isinstance(element, TableClause) and element.name in names}


@event.listens_for(Session, "do_orm_execute")
def _filter_by_tenant(state: ORMExecuteState) -> None:
    if state.is_column_load or state.is_relationship_load:
        return  # the parent statement was already filtered
    session = state.session
    if in_system_scope(session):
        return
    if state.is_insert:
        _stamp_insert(state)
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    tenant_id = current_tenant_id(session)
    if tenant_id is None:
        touched = _touched_tenant_tables(state.statement)
        if touched:
            raise TenantContextMissing(
                f"query on {', '.join(sorted(touched))} with no tenant set; set one or use "
                "system_scope()"
            )
        return
    state.statement = state.statement.options(
        *_tenant_criteria(tenant_id, _tenant_scoped_classes())
    )


def _stamp_insert(state: ORMExecuteState) -> None:
    """ORM ``insert()`` and bulk inserts: stamp rows with the current tenant, refuse others.

    The unit of work's flush is checked in ``before_flush``; these statements bypass it."""
    statement: Any = state.statement
    if statement.table.name not in _tenant_scoped_table_names():
        return
    tenant_id = current_tenant_id(state.session)
    name = statement.table.name
    if tenant_id is None:
        raise TenantContextMissing(f"insert into {name} with no tenant set")
    if statement.select is not None or statement._multi_values:
        raise CrossTenantWrite(f"{name}: rows inserted from a query or as several VALUES "
                               "rows cannot be checked; pass them as parameters")
    values = {getattr(k, "key", k): v for k, v in (statement._values or {}).items()}
    if "tenant_id" in values:
        named = values["tenant_id"]
        if not isinstance(named, BindParameter) or named.value != tenant_id:
            raise CrossTenantWrite(f"insert into {name} names another tenant")
    params = state.parameters
    rows: list[Any] = list(params) if isinstance(params, list | tuple) else (
        [params] if params else [])
    if not rows:
        if "tenant_id" not in values:
            state.statement = statement.values(tenant_id=tenant_id)
        return
    stamped = []
    for row in rows:
        if not isinstance(row, Mapping):
            raise CrossTenantWrite(f"insert into {name} with positional parameters")
        if "tenant_id" in row and row["tenant_id"] != tenant_id:
            raise CrossTenantWrite(f"insert into {name} names another tenant")
        stamped.append({**row, "tenant_id": tenant_id} if "tenant_id" not in values else row)
    state.parameters = stamped if isinstance(params, list | tuple) else stamped[0]


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


_scoped_cache: dict[int, tuple[tuple[type[TenantScoped], ...], frozenset[str]]] = {}


def _scoped(mappers: Any) -> tuple[tuple[type[TenantScoped], ...], frozenset[str]]:
    cached = _scoped_cache.get(len(mappers))
    if cached is None:
        classes = tuple(m.class_ for m in mappers if issubclass(m.class_, TenantScoped))
        names = frozenset(m.local_table.name for m in mappers
                          if issubclass(m.class_, TenantScoped))
        cached = (classes, names)
        _scoped_cache.clear()
        _scoped_cache[len(mappers)] = cached
    return cached


def _tenant_scoped_classes() -> tuple[type[TenantScoped], ...]:
    """Every mapped TenantScoped class (SQLModel's base itself is not mapped, so criteria
    must name the concrete classes). Cached per registry size: models register at import."""
    return _scoped(SQLModel._sa_registry.mappers)[0]


def _tenant_scoped_table_names() -> frozenset[str]:
    return _scoped(SQLModel._sa_registry.mappers)[1]


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
