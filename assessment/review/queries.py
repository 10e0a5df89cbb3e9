"""Reads of the review: comments by indicator, and the review queue of a linked tenant."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

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
from tenants.models import LinkGrant, Tenant


def comments_by_indicator(assessment_id: uuid.UUID) -> dict[str | None, list[ReviewComment]]:
    """Comments keyed by indicator code (None: on the whole assessment), oldest first."""
    grouped: dict[str | None, list[ReviewComment]] = {}
    for found in assessment_queries.comments(assessment_id):
        grouped.setdefault(found.indicator_code, []).append(found)
    return grouped


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
