"""Whose figures a benchmark may aggregate.

- The platform pool: every enterprise whose profile opts in to anonymised benchmarking
  (``EnterpriseProfile.benchmark_opt_in``). The figures carry a copy of it
  (``ResultFigure.opted_in``, rewritten in the transaction that changes the profile), which
  the statistics read from their own index rows, so opting out takes effect at once for
  live statistics without a semi-join on profiles.
- An association pool: the association's members whose accepted link grants ``scores``;
  a revoked (or narrowed) link removes the member from the very next query.

A pool only ever yields a SQL condition on ``tenant_id``: no tenant id or name leaves the
benchmark services.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from assessment.profiles.models import EnterpriseProfile
from tenants import queries as platform_queries
from tenants.models import LinkGrant


class Pool(Protocol):
    @property
    def key(self) -> str: ...

    def admits(self, tenant_id_column: sa.ColumnElement[uuid.UUID]) -> ColumnElement[bool]: ...

    def admits_figure(self, figure: sa.Table) -> ColumnElement[bool]:
        """The condition on a ``result_figure`` row (the statistics' fast path)."""


@dataclass(frozen=True)
class PlatformPool:
    key: str = "platform"

    def admits(self, tenant_id_column: sa.ColumnElement[uuid.UUID]) -> ColumnElement[bool]:
        profile = EnterpriseProfile.__table__  # type: ignore[attr-defined]
        opted_in = sa.select(profile.c.tenant_id).where(profile.c.benchmark_opt_in == sa.true())
        return tenant_id_column.in_(opted_in)

    def admits_figure(self, figure: sa.Table) -> ColumnElement[bool]:
        return figure.c.opted_in == sa.true()


@dataclass(frozen=True)
class AssociationPool:
    association_id: uuid.UUID

    @property
    def key(self) -> str:
        return f"association:{self.association_id}"

    def admits(self, tenant_id_column: sa.ColumnElement[uuid.UUID]) -> ColumnElement[bool]:
        members = platform_queries.linked_tenant_ids(self.association_id, LinkGrant.scores)
        return tenant_id_column.in_(members)

    def admits_figure(self, figure: sa.Table) -> ColumnElement[bool]:
        return self.admits(figure.c.tenant_id)

