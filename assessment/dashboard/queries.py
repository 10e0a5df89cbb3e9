"""Reads of an association's members, across their tenants, limited to what the links grant.

Each function that reads member tenants does so in ONE explicit, logged system scope, and
restricts every statement to the enterprises whose accepted link to the association grants
``scores`` (``tenants.queries.linked_tenant_ids``), computed inside the function from the
association's id, so that a caller cannot widen it. What leaves these functions:

- for every association-member link: the enterprise's tenant name (the association invited
  it by name) and whether the invitation is pending;
- for a member whose accepted link grants ``scores``: the state of its assessment of the
  year, the cohort attributes of its profile (industry division, size class, province:
  never its legal name, credit code, head count or revenue), and its current finalised
  figures (scores, levels; indicator values only for the statistics of the cohort).

Declined and revoked links, and accepted links without ``scores``, yield nothing but the
count of the latter (which the association's links page already shows).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import col, select

from assessment.assessments.models import Assessment, ResultFigure
from assessment.profiles.models import EnterpriseProfile
from indicators.catalogue.industries import find_division
from tenants import queries as platform_queries
from tenants.context import system_scope
from tenants.db import db
from tenants.models import LinkGrant, LinkKind, LinkStatus


@dataclass(frozen=True)
class MemberLink:
    enterprise_id: uuid.UUID
    name: str
    pending: bool  # invited, not yet accepted
    may_be_named: bool


@dataclass(frozen=True)
class MemberLinks:
    members: list[MemberLink]  # pending, and accepted granting scores
    without_scores: int  # accepted links that do not share scores (not listed)


@dataclass(frozen=True)
class MemberAssessment:
    """What the dashboard knows of one scores-sharing member for one year."""

    enterprise_id: uuid.UUID
    state: str | None  # the assessment's state; None: no assessment of the year
    industry_division: str | None
    industry_group: str | None
    size_class: str | None
    province: str | None
    overall_score: float | None  # of the current finalised revision, if any
    overall_level: int | None
    revision: int | None


@dataclass(frozen=True)
class Figure:
    """One current finalised figure of a member (the cohort attributes at finalisation)."""

    enterprise_id: uuid.UUID
    code: str
    kind: str
    score: float | None
    level: int | None
    industry_division: str
    industry_group: str
    size_class: str
    province: str


def member_links(association_id: uuid.UUID) -> MemberLinks:
    """The association's member links that the dashboard may list (platform tables)."""
    members: list[MemberLink] = []
    without_scores = 0
    for link, enterprise in platform_queries.outgoing_links(association_id):
        if link.kind != LinkKind.association_member:
            continue
        if link.status == LinkStatus.pending:
            members.append(MemberLink(enterprise.id, enterprise.name, True, False))
        elif link.status == LinkStatus.accepted:
            if LinkGrant.scores in link.grants:
                members.append(MemberLink(enterprise.id, enterprise.name, False,
                                          link.may_be_named))
            else:
                without_scores += 1
    return MemberLinks(members, without_scores)


def sharing_member_ids(association_id: uuid.UUID) -> list[uuid.UUID]:
    """The enterprises whose accepted link grants ``scores`` to the association."""
    return platform_queries.linked_tenant_ids(association_id, LinkGrant.scores)


def member_assessments(association_id: uuid.UUID, year: int) -> dict[uuid.UUID, MemberAssessment]:
    """Per scores-sharing member: its assessment state for ``year``, its cohort attributes
    and its current overall figure."""
    ids = sharing_member_ids(association_id)
    if not ids:
        return {}
    with system_scope(db.session, "association dashboard: member statuses"):
        states = {row.tenant_id: row for row in db.session.exec(
            select(Assessment).where(col(Assessment.tenant_id).in_(ids),
                                     Assessment.year == year))}
        profiles = {row[0]: row[1:] for row in db.session.exec(
            select(EnterpriseProfile.tenant_id, EnterpriseProfile.industry_division,
                   EnterpriseProfile.size_class, EnterpriseProfile.province)
            .where(col(EnterpriseProfile.tenant_id).in_(ids)))}
        overall = {row.tenant_id: row for row in db.session.exec(
            select(ResultFigure).where(col(ResultFigure.tenant_id).in_(ids),
                                       ResultFigure.year == year, ResultFigure.code == "overall",
                                       col(ResultFigure.current).is_(True)))}
    found = {}
    for enterprise_id in ids:
        assessment = states.get(enterprise_id)
        figure = overall.get(enterprise_id)
        if figure is not None:  # the cohort as it stood at finalisation
            cohort: tuple[str | None, ...] = (figure.industry_division, figure.size_class,
                                              figure.province)
        else:
            cohort = tuple(profiles.get(enterprise_id, (None, None, None)))
        division, size, place = cohort
        found_division = find_division(division) if division else None
        found[enterprise_id] = MemberAssessment(
            enterprise_id=enterprise_id,
            state=assessment.state if assessment else None,
            industry_division=division,
            industry_group=found_division.group.code if found_division else None,
            size_class=size, province=place,
            overall_score=figure.score if figure else None,
            overall_level=figure.level if figure else None,
            revision=figure.revision if figure else None,
        )
    return found


def member_figures(association_id: uuid.UUID, year: int,
                   codes: Iterable[str] | None = None) -> list[Figure]:
    """The current finalised figures of ``year`` of the scores-sharing members."""
    ids = sharing_member_ids(association_id)
    if not ids:
        return []
    # plain columns, not ORM objects: an association may hold hundreds of members
    table = ResultFigure.__table__  # type: ignore[attr-defined]
    statement = sa.select(table.c.tenant_id, table.c.code, table.c.kind, table.c.score,
                          table.c.level, table.c.industry_division, table.c.industry_group,
                          table.c.size_class, table.c.province).where(
        table.c.tenant_id.in_(ids), table.c.year == year, table.c.current == sa.true())
    if codes is not None:
        statement = statement.where(table.c.code.in_(list(codes)))
    with system_scope(db.session, "association dashboard: member figures"):
        return [Figure(*row) for row in db.session.execute(statement).all()]


def member_years(association_id: uuid.UUID) -> list[int]:
    """The years for which any scores-sharing member has an assessment, newest first."""
    ids = sharing_member_ids(association_id)
    if not ids:
        return []
    with system_scope(db.session, "association dashboard: assessment years"):
        years = db.session.exec(
            select(Assessment.year).where(col(Assessment.tenant_id).in_(ids)).distinct())
        return sorted(set(years), reverse=True)
