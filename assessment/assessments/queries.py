"""Reads of assessments. Tenant-scoped: the ORM filter confines them to the current tenant."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import col, select

from assessment.assessments.models import (
    Answer,
    AnswerChange,
    Assessment,
    AssessmentRevision,
    IndicatorState,
    PageAssignment,
    ResultFigure,
    ReviewComment,
    State,
    WarningConfirmation,
)
from tenants.db import db


def assessment(assessment_id: uuid.UUID) -> Assessment | None:
    return db.session.exec(select(Assessment).where(Assessment.id == assessment_id)).first()


def assessment_for_year(year: int) -> Assessment | None:
    return db.session.exec(select(Assessment).where(Assessment.year == year)).first()


def assessments() -> Sequence[Assessment]:
    return db.session.exec(select(Assessment).order_by(col(Assessment.year).desc())).all()


def answers(assessment_id: uuid.UUID) -> Sequence[Answer]:
    return db.session.exec(select(Answer).where(Answer.assessment_id == assessment_id)).all()


def answer(assessment_id: uuid.UUID, key: str) -> Answer | None:
    return db.session.exec(
        select(Answer).where(Answer.assessment_id == assessment_id, Answer.key == key)
    ).first()


def answer_history(assessment_id: uuid.UUID, key: str | None = None) -> Sequence[AnswerChange]:
    statement = select(AnswerChange).where(AnswerChange.assessment_id == assessment_id)
    if key is not None:
        statement = statement.where(AnswerChange.key == key)
    return db.session.exec(statement.order_by(col(AnswerChange.changed_at).desc())).all()


def indicator_states(assessment_id: uuid.UUID) -> Sequence[IndicatorState]:
    return db.session.exec(
        select(IndicatorState).where(IndicatorState.assessment_id == assessment_id)
    ).all()


def indicator_state(assessment_id: uuid.UUID, code: str) -> IndicatorState | None:
    return db.session.exec(
        select(IndicatorState).where(IndicatorState.assessment_id == assessment_id,
                                     IndicatorState.code == code)
    ).first()


def warning_confirmations(assessment_id: uuid.UUID) -> Sequence[WarningConfirmation]:
    return db.session.exec(
        select(WarningConfirmation).where(WarningConfirmation.assessment_id == assessment_id)
    ).all()


def warning_confirmation(assessment_id: uuid.UUID, code: str, key: str
                         ) -> WarningConfirmation | None:
    return db.session.exec(
        select(WarningConfirmation).where(WarningConfirmation.assessment_id == assessment_id,
                                          WarningConfirmation.code == code,
                                          WarningConfirmation.key == key)
    ).first()


def page_assignments(assessment_id: uuid.UUID) -> Sequence[PageAssignment]:
    return db.session.exec(
        select(PageAssignment).where(PageAssignment.assessment_id == assessment_id)
    ).all()


def page_assignment(assessment_id: uuid.UUID, page: str) -> PageAssignment | None:
    return db.session.exec(
        select(PageAssignment).where(PageAssignment.assessment_id == assessment_id,
                                     PageAssignment.page == page)
    ).first()


def pages_assigned_to(assessment_id: uuid.UUID, user_id: uuid.UUID) -> list[str]:
    return [a.page for a in page_assignments(assessment_id) if a.user_id == user_id]


def comments(assessment_id: uuid.UUID) -> Sequence[ReviewComment]:
    return db.session.exec(
        select(ReviewComment).where(ReviewComment.assessment_id == assessment_id)
        .order_by(col(ReviewComment.created_at))
    ).all()


def open_comments(assessment_id: uuid.UUID, revision: int) -> Sequence[ReviewComment]:
    """Comments (not replies) of ``revision`` that nobody has resolved."""
    return [c for c in comments(assessment_id)
            if c.revision == revision and c.resolved_at is None and c.parent_id is None]


def revisions(assessment_id: uuid.UUID) -> Sequence[AssessmentRevision]:
    return db.session.exec(
        select(AssessmentRevision).where(AssessmentRevision.assessment_id == assessment_id)
        .order_by(col(AssessmentRevision.revision))
    ).all()


def latest_revision(assessment_id: uuid.UUID) -> AssessmentRevision | None:
    found = revisions(assessment_id)
    return found[-1] if found else None


def previous_finalised_revision(year: int) -> AssessmentRevision | None:
    """The newest finalised revision of the closest earlier year."""
    return db.session.exec(
        select(AssessmentRevision)
        .where(col(AssessmentRevision.year) < year)
        .order_by(col(AssessmentRevision.year).desc(), col(AssessmentRevision.revision).desc())
    ).first()


def current_figures(assessment_id: uuid.UUID) -> Sequence[ResultFigure]:
    return db.session.exec(
        select(ResultFigure).where(ResultFigure.assessment_id == assessment_id,
                                   col(ResultFigure.current).is_(True))
    ).all()


def finalised_assessments() -> Sequence[Assessment]:
    """The current enterprise's finalised assessments."""
    return db.session.exec(select(Assessment).where(Assessment.state == State.finalised)).all()


def assessments_started_in(calendar_year: int, tenant_id: uuid.UUID | None = None) -> int:
    """Assessments created in a calendar year (of ``tenant_id`` when in a system scope)."""
    start = datetime(calendar_year, 1, 1, tzinfo=UTC)
    end = datetime(calendar_year + 1, 1, 1, tzinfo=UTC)
    statement = select(func.count()).select_from(Assessment).where(
        col(Assessment.created_at) >= start, col(Assessment.created_at) < end)
    if tenant_id is not None:
        statement = statement.where(Assessment.tenant_id == tenant_id)
    return db.session.exec(statement).one()


def contributors(tenant_id: uuid.UUID, assessment_id: uuid.UUID) -> list[uuid.UUID | None]:
    """Who was given a page of the assessment or saved an answer in it (duplicates kept, in
    that order); the caller's scope must reach ``tenant_id``."""
    assigned = db.session.exec(select(PageAssignment.user_id).where(
        PageAssignment.tenant_id == tenant_id, PageAssignment.assessment_id == assessment_id))
    people: list[uuid.UUID | None] = list(assigned)
    people += db.session.exec(select(Answer.updated_by_id).distinct().where(
        Answer.tenant_id == tenant_id, Answer.assessment_id == assessment_id,
        col(Answer.updated_by_id).is_not(None))).all()
    return people
