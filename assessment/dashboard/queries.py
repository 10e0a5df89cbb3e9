"""Reads of an association's members, across their tenants, limited to what the links grant.

Each function that reads member tenants does so in ONE explicit, logged system scope, and
restricts every statement to the enterprises whose accepted link to the association grants
``scores`` (:func:`sharing_members`, a subquery on the links built inside the function from
the association's id, so that a caller cannot widen it). Plain columns only, and the member
list is filtered, sorted and paginated in SQL: an association may hold thousands. What
leaves these functions:

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
from typing import Any

import sqlalchemy as sa

from assessment.assessments.models import Assessment, ResultFigure
from assessment.dashboard.filters import Filters, MemberStatus
from assessment.profiles.models import EnterpriseProfile
from indicators.catalogue.industries import find_division, list_divisions
from tenants import queries as platform_queries
from tenants.context import system_scope
from tenants.db import db
from tenants.models import LinkGrant, LinkKind, LinkStatus, Tenant, TenantLink


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


_LINK = TenantLink.__table__  # type: ignore[attr-defined]
_TENANT = Tenant.__table__  # type: ignore[attr-defined]
_ASSESSMENT = Assessment.__table__  # type: ignore[attr-defined]
_PROFILE = EnterpriseProfile.__table__  # type: ignore[attr-defined]
_FIGURE = ResultFigure.__table__  # type: ignore[attr-defined]


def _grants(grant: LinkGrant) -> sa.ColumnElement[bool]:
    """The link's JSON list of grants holds ``grant`` (its text holds the quoted name:
    grant names are plain words, none inside another's quotes)."""
    return sa.cast(_LINK.c.grants, sa.String).like(f'%"{grant.value}"%')


def _member_links(association_id: uuid.UUID) -> list[sa.ColumnElement[bool]]:
    return [_LINK.c.source_tenant_id == association_id,
            _LINK.c.kind == LinkKind.association_member.value]


def _shares_scores() -> sa.ColumnElement[bool]:
    return sa.and_(_LINK.c.status == LinkStatus.accepted.value, _grants(LinkGrant.scores))


def sharing_members(association_id: uuid.UUID) -> sa.Select[tuple[uuid.UUID]]:
    """The enterprises whose accepted link grants ``scores`` to the association, as a
    subquery (the database applies it; no list of thousands of ids travels)."""
    return sa.select(_LINK.c.target_tenant_id).where(
        _LINK.c.source_tenant_id == association_id,
        _LINK.c.status == LinkStatus.accepted.value, _grants(LinkGrant.scores))


def sharing_member_ids(association_id: uuid.UUID) -> list[uuid.UUID]:
    """The enterprises whose accepted link grants ``scores`` to the association."""
    return platform_queries.linked_tenant_ids(association_id, LinkGrant.scores)


# -- the member list: one statement for the page, filtered, sorted and paginated in SQL ----
_state = _ASSESSMENT.c.state
_status: sa.ColumnElement[str] = sa.case(
    (_LINK.c.status == LinkStatus.pending.value, "invited"),
    (_state.is_(None), "not_started"),
    (_state.in_(["draft", "returned"]), "in_progress"),
    (_state == "submitted", "submitted"),
    else_="finalised",
)
_division: sa.ColumnElement[str] = sa.func.coalesce(_FIGURE.c.industry_division,
                                                    _PROFILE.c.industry_division)
_size: sa.ColumnElement[str] = sa.func.coalesce(_FIGURE.c.size_class, _PROFILE.c.size_class)
_province: sa.ColumnElement[str] = sa.func.coalesce(_FIGURE.c.province, _PROFILE.c.province)
# a literal, so that the planner matches the partial index of overall figures
_OVERALL = _FIGURE.c.code == sa.literal_column("'overall'")
SORTS = ("name", "-name", "overall", "-overall", "division", "status")


