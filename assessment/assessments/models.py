"""Tables of an assessment.

An assessment holds its answers one row per input (so that each field autosaves, carries its
own version for conflict detection and keeps its own history), the per-indicator state (not
applicable with a reason, confidence), page assignments and review comments. Finalising
writes an immutable revision (the contract's input document and the engine's results) and the
result figures that benchmarks read.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from tenants.types import (
    TenantScoped,
    UTCDateTime,
    optional_timestamp_field,
    tenant_foreign_key,
    timestamp_field,
)


class State(StrEnum):
    draft = "draft"
    submitted = "submitted"
    returned = "returned"
    finalised = "finalised"


class AnswerState(StrEnum):
    answered = "answered"
    unknown = "unknown"  # the enterprise says it does not know: distinct from 0 and from blank


class Confidence(StrEnum):
    self_declared = "self_declared"
    documented = "documented"  # evidence is attached
    # The enterprise's own owner or administrator checked it: never "verified".
    internally_reviewed = "internally_reviewed"
    # A reviewer of a linked tenant (an accepted link granting ``review``) checked it; the
    # database refuses this value without that tenant (ck_indicator_state_verified_outside).
    verified = "verified"


# A verified label names an organisation other than the enterprise itself. Decided by the
# database, so that no code path (a view, an import, a script) can make an enterprise
# verify its own answers.
VERIFIED_OUTSIDE = ("confidence <> 'verified' OR (verified_by_tenant_id IS NOT NULL "
                    "AND verified_by_tenant_id <> tenant_id)")


class Assessment(TenantScoped, table=True):
    __table_args__ = (sa.UniqueConstraint("tenant_id", "year", name="uq_assessment_year"),)

    year: int = Field(index=True)
    framework_id: str = Field(max_length=60)
    framework_version: str = Field(max_length=30)
    state: str = Field(default=State.draft, sa_type=sa.String(20), index=True)
    revision: int = Field(default=1)  # bumped when a finalised assessment is reopened
    version: int = Field(default=1)  # optimistic lock for state changes
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    submitted_at: datetime | None = optional_timestamp_field()
    finalised_at: datetime | None = optional_timestamp_field()


class Answer(TenantScoped, table=True):
    __table_args__ = (
        tenant_foreign_key("assessment_id", "assessment"),
        sa.UniqueConstraint("tenant_id", "assessment_id", "key", name="uq_answer_key"),
    )

    assessment_id: uuid.UUID = Field(index=True)
    # An input name of the framework, or a document section: "energy", "process_emissions".
    key: str = Field(max_length=80)
    value: Any = Field(default=None, sa_type=sa.JSON)
    state: str = Field(default=AnswerState.answered, sa_type=sa.String(20))
    version: int = Field(default=1)
    updated_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    updated_at: datetime = timestamp_field()
    # "Carried over" (沿用上年): the earlier assessment this value was copied from, until the
    # user confirms it unchanged or saves another value (:mod:`.carryover`). No foreign key:
    # the mark names where the value came from, it does not depend on that row.
    carried_from_id: uuid.UUID | None = Field(default=None)


class AnswerChange(TenantScoped, table=True):
    """Who changed an answer, when, and from what: the history of every field."""

    __tablename__ = "answer_change"
    __table_args__ = (tenant_foreign_key("assessment_id", "assessment"),)

    assessment_id: uuid.UUID = Field(index=True)
    key: str = Field(max_length=80, index=True)
    old_value: Any = Field(default=None, sa_type=sa.JSON)
    new_value: Any = Field(default=None, sa_type=sa.JSON)
    old_state: str | None = Field(default=None, max_length=20)
    new_state: str | None = Field(default=None, max_length=20)
    changed_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    changed_at: datetime = timestamp_field()


class IndicatorState(TenantScoped, table=True):
    """Per indicator: declared not applicable (with its reason), and confidence."""

    __tablename__ = "indicator_state"
    __table_args__ = (
        tenant_foreign_key("assessment_id", "assessment"),
        sa.UniqueConstraint("tenant_id", "assessment_id", "code", name="uq_indicator_state"),
        sa.CheckConstraint(VERIFIED_OUTSIDE, name="ck_indicator_state_verified_outside"),
    )

    assessment_id: uuid.UUID = Field(index=True)
    code: str = Field(max_length=80)
    not_applicable: bool = Field(default=False)
    na_reason: str = Field(default="", max_length=1000)
    confidence: str = Field(default=Confidence.self_declared, sa_type=sa.String(20))
    # Who gave the label "verified" or "internally reviewed", for which organisation, when
    # (all three empty for the other labels).
    verified_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    verified_by_tenant_id: uuid.UUID | None = Field(default=None, foreign_key="tenant.id")
    verified_at: datetime | None = optional_timestamp_field()
    version: int = Field(default=1)
    updated_at: datetime = timestamp_field()
    # "Not applicable" and its reason copied from an earlier assessment, not yet confirmed
    # or changed (see ``Answer.carried_from_id``).
    carried_from_id: uuid.UUID | None = Field(default=None)


class CarryOver(TenantScoped, table=True):
    """That an assessment's answers were copied forward from an earlier one: at most one
    copy per assessment, decided by the unique key (two simultaneous requests: one copies,
    the other is refused)."""

    __tablename__ = "carry_over"
    __table_args__ = (
        tenant_foreign_key("assessment_id", "assessment"),
        sa.UniqueConstraint("tenant_id", "assessment_id", name="uq_carry_over"),
    )

    assessment_id: uuid.UUID
    source_assessment_id: uuid.UUID
    answers: int = Field(default=0)  # how many answers were copied
    not_applicable: int = Field(default=0)  # how many "not applicable" declarations
    copied_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    copied_at: datetime = timestamp_field()


class PageAssignment(TenantScoped, table=True):
    """The owner gives a questionnaire page to an assessor; they then edit only their pages."""

    __tablename__ = "page_assignment"
    __table_args__ = (
        tenant_foreign_key("assessment_id", "assessment"),
        sa.UniqueConstraint("tenant_id", "assessment_id", "page", name="uq_page_assignment"),
    )

    assessment_id: uuid.UUID = Field(index=True)
    page: str = Field(max_length=40)
    user_id: uuid.UUID = Field(foreign_key="app_user.id")


class ReviewComment(TenantScoped, table=True):
    """A reviewer's comment, or a reply to one (one level: a reply has no replies).

    Both the reviewer and the enterprise reply; only a comment (not a reply) is resolved,
    by a compare-and-set on ``resolved_at`` (``assessment.review.services``)."""

    __tablename__ = "review_comment"
    __table_args__ = (
        tenant_foreign_key("assessment_id", "assessment"),
        tenant_foreign_key("parent_id", "review_comment"),
    )

    assessment_id: uuid.UUID = Field(index=True)
    revision: int = Field(default=1)
    indicator_code: str | None = Field(default=None, max_length=80)  # None: the whole assessment
    body: str = Field(max_length=4000)
    author_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    # The reviewer may act for a linked consultancy or association, not the enterprise itself.
    author_tenant_id: uuid.UUID | None = Field(default=None, foreign_key="tenant.id")
    created_at: datetime = timestamp_field()
    resolved_at: datetime | None = optional_timestamp_field()
    # The comment this one answers (None: a comment that starts a conversation).
    parent_id: uuid.UUID | None = Field(default=None, index=True)
    # Who resolved it and for which organisation (the enterprise, or the linked reviewer's).
    resolved_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    resolved_by_tenant_id: uuid.UUID | None = Field(default=None, foreign_key="tenant.id")


class AssessmentRevision(TenantScoped, table=True):
    """An immutable snapshot, written when an assessment is finalised."""

    __tablename__ = "assessment_revision"
    __table_args__ = (
        tenant_foreign_key("assessment_id", "assessment"),
        sa.UniqueConstraint("tenant_id", "assessment_id", "revision", name="uq_revision"),
    )

    assessment_id: uuid.UUID = Field(index=True)
    revision: int
    year: int
    framework_id: str = Field(max_length=60)
    framework_version: str = Field(max_length=30)
    document: dict[str, Any] = Field(sa_type=sa.JSON)  # the contract's input document
    results: dict[str, Any] = Field(sa_type=sa.JSON)  # the contract's output document
    confidence: dict[str, str] = Field(default_factory=dict, sa_type=sa.JSON)
    finalised_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    finalised_at: datetime = Field(sa_type=UTCDateTime)
    # The linked consultancy or association whose reviewer finalised this revision, and its
    # name then (a signature does not change when the organisation is renamed); both empty
    # for a self-assessment (finalised by the enterprise itself).
    reviewed_by_tenant_id: uuid.UUID | None = Field(default=None, foreign_key="tenant.id")
    reviewed_by_name: str = Field(default="", max_length=200)
    # The plausibility warnings of the revision's figures, each with the enterprise's
    # confirmation (who, when, the reason), as they stood when it was finalised: the
    # report's data-quality section (see :mod:`assessment.assessments.plausibility`).
    warning_confirmations: list[dict[str, Any]] = Field(
        default_factory=list, sa_type=sa.JSON,
        sa_column_kwargs={"server_default": sa.text("'[]'")})
    superseded_at: datetime | None = optional_timestamp_field()


class WarningConfirmation(TenantScoped, table=True):
    """The enterprise's word that a figure a plausibility check questioned is right.

    One per warning (its code and the key it names). It holds while the warning is the same
    (``fingerprint``: its code, key and wording, which quote the figure) and the answer it
    concerns is unchanged (``answer_key`` at ``answer_version``); any change of the field
    makes it stale, and submission asks again (:mod:`assessment.assessments.plausibility`).
    """

    __tablename__ = "warning_confirmation"
    __table_args__ = (
        tenant_foreign_key("assessment_id", "assessment"),
        sa.UniqueConstraint("tenant_id", "assessment_id", "code", "key",
                            name="uq_warning_confirmation"),
    )

    assessment_id: uuid.UUID = Field(index=True)
    code: str = Field(max_length=80)
    key: str = Field(max_length=120)
    fingerprint: str = Field(max_length=64)
    answer_key: str | None = Field(default=None, max_length=80)
    answer_version: int | None = None
    reason: str = Field(max_length=500)
    confirmed_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    confirmed_at: datetime = timestamp_field()


class ResultFigure(TenantScoped, table=True):
    """One figure of a finalised revision, in a shape that SQL can aggregate for benchmarks.

    The cohort attributes are copied from the profile at finalisation, so that a benchmark is
    a plain filtered aggregate and a later profile change does not rewrite history.
    """

    __tablename__ = "result_figure"
    __table_args__ = (
        tenant_foreign_key("assessment_id", "assessment"),
        sa.Index("ix_result_figure_cohort", "year", "code", "industry_division"),
    )

    assessment_id: uuid.UUID = Field(index=True)
    revision: int
    year: int
    code: str = Field(max_length=80)  # indicator code, dimension code, or "overall"
    kind: str = Field(max_length=10)  # indicator / dimension / overall
    status: str = Field(max_length=20)
    value: float | None = None
    score: float | None = None
    level: int | None = None
    industry_division: str = Field(max_length=3)
    industry_group: str = Field(max_length=40)
    size_class: str = Field(max_length=10)
    province: str = Field(max_length=2)
    current: bool = Field(default=True, index=True)  # False once a newer revision replaces it
    # The enterprise's benchmark opt-in, kept here so that the platform pool's statistics
    # read it from the same (covering) index rows as the figures: copied at finalisation,
    # rewritten on every figure of the tenant when the profile's opt-in changes.
    opted_in: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
