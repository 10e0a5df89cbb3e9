"""Writes of improvement plans (change and flush, never commit).

Races are decided by the database: an edit is ``UPDATE plan_action ... WHERE version =
:seen`` and a status change ``... WHERE status = :from``; the loser gets a
:class:`~tenants.errors.Conflict` that says what happened, and its input is kept by the view
so that nothing typed is lost. One plan per assessment is the unique key's to decide.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from assessment.assessments.models import Assessment, State
from assessment.evidence.models import EvidenceFile
from assessment.plans import queries
from assessment.plans.models import (
    ActionStatus,
    Band,
    ImprovementPlan,
    PlanAction,
    PlanActionChange,
    PlanComment,
    SourceKind,
)
from assessment.plans.proposals import DEFAULT_COST, DEFAULT_EFFORT, Proposal
from tenants import queries as platform_queries
from tenants.db import db
from tenants.errors import Conflict, FieldErrors, Forbidden, NotFound
from tenants.models import Membership, Role, User
from tenants.types import utcnow

EDITORS = (Role.owner, Role.admin, Role.assessor)

# Which status may follow which: a plan moves forward, a dropped action may be proposed again
# and a done one reopened (it turned out not to be done).
TRANSITIONS: dict[ActionStatus, tuple[ActionStatus, ...]] = {
    ActionStatus.proposed: (ActionStatus.planned, ActionStatus.in_progress,
                            ActionStatus.dropped),
    ActionStatus.planned: (ActionStatus.proposed, ActionStatus.in_progress, ActionStatus.done,
                           ActionStatus.dropped),
    ActionStatus.in_progress: (ActionStatus.planned, ActionStatus.done, ActionStatus.dropped),
    ActionStatus.done: (ActionStatus.in_progress,),
    ActionStatus.dropped: (ActionStatus.proposed,),
}

EDITABLE = ("title", "indicator_codes", "target_value", "target_level", "owner_id",
            "due_date", "effort", "cost", "notes", "evidence_id")


@dataclass(frozen=True)
class Actor:
    """Who writes: the user, and the organisation they act for (the enterprise itself, or a
    linked consultancy), with their role there."""

    user: User
    tenant_id: uuid.UUID
    role: Role

    @classmethod
    def of(cls, user: User, membership: Membership) -> Actor:
        return cls(user, membership.tenant_id, Role(membership.role))


def require_editor(actor: Actor) -> None:
    if actor.role not in EDITORS:
        raise Forbidden(_l("Viewers can read the plan but not change it."))


def create_plan(assessment: Assessment, actor: Actor, title: str = "") -> ImprovementPlan:
    """The plan of ``assessment`` (created now, or the one a parallel request created)."""
    require_editor(actor)
    if assessment.state != State.finalised:
        raise Conflict(_l("A plan is built from finalised results. Finalise the assessment "
                          "first."))
    existing = queries.plan_of(assessment.id)
    if existing is not None:
        return existing
    plan = ImprovementPlan(tenant_id=assessment.tenant_id, assessment_id=assessment.id,
                           title=title.strip()[:200],
                           created_by_id=actor.user.id)
    try:
        with db.session.begin_nested():
            db.session.add(plan)
            db.session.flush()
    except IntegrityError:  # another request created it first: one plan per assessment
        found = queries.plan_of(assessment.id)
        if found is None:
            raise
        return found
    return plan


def _next_position(plan: ImprovementPlan) -> int:
    table = PlanAction.__table__  # type: ignore[attr-defined]
    current = db.session.execute(sa.select(sa.func.max(table.c.position))
                                 .where(table.c.plan_id == plan.id)).scalar()
    return int(current or 0) + 1


def adopt(plan: ImprovementPlan, proposals: Iterable[Proposal], actor: Actor,
          lang: str = "zh") -> list[PlanAction]:
    """Add the ticked proposals as actions (status "proposed"), titled in the language of
    who adopts them (the team edits them from then on); one already adopted is skipped
    (decided by the unique key, so a double click adds it once)."""
    require_editor(actor)
    added = []
    position = _next_position(plan)
    for proposal in proposals:
        item = PlanAction(
            tenant_id=plan.tenant_id, plan_id=plan.id, title=proposal.title(lang)[:300],
            indicator_codes=list(proposal.indicator_codes),
            dimension_code=proposal.dimension_code, target_value=proposal.target_value,
            target_level=proposal.target_level, dimension_gain=proposal.dimension_gain,
            overall_gain=proposal.overall_gain,
            effort=DEFAULT_EFFORT[proposal.kind], cost=DEFAULT_COST[proposal.kind],
            source_kind=proposal.kind, source_ref=proposal.key, position=position,
            created_by_id=actor.user.id)
        try:
            with db.session.begin_nested():
                db.session.add(item)
                db.session.flush()
        except IntegrityError:
            continue
        position += 1
        added.append(item)
    return added


def _owner_ok(tenant_id: uuid.UUID, owner_id: uuid.UUID | None) -> bool:
    return owner_id is None or platform_queries.membership(tenant_id, owner_id) is not None


def _evidence_ok(evidence_id: uuid.UUID | None) -> bool:
    """A file of the current tenant (the ORM filter hides every other tenant's)."""
    return evidence_id is None or db.session.exec(
        select(EvidenceFile.id).where(EvidenceFile.id == evidence_id)).first() is not None


def _check(tenant_id: uuid.UUID, values: dict[str, Any]) -> None:
    errors: dict[str, Any] = {}
    if "title" in values and not str(values["title"] or "").strip():
        errors["title"] = _l("Say what is to be done.")
    if "owner_id" in values and not _owner_ok(tenant_id, values["owner_id"]):
        errors["owner_id"] = _l("The owner must be a member of the enterprise.")
    if "evidence_id" in values and not _evidence_ok(values["evidence_id"]):
        errors["evidence_id"] = _l("Choose one of the enterprise's evidence files.")
    for name in ("effort", "cost"):
        if name in values and values[name] not in {b.value for b in Band}:
            errors[name] = _l("Choose low, medium or high.")
    if errors:
        raise FieldErrors(errors)


def add_action(plan: ImprovementPlan, actor: Actor, **values: Any) -> PlanAction:
    """A free action, written by the user."""
    require_editor(actor)
    _check(plan.tenant_id, {"title": values.get("title"), **values})
    item = PlanAction(tenant_id=plan.tenant_id, plan_id=plan.id, source_kind=SourceKind.free,
                      position=_next_position(plan), created_by_id=actor.user.id,
                      **{k: v for k, v in values.items() if k in EDITABLE})
    db.session.add(item)
    db.session.flush()
    return item


def _json(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _record(item: PlanAction, actor: Actor, changes: dict[str, tuple[Any, Any]]) -> None:
    for name, (old, new) in changes.items():
        db.session.add(PlanActionChange(
            tenant_id=item.tenant_id, action_id=item.id, field_name=name,
            old_value=_json(old), new_value=_json(new), changed_by_id=actor.user.id,
            changed_by_tenant_id=actor.tenant_id))


CONFLICT = _l("Someone else changed this action while you were editing it. Your changes were "
              "not saved; they are still in the form below, next to the action as it now "
              "stands. Check them and save again.")


def update_action(item: PlanAction, seen_version: int, actor: Actor, **values: Any
                  ) -> PlanAction:
    """Change the fields in ``values`` if the action is still at ``seen_version``."""
    require_editor(actor)
    values = {k: v for k, v in values.items() if k in EDITABLE}
    _check(item.tenant_id, values)
    changes = {k: (getattr(item, k), v) for k, v in values.items() if getattr(item, k) != v}
    table = PlanAction.__table__  # type: ignore[attr-defined]
    result = db.session.execute(
        sa.update(table)
        .where(table.c.tenant_id == item.tenant_id, table.c.id == item.id,
               table.c.version == seen_version)
        .values(**values, version=table.c.version + 1, updated_at=utcnow()))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.refresh(item)
        raise Conflict(CONFLICT)
    _record(item, actor, changes)
    db.session.flush()
    db.session.refresh(item)
    return item


def change_status(item: PlanAction, seen: str, new: str, actor: Actor) -> PlanAction:
    """Move the action from ``seen`` to ``new``: a compare-and-set on the status, so two
    people clicking at once change it once."""
    require_editor(actor)
    try:
        old_status, new_status = ActionStatus(seen), ActionStatus(new)
    except ValueError as error:
        raise NotFound(_l("No such status.")) from error
    if new_status not in TRANSITIONS[old_status]:
        raise Conflict(_l("This action cannot go from “%(old)s” to “%(new)s”.",
                          old=STATUS_LABELS[old_status], new=STATUS_LABELS[new_status]))
    table = PlanAction.__table__  # type: ignore[attr-defined]
    now = utcnow()
    result = db.session.execute(
        sa.update(table)
        .where(table.c.tenant_id == item.tenant_id, table.c.id == item.id,
               table.c.status == old_status.value)
        .values(status=new_status.value, version=table.c.version + 1, updated_at=now,
                done_at=now if new_status == ActionStatus.done else None))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.refresh(item)
        raise Conflict(_l("The status of this action was already changed (it is now “%(now)s”)."
                          " Nothing was changed.", now=STATUS_LABELS[ActionStatus(item.status)]))
    _record(item, actor, {"status": (old_status.value, new_status.value)})
    db.session.flush()
    db.session.refresh(item)
    return item


def add_comment(item: PlanAction, actor: Actor, body: str,
                parent_id: uuid.UUID | None = None) -> PlanComment:
    """A comment on the action, or a reply to one of its comments. Viewers may comment: a
    comment changes nothing of the plan."""
    body = body.strip()
    if not body:
        raise FieldErrors({"body": _l("Write a comment.")})
    if parent_id is not None and queries.comment(item.id, parent_id) is None:
        raise NotFound(_l("That comment does not exist."))
    comment = PlanComment(tenant_id=item.tenant_id, action_id=item.id, parent_id=parent_id,
                          body=body[:4000], author_id=actor.user.id,
                          author_tenant_id=actor.tenant_id)
    db.session.add(comment)
    db.session.flush()
    return comment


STATUS_LABELS = {
    ActionStatus.proposed: _l("Proposed"),
    ActionStatus.planned: _l("Planned"),
    ActionStatus.in_progress: _l("In progress"),
    ActionStatus.done: _l("Done"),
    ActionStatus.dropped: _l("Dropped"),
}
BAND_LABELS = {Band.low: _l("Low"), Band.medium: _l("Medium"), Band.high: _l("High")}