def _member_rows(association_id: uuid.UUID, year: int) -> sa.Select[Any]:
    """Every listed member (pending, or accepted sharing scores) with its assessment state
    of ``year``, its cohort (as finalised, else the profile's) and its current overall
    figure; a pending member's own rows are never joined."""
    shares = _shares_scores()
    joined = (
        _LINK.join(_TENANT, _TENANT.c.id == _LINK.c.target_tenant_id)
        .outerjoin(_ASSESSMENT, sa.and_(_ASSESSMENT.c.tenant_id == _LINK.c.target_tenant_id,
                                        _ASSESSMENT.c.year == year, shares))
        .outerjoin(_PROFILE, sa.and_(_PROFILE.c.tenant_id == _LINK.c.target_tenant_id, shares))
        .outerjoin(_FIGURE, sa.and_(_FIGURE.c.tenant_id == _LINK.c.target_tenant_id,
                                    _FIGURE.c.year == year, _OVERALL,
                                    _FIGURE.c.current == sa.true(), shares))
    )
    return sa.select().select_from(joined).where(
        *_member_links(association_id),
        sa.or_(_LINK.c.status == LinkStatus.pending.value, shares))


STATUSES = tuple(status.value for status in MemberStatus)


def _listed(association_id: uuid.UUID, year: int) -> sa.CTE:
    """Every listed member as plain columns, with how many listed members have each status
    (window sums over the unfiltered list, so that the page needs no second pass)."""
    return _member_rows(association_id, year).add_columns(
        _LINK.c.target_tenant_id.label("enterprise_id"), _TENANT.c.name.label("name"),
        _status.label("status"), _division.label("industry_division"),
        _size.label("size_class"), _province.label("province"),
        _FIGURE.c.score.label("overall_score"), _FIGURE.c.level.label("overall_level"),
        _LINK.c.may_be_named.label("may_be_named"),
        *(sa.func.sum(sa.case((_status == status, 1), else_=0)).over().label(f"n_{status}")
          for status in STATUSES),
    ).cte("listed")


def _filtered(statement: sa.Select[Any], listed: sa.CTE, filters: Filters) -> sa.Select[Any]:
    columns = listed.c
    if filters.industry:
        found = find_division(filters.industry)
        divisions = [found.code] if found is not None else [
            d.code for d in list_divisions() if d.group.code == filters.industry]
        statement = statement.where(columns.industry_division.in_(divisions))
    if filters.size_class:
        statement = statement.where(columns.size_class == filters.size_class)
    if filters.province:
        statement = statement.where(columns.province == filters.province)
    if filters.status:
        statement = statement.where(columns.status == filters.status)
    if filters.search:
        statement = statement.where(sa.func.lower(columns.name).contains(
            filters.search.lower(), autoescape=True))
    return statement


def _order(listed: sa.CTE, sort: str) -> list[Any]:
    columns = listed.c
    name = sa.func.lower(columns.name)
    by = {
        "name": [name.asc()], "-name": [name.desc()],
        "overall": [sa.nulls_last(columns.overall_score.asc())],
        "-overall": [sa.nulls_last(columns.overall_score.desc())],
        "division": [sa.nulls_last(columns.industry_division.asc())],
        "status": [columns.status.asc()],
    }.get(sort, [name.asc()])
    return [*by, name.asc(), columns.enterprise_id]


@dataclass(frozen=True)
class MemberPageRow:
    enterprise_id: uuid.UUID
    name: str
    status: str
    industry_division: str | None
    size_class: str | None
    province: str | None
    overall_score: float | None
    overall_level: int | None
    may_be_named: bool


_PAGE_COLUMNS = ("enterprise_id", "name", "status", "industry_division", "size_class",
                 "province", "overall_score", "overall_level", "may_be_named")


@dataclass(frozen=True)
class MemberPage:
    rows: list[MemberPageRow]
    matching: int  # rows the filters match
    status_counts: dict[str, int]  # listed members per status, before the filters


