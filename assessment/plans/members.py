"""What an association sees of its members' plans: counts only. Per member whose accepted
link grants ``scores``, the actions per status and how many are overdue, across the plans of
its finalised assessments; never an action's title, owner or comment."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from assessment.plans.models import ActionStatus, PlanAction
from assessment.plans.queries import OPEN
from tenants import queries as platform_queries
from tenants.context import system_scope
from tenants.db import db
from tenants.models import LinkGrant, Tenant


@dataclass(frozen=True)
class MemberProgress:
    enterprise_id: uuid.UUID
    name: str
    counts: dict[str, int]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def member_progress(association_id: uuid.UUID, on: date) -> list[MemberProgress]:
    """One row per member sharing scores (members without a plan show zeros)."""
    members = platform_queries.linked_tenant_ids(association_id, LinkGrant.scores)
    if not members:
        return []
    action = PlanAction.__table__  # type: ignore[attr-defined]
    tenant = Tenant.__table__  # type: ignore[attr-defined]
    overdue = sa.and_(action.c.due_date < on, action.c.status.in_([s.value for s in OPEN]))
    with system_scope(db.session, "association: members' plan progress"):
        names = dict(db.session.execute(
            sa.select(tenant.c.id, tenant.c.name).where(tenant.c.id.in_(members))).all())
        rows = db.session.execute(
            sa.select(action.c.tenant_id, action.c.status, sa.func.count(),
                      sa.func.sum(sa.case((overdue, 1), else_=0)))
            .where(action.c.tenant_id.in_(members))
            .group_by(action.c.tenant_id, action.c.status)).all()
    counts: dict[uuid.UUID, dict[str, int]] = {
        m: {s.value: 0 for s in ActionStatus} for m in members}
    late: dict[uuid.UUID, int] = dict.fromkeys(members, 0)
    for tenant_id, status, n, n_overdue in rows:
        counts[tenant_id][status] = int(n)
        late[tenant_id] += int(n_overdue or 0)
    return sorted((MemberProgress(m, names.get(m, ""), counts[m], late[m]) for m in members),
                  key=lambda r: r.name)
