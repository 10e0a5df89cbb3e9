"""Tables of improvement plans: one plan per finalised assessment, its actions, every change
to an action, comments (with replies) on actions, and the reminders already sent.

Every table is tenant-scoped (the enterprise's): a linked consultancy writes into the
enterprise's rows through ``tenants.linked``, and its comments name it as the author tenant.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from tenants.types import (
    TenantScoped,
    optional_timestamp_field,
    tenant_foreign_key,
    timestamp_field,
)


class ActionStatus(StrEnum):
    proposed = "proposed"
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"


class Band(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


class SourceKind(StrEnum):
    indicator = "indicator"  # the what-if of a weak indicator: reach its next level
    measure = "measure"  # one of the guide's measures
    technology = "technology"  # a catalogue technology
    equipment = "equipment"  # a catalogue equipment category
    free = "free"  # written by the user


class ReminderStep(StrEnum):
    due_soon = "due_soon"
    overdue = "overdue"


class ImprovementPlan(TenantScoped, table=True):
    __tablename__ = "improvement_plan"
    __table_args__ = (
        tenant_foreign_key("assessment_id", "assessment"),
        sa.UniqueConstraint("tenant_id", "assessment_id", name="uq_improvement_plan_assessment"),
    )

    assessment_id: uuid.UUID = Field(index=True)
    title: str = Field(default="", max_length=200)  # empty: "Improvement plan <year>"
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = timestamp_field()


class PlanAction(TenantScoped, table=True):
    __tablename__ = "plan_action"
    __table_args__ = (
        tenant_foreign_key("plan_id", "improvement_plan"),
        sa.UniqueConstraint("tenant_id", "plan_id", "source_ref", name="uq_plan_action_source"),
    )

    plan_id: uuid.UUID = Field(index=True)
    title: str = Field(max_length=300)
    indicator_codes: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    dimension_code: str | None = Field(default=None, max_length=80)
    target_value: float | None = None
    target_level: int | None = None
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    due_date: date | None = Field(default=None, index=True)
    status: str = Field(default=ActionStatus.proposed, sa_type=sa.String(20), index=True)
    dimension_gain: float | None = None
    overall_gain: float | None = None
    effort: str = Field(default=Band.medium, sa_type=sa.String(10))
    cost: str = Field(default=Band.medium, sa_type=sa.String(10))
    notes: str = Field(default="", max_length=4000)
    # An evidence file of the enterprise that shows the action done. No foreign key: the
    # action outlives a removed file (the page then says the file is gone).
    evidence_id: uuid.UUID | None = None
    source_kind: str = Field(default=SourceKind.free, sa_type=sa.String(20))
    # The catalogue reference ("measure-05", "steel-02") or "indicator:<code>"; None for a
    # free action. Unique per plan: a proposal is adopted once.
    source_ref: str | None = Field(default=None, max_length=120)
    position: int = Field(default=0)
    version: int = Field(default=1)  # optimistic lock: UPDATE ... WHERE version = :seen
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    done_at: datetime | None = optional_timestamp_field()


class PlanActionChange(TenantScoped, table=True):
    """Who changed which field of an action, when, from what to what."""

    __tablename__ = "plan_action_change"
    __table_args__ = (tenant_foreign_key("action_id", "plan_action"),)

    action_id: uuid.UUID = Field(index=True)
    field_name: str = Field(max_length=40)
    old_value: Any = Field(default=None, sa_type=sa.JSON)
    new_value: Any = Field(default=None, sa_type=sa.JSON)
    changed_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    # The organisation the user acted for (the enterprise, or its linked consultancy).
    changed_by_tenant_id: uuid.UUID | None = Field(default=None, foreign_key="tenant.id")
    changed_at: datetime = timestamp_field()


class PlanComment(TenantScoped, table=True):
    __tablename__ = "plan_comment"
    __table_args__ = (
        tenant_foreign_key("action_id", "plan_action"),
        sa.ForeignKeyConstraint(["tenant_id", "parent_id"],
                                ["plan_comment.tenant_id", "plan_comment.id"],
                                ondelete="CASCADE"),
    )

    action_id: uuid.UUID = Field(index=True)
    parent_id: uuid.UUID | None = None  # a reply names the comment it answers
    body: str = Field(max_length=4000)
    author_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    author_tenant_id: uuid.UUID | None = Field(default=None, foreign_key="tenant.id")
    created_at: datetime = timestamp_field()


class PlanReminder(TenantScoped, table=True):
    """A reminder sent: the unique key makes a second one for the same action, step and due
    date impossible, whichever worker or command tries (a new due date reminds again)."""

    __tablename__ = "plan_reminder"
    __table_args__ = (
        tenant_foreign_key("action_id", "plan_action"),
        sa.UniqueConstraint("tenant_id", "action_id", "step", "due_date",
                            name="uq_plan_reminder_step"),
    )

    action_id: uuid.UUID = Field(index=True)
    step: str = Field(sa_type=sa.String(20))
    due_date: date
    sent_to_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    sent_at: datetime = timestamp_field()