def member_page(association_id: uuid.UUID, year: int, filters: Filters,
                limit: int | None, offset: int = 0) -> MemberPage:
    """One page of the filtered, sorted member list (``limit`` None: every row), how many
    rows the filters match and how many listed members have each status. Plain columns,
    one statement: the members are joined once, counted per status over the whole list,
    then filtered, counted, sorted and paginated."""
    listed = _listed(association_id, year)
    statement = _filtered(sa.select(
        *(listed.c[name] for name in _PAGE_COLUMNS),
        *(listed.c[f"n_{status}"] for status in STATUSES),
        sa.func.count().over().label("matching")), listed, filters,
    ).order_by(*_order(listed, filters.sort)).offset(offset)
    if limit is not None:
        statement = statement.limit(limit)
    with system_scope(db.session, "association dashboard: member list"):
        rows = db.session.execute(statement).all()
    if not rows:  # no match, or past the last page: still say how many match and have each
        return MemberPage([], _matching(association_id, year, filters) if offset else 0,
                          member_status_counts(association_id, year))
    first = rows[0]
    counts = {status: int(first._mapping[f"n_{status}"] or 0) for status in STATUSES}
    return MemberPage([MemberPageRow(*row[:len(_PAGE_COLUMNS)]) for row in rows],
                      int(first.matching), {k: n for k, n in counts.items() if n})


def _matching(association_id: uuid.UUID, year: int, filters: Filters) -> int:
    listed = _listed(association_id, year)
    statement = _filtered(sa.select(sa.func.count()).select_from(listed), listed, filters)
    with system_scope(db.session, "association dashboard: matching members"):
        return int(db.session.execute(statement).scalar_one())


def member_status_counts(association_id: uuid.UUID, year: int) -> dict[str, int]:
    """How many listed members have each status (before any filter)."""
    statement = _member_rows(association_id, year).add_columns(
        _status.label("status"), sa.func.count()).group_by(_status)
    with system_scope(db.session, "association dashboard: member statuses"):
        return {str(status): int(n) for status, n in db.session.execute(statement).all()}


def links_without_scores(association_id: uuid.UUID) -> int:
    """Accepted member links that do not share scores (counted, not listed)."""
    return int(db.session.execute(sa.select(sa.func.count()).select_from(_LINK).where(
        *_member_links(association_id), _LINK.c.status == LinkStatus.accepted.value,
        sa.not_(_grants(LinkGrant.scores)))).scalar_one())


def member_figures(association_id: uuid.UUID, year: int,
                   codes: Iterable[str] | None = None) -> list[Figure]:
    """The current finalised figures of ``year`` of the scores-sharing members."""
    # plain columns, not ORM objects: an association may hold thousands of members
    table = _FIGURE
    statement = sa.select(table.c.tenant_id, table.c.code, table.c.kind, table.c.score,
                          table.c.level, table.c.industry_division, table.c.industry_group,
                          table.c.size_class, table.c.province).where(
        table.c.tenant_id.in_(sharing_members(association_id)), table.c.year == year,
        table.c.current == sa.true())
    if codes is not None and list(codes) == ["overall"]:
        statement = statement.where(_OVERALL)  # the members' overall index
    elif codes is not None:
        statement = statement.where(table.c.code.in_(list(codes)))
    with system_scope(db.session, "association dashboard: member figures"):
        return [Figure(*row) for row in db.session.execute(statement).all()]


def member_years(association_id: uuid.UUID) -> tuple[list[int], list[int]]:
    """The years for which any scores-sharing member has an assessment, and those of which
    some has current finalised figures (the year the dashboard opens on), newest first. One
    statement: a current figure belongs to an assessment of its own year."""
    overall = sa.and_(_FIGURE.c.tenant_id == _ASSESSMENT.c.tenant_id,
                      _FIGURE.c.year == _ASSESSMENT.c.year, _OVERALL,
                      _FIGURE.c.current == sa.true())
    finalised = sa.func.max(sa.case((_FIGURE.c.tenant_id.is_not(None), 1), else_=0))
    with system_scope(db.session, "association dashboard: assessment years"):
        rows = db.session.execute(
            sa.select(_ASSESSMENT.c.year, finalised)
            .select_from(_ASSESSMENT.outerjoin(_FIGURE, overall))
            .where(_ASSESSMENT.c.tenant_id.in_(sharing_members(association_id)))
            .group_by(_ASSESSMENT.c.year)).all()
    years = sorted(((int(year), bool(done)) for year, done in rows), reverse=True)
    return [year for year, _ in years], [year for year, done in years if done]
