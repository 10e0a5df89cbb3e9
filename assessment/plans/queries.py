"""Reads of improvement plans, in the current tenant context (an enterprise's own, or the
one a linked request entered)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from assessment.assessments.models import Assessment, State
from assessment.evidence.models import EvidenceFile
from assessment.plans.models import (
    ActionStatus,
    ImprovementPlan,
    PlanAction,
    PlanActionChange,
    PlanComment,
)
from tenants.db import db
from tenants.models import Tenant, User

OPEN = (ActionStatus.proposed, ActionStatus.planned, ActionStatus.in_progress)


def plan_of(assessment_id: uuid.UUID) -> ImprovementPlan | None:
    return db.session.exec(select(ImprovementPlan)
                           .where(ImprovementPlan.assessment_id == assessment_id)).first()


def actions(plan_id: uuid.UUID) -> Sequence[PlanAction]:
    return db.session.exec(select(PlanAction).where(PlanAction.plan_id == plan_id)
                           .order_by(col(PlanAction.position), col(PlanAction.created_at))
                           ).all()


def action(plan_id: uuid.UUID, action_id: uuid.UUID) -> PlanAction | None:
    return db.session.exec(select(PlanAction).where(PlanAction.plan_id == plan_id,
                                                    PlanAction.id == action_id)).first()


def history(action_id: uuid.UUID) -> Sequence[PlanActionChange]:
    return db.session.exec(select(PlanActionChange)
                           .where(PlanActionChange.action_id == action_id)
                           .order_by(col(PlanActionChange.changed_at).desc())).all()


def comments(action_id: uuid.UUID) -> Sequence[PlanComment]:
    return db.session.exec(select(PlanComment).where(PlanComment.action_id == action_id)
                           .order_by(col(PlanComment.created_at))).all()


def comment(action_id: uuid.UUID, comment_id: uuid.UUID) -> PlanComment | None:
    return db.session.exec(select(PlanComment).where(PlanComment.action_id == action_id,
                                                     PlanComment.id == comment_id)).first()


def is_overdue(item: PlanAction, today: date) -> bool:
    return (item.due_date is not None and item.due_date < today
            and item.status in OPEN)


def progress(items: Sequence[PlanAction], today: date) -> tuple[dict[str, int], int]:
    """Actions per status (every status present, zero or not) and how many are overdue."""
    counts = Counter(a.status for a in items)
    return ({s.value: counts.get(s.value, 0) for s in ActionStatus},
            sum(1 for a in items if is_overdue(a, today)))


def previous_plan(assessment: Assessment) -> tuple[ImprovementPlan, Assessment] | None:
    """The plan of the latest finalised year before ``assessment``'s that has one."""
    row = db.session.exec(
        select(ImprovementPlan, Assessment)
        .join(Assessment, sa.and_(col(Assessment.id) == col(ImprovementPlan.assessment_id),
                                  col(Assessment.tenant_id) == col(ImprovementPlan.tenant_id)))
        .where(col(Assessment.year) < assessment.year,
               col(Assessment.state) == State.finalised)
        .order_by(col(Assessment.year).desc())).first()
    return None if row is None else (row[0], row[1])


def later_assessment(assessment: Assessment) -> Assessment | None:
    """The enterprise's next assessment after ``assessment``'s year (the one whose figures
    measure the plan's effect), the nearest year first."""
    return db.session.exec(select(Assessment).where(col(Assessment.year) > assessment.year)
                           .order_by(col(Assessment.year))).first()


def evidence_files(limit: int = 200) -> Sequence[EvidenceFile]:
    """The enterprise's evidence files, newest first (to name one as proof of completion)."""
    return db.session.exec(select(EvidenceFile)
                           .order_by(col(EvidenceFile.uploaded_at).desc()).limit(limit)).all()


def evidence_file(evidence_id: uuid.UUID) -> EvidenceFile | None:
    return db.session.exec(select(EvidenceFile).where(EvidenceFile.id == evidence_id)).first()


def organisation_names(ids: set[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """Names of the organisations that wrote comments or changes (the enterprise and its
    linked consultancy): tenant names are platform rows, readable in any context."""
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows = db.session.exec(select(Tenant.id, Tenant.name).where(col(Tenant.id).in_(wanted)))
    return {tid: name for tid, name in rows.all()}


def owned_open_actions_due_by(day: date) -> Sequence[sa.Row[Any]]:
    """Open actions with an owner and a due date on or before ``day``, in every tenant (the
    reminder job reads them in a logged system scope), with the tenant's slug and name and
    the plan's assessment, earliest due first."""
    action = PlanAction.__table__  # type: ignore[attr-defined]
    plan = ImprovementPlan.__table__  # type: ignore[attr-defined]
    tenant = Tenant.__table__  # type: ignore[attr-defined]
    return db.session.execute(
        sa.select(action.c.tenant_id, tenant.c.slug, tenant.c.name, plan.c.assessment_id,
                  action.c.id, action.c.title, action.c.due_date, action.c.owner_id)
        .join(plan, sa.and_(plan.c.tenant_id == action.c.tenant_id,
                            plan.c.id == action.c.plan_id))
        .join(tenant, tenant.c.id == action.c.tenant_id)
        .where(action.c.owner_id.is_not(None), action.c.due_date.is_not(None),
               action.c.status.in_([s.value for s in OPEN]),
               action.c.due_date <= day)
        .order_by(action.c.due_date)).all()


def users_by_id(ids: set[uuid.UUID]) -> dict[uuid.UUID, User]:
    return {u.id: u for u in db.session.execute(
        sa.select(User).where(col(User.id).in_(ids))).scalars()}
