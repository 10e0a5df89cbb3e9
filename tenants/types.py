"""Column types and small model helpers shared by every package's tables."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on every backend (SQLite stores them naive)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use tenants.types.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def timestamp_field(**kwargs: Any) -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, **kwargs)


def optional_timestamp_field(**kwargs: Any) -> Any:
    return Field(default=None, sa_type=UTCDateTime, **kwargs)


class TenantScoped(SQLModel):
    """Base of every tenant-owned table.

    The tenant comes first in the primary key (so that tenants can be distributed by it) and
    every row of a subclass is filtered by the current tenant at the ORM level
    (``tenants.context``) and, on PostgreSQL, by row-level security created by the
    migrations. Children reference parents by ``(tenant_id, id)``, so a row can never point
    into another tenant.
    """

    # Optional in the constructor: tenants.context stamps new rows with the current tenant.
    tenant_id: uuid.UUID = Field(default=None, foreign_key="tenant.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)


def tenant_scoped_tables() -> list[sa.Table]:
    """Every table whose rows belong to one tenant (for RLS DDL and the isolation tests)."""
    tables = []
    for mapper in SQLModel._sa_registry.mappers:
        table = mapper.local_table
        if issubclass(mapper.class_, TenantScoped) and isinstance(table, sa.Table):
            tables.append(table)
    return sorted(tables, key=lambda t: t.name)


def tenant_foreign_key(column: str, target_table: str) -> sa.ForeignKeyConstraint:
    """``(tenant_id, column)`` → ``target_table(tenant_id, id)``: a child can only point at a
    parent of its own tenant, which the database itself enforces."""
    return sa.ForeignKeyConstraint(
        ["tenant_id", column], [f"{target_table}.tenant_id", f"{target_table}.id"],
        ondelete="CASCADE",
    )
