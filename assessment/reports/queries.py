"""Reads for reports that cross tenants (each in an explicit, logged system scope)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import col, select

from assessment.assessments.models import Assessment, ResultFigure, State
from assessment.benchmarks.pools import AssociationPool
from assessment.reports.bulk_models import BulkReportJob
from assessment.reports.models import TenantBranding
from tenants import queries as platform_queries
from tenants.context import system_scope
from tenants.db import db
from tenants.models import LinkGrant, LinkStatus

FIGURE = ResultFigure.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class MemberFigure:
    """One member's current overall figure (for the association's own report)."""

    tenant_id: uuid.UUID
    score: float
    level: int | None
    industry_division: str
    size_class: str
    province: str


def member_overall_figures(association_id: uuid.UUID, year: int) -> list[MemberFigure]:
    """Current overall figures of ``year`` of the members whose link grants ``scores``."""
    pool = AssociationPool(association_id)
    with system_scope(db.session, "cohort report: members' overall figures"):
        rows = db.session.execute(
            sa.select(FIGURE.c.tenant_id, FIGURE.c.score, FIGURE.c.level,
                      FIGURE.c.industry_division, FIGURE.c.size_class, FIGURE.c.province)
            .where(FIGURE.c.current == sa.true(), FIGURE.c.year == year,
                   FIGURE.c.code == "overall", FIGURE.c.score.is_not(None),
                   pool.admits(FIGURE.c.tenant_id))
        ).all()
    return [MemberFigure(*row) for row in rows]


def member_finalised_years(association_id: uuid.UUID) -> list[int]:
    """The years of which at least one member that shares its scores has current finalised
    figures, newest first: the cohort report's years (a year without them has no report)."""
    pool = AssociationPool(association_id)
    with system_scope(db.session, "cohort report: years with finalised members"):
        years = db.session.execute(
            sa.select(FIGURE.c.year).distinct()
            .where(FIGURE.c.current == sa.true(), FIGURE.c.code == "overall",
                   pool.admits(FIGURE.c.tenant_id))).scalars()
        return sorted(set(years), reverse=True)


def nameable_members(association_id: uuid.UUID) -> dict[uuid.UUID, str]:
    """Members who agreed to be named and share their scores: tenant id → name."""
    return {tenant.id: tenant.name
            for link, tenant in platform_queries.outgoing_links(association_id)
            if link.status == LinkStatus.accepted and link.may_be_named
            and LinkGrant.scores in link.grants}


def finalised_assessment_of(tenant_id: uuid.UUID, year: int) -> Assessment | None:
    """The enterprise's finalised assessment of ``year`` (caller set its tenant context)."""
    return db.session.exec(
        select(Assessment).where(Assessment.tenant_id == tenant_id, Assessment.year == year,
                                 Assessment.state == State.finalised)
    ).first()


def bulk_jobs() -> Sequence[BulkReportJob]:
    return db.session.exec(
        select(BulkReportJob).order_by(col(BulkReportJob.created_at).desc()).limit(20)
    ).all()


def bulk_job(job_id: uuid.UUID) -> BulkReportJob | None:
    return db.session.exec(select(BulkReportJob).where(BulkReportJob.id == job_id)).first()


def branding() -> TenantBranding | None:
    """The current tenant's report branding."""
    return db.session.exec(select(TenantBranding)).first()


def branding_of(tenant_id: uuid.UUID) -> TenantBranding | None:
    """A tenant's report branding, whatever the current tenant (the caller is in system
    scope: a report issued by a consultancy is read in its client's context)."""
    return db.session.exec(
        select(TenantBranding).where(TenantBranding.tenant_id == tenant_id)).first()
