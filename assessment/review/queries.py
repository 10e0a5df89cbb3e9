"""Reads of the review: comments by indicator, and the review queue of a linked tenant."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import col, select

from assessment.assessments import queries as assessment_queries
from assessment.assessments.models import (
    Assessment,
    IndicatorState,
    ReviewComment,
    State,
)
from tenants import queries as platform_queries
from tenants.context import system_scope
from tenants.db import db
from tenants.models import LinkGrant, Tenant, User


def comments_by_indicator(assessment_id: uuid.UUID) -> dict[str | None, list[ReviewComment]]:
    """Comments that start a conversation (not replies: see :func:`conversation`) keyed by
    indicator code (None: on the whole assessment), oldest first."""
    grouped: dict[str | None, list[ReviewComment]] = {}
    for found in assessment_queries.comments(assessment_id):
        if found.parent_id is None:
            grouped.setdefault(found.indicator_code, []).append(found)
    return grouped


@dataclass(frozen=True)
class Conversation:
    """What a page needs besides the comments to show their conversations: the replies of
    each comment (oldest first) and the names of the people and organisations involved."""

    replies: dict[uuid.UUID, list[ReviewComment]]
    names: dict[uuid.UUID, str]  # user or tenant id -> name

    def author(self, comment: ReviewComment) -> str:
        return self.names.get(comment.author_id, "") if comment.author_id else ""

    def organisation(self, comment: ReviewComment) -> str:
        return self.names.get(comment.author_tenant_id, "") \
            if comment.author_tenant_id else ""

    def resolver(self, comment: ReviewComment) -> tuple[str, str]:
        return (self.names.get(comment.resolved_by_id, "") if comment.resolved_by_id else "",
                self.names.get(comment.resolved_by_tenant_id, "")
                if comment.resolved_by_tenant_id else "")


def conversation(assessment_id: uuid.UUID) -> Conversation:
    found = assessment_queries.comments(assessment_id)
    replies: dict[uuid.UUID, list[ReviewComment]] = {}
    for c in found:
        if c.parent_id is not None:
            replies.setdefault(c.parent_id, []).append(c)
    user_ids = {i for c in found for i in (c.author_id, c.resolved_by_id) if i}
    tenant_ids = {i for c in found for i in (c.author_tenant_id, c.resolved_by_tenant_id)
                  if i}
    names: dict[uuid.UUID, str] = {}
    if user_ids:
        # platform tables (no tenant scope): a reviewer's name and organisation are what
        # the enterprise sees of them on its own comments
        names.update({u.id: u.name or u.email for u in db.session.exec(
            select(User).where(col(User.id).in_(user_ids)))})
    if tenant_ids:
        names.update({t.id: t.name for t in db.session.exec(
            select(Tenant).where(col(Tenant.id).in_(tenant_ids)))})
    return Conversation(replies, names)


def person_name(user_id: uuid.UUID | None) -> str:
    found = platform_queries.user_by_id(user_id) if user_id else None
    return (found.name or found.email) if found else ""


def organisation_name(tenant_id: uuid.UUID | None) -> str:
    found = platform_queries.tenant_by_id(tenant_id) if tenant_id else None
    return found.name if found else ""


def indicator_state_locked(assessment_id: uuid.UUID, code: str) -> IndicatorState | None:
    """An indicator's state, its row locked until the request commits (PostgreSQL; SQLite
    locks the whole database for a writing request anyway): a check decided on what it
    reads cannot be undone by a reviewer's verification committed in between."""
    return db.session.exec(
        select(IndicatorState).where(IndicatorState.assessment_id == assessment_id,
                                     IndicatorState.code == code)
        .with_for_update().execution_options(populate_existing=True)
    ).first()


def review_queue(acting_tenant_id: uuid.UUID) -> Sequence[tuple[Tenant, Assessment]]:
    """Submitted assessments of the enterprises whose accepted link grants ``review`` to
    ``acting_tenant_id``, oldest submission first.

    Spans several tenants, so it reads in a logged system scope, restricted to exactly the
    enterprises the links name.
    """
    enterprise_ids = platform_queries.linked_tenant_ids(acting_tenant_id, LinkGrant.review)
    if not enterprise_ids:
        return []
    with system_scope(db.session, "review queue of a linked tenant"):
        rows = db.session.exec(
            select(Tenant, Assessment)
            .join(Assessment, col(Assessment.tenant_id) == col(Tenant.id))
            .where(col(Tenant.id).in_(enterprise_ids), Assessment.state == State.submitted)
            .order_by(col(Assessment.submitted_at), col(Tenant.name))
        )
        return list(rows.all())


def linked_enterprises(acting_tenant_id: uuid.UUID) -> Sequence[Tenant]:
    ids = platform_queries.linked_tenant_ids(acting_tenant_id, LinkGrant.review)
    found = [platform_queries.tenant_by_id(i) for i in ids]
    return sorted((t for t in found if t is not None), key=lambda t: t.name)
