"""Reads of a consultancy's client portfolio, across its clients' tenants.

One statement per page, filtered, sorted and paginated in SQL with plain columns (a
consultancy may hold hundreds of clients), in ONE explicit, logged system scope, and
restricted to the clients whose link from the consultancy is accepted or pending. A client's
own rows (its assessment, its figures, its comments) are joined only when its accepted link
grants ``review``: that grant opens its assessments in every state, so the board may show
their state; without it the row says so and shows nothing of the client's.

What the board shows per client: the status of its newest assessment (or of the chosen
year's), that year, the current overall score and level, the reviewer and due date the
consultancy recorded (:class:`~assessment.portfolio.models.PortfolioAssignment`), and the
last activity (the assessment's last change or its newest comment).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from assessment.assessments.models import Assessment, ResultFigure, ReviewComment
from assessment.portfolio.models import PortfolioAssignment
from tenants.context import system_scope
from tenants.db import db
from tenants.models import LinkGrant, LinkKind, LinkStatus, Tenant, TenantLink, User

_LINK = TenantLink.__table__  # type: ignore[attr-defined]
_TENANT = Tenant.__table__  # type: ignore[attr-defined]
_ASSESSMENT = Assessment.__table__  # type: ignore[attr-defined]
_FIGURE = ResultFigure.__table__  # type: ignore[attr-defined]
_COMMENT = ReviewComment.__table__  # type: ignore[attr-defined]
_ASSIGNMENT = PortfolioAssignment.__table__  # type: ignore[attr-defined]
_USER = User.__table__  # type: ignore[attr-defined]

STATUSES = ("invited", "no_access", "not_started", "in_progress", "submitted", "returned",
            "finalised")
SORTS = ("name", "-name", "status", "-year", "-score", "score", "due", "-activity")
PER_PAGE = 25


@dataclass(frozen=True)
class Filters:
    status: str = ""
    year: int | None = None  # None: each client's newest assessment
    reviewer: str = ""  # a member's user id, "none" (nobody assigned), "" (anyone)
    search: str = ""
    sort: str = "name"
    page: int = 1

    def query_args(self) -> dict[str, Any]:
        values = {"status": self.status, "year": self.year, "reviewer": self.reviewer,
                  "q": self.search, "sort": "" if self.sort == "name" else self.sort}
        return {k: v for k, v in values.items() if v not in ("", None)}

    def page_args(self, page: int) -> dict[str, Any]:
        return {**self.query_args(), "page": page}


@dataclass(frozen=True)
class BoardRow:
    enterprise_id: uuid.UUID
    name: str
    status: str
    grants: tuple[str, ...]
    assessment_id: uuid.UUID | None
    year: int | None
    score: float | None
    level: int | None
    reviewer_id: uuid.UUID | None
    reviewer_name: str | None
    due_on: date | None
    last_activity: datetime | None

    @property
    def may_open(self) -> bool:
        return LinkGrant.review.value in self.grants

    @property
    def may_read_reports(self) -> bool:
        return LinkGrant.reports.value in self.grants and self.status != "invited"


def _grants(grant: LinkGrant) -> sa.ColumnElement[bool]:
    """The link's JSON list of grants holds ``grant`` (as the dashboard reads it)."""
    return sa.cast(_LINK.c.grants, sa.String).like(f'%"{grant.value}"%')


def _opens() -> sa.ColumnElement[bool]:
    return sa.and_(_LINK.c.status == LinkStatus.accepted.value, _grants(LinkGrant.review))


def _client_links(consultancy_id: uuid.UUID) -> list[sa.ColumnElement[bool]]:
    return [_LINK.c.source_tenant_id == consultancy_id,
            _LINK.c.kind == LinkKind.consultancy_client.value,
            _LINK.c.status.in_([LinkStatus.accepted.value, LinkStatus.pending.value])]


_state = _ASSESSMENT.c.state
_status: sa.ColumnElement[str] = sa.case(
    (_LINK.c.status == LinkStatus.pending.value, "invited"),
    (sa.not_(_grants(LinkGrant.review)), "no_access"),
    (_state.is_(None), "not_started"),
    (_state == "draft", "in_progress"),
    (_state == "submitted", "submitted"),
    (_state == "returned", "returned"),
    else_="finalised",
)
# the order in which a consultant works through the statuses
_status_rank: sa.ColumnElement[int] = sa.case(
    *((_status == status, rank) for rank, status in enumerate(
        ("submitted", "returned", "in_progress", "not_started", "invited", "finalised",
         "no_access"))), else_=99)


def _newest_comment() -> sa.ScalarSelect[Any]:
    return sa.select(sa.func.max(_COMMENT.c.created_at)).where(
        _COMMENT.c.tenant_id == _ASSESSMENT.c.tenant_id,
        _COMMENT.c.assessment_id == _ASSESSMENT.c.id).scalar_subquery()


def _activity() -> sa.ColumnElement[Any]:
    commented = _newest_comment()
    changed = _ASSESSMENT.c.updated_at
    return sa.case((sa.and_(commented.is_not(None), commented > changed), commented),
                   else_=sa.func.coalesce(changed, _LINK.c.responded_at, _LINK.c.created_at))


def _rows(consultancy_id: uuid.UUID, year: int | None) -> sa.Select[Any]:
    opens = _opens()
    if year is None:
        older = _ASSESSMENT.alias("client_years")
        newest = (sa.select(sa.func.max(older.c.year))
                  .where(older.c.tenant_id == _LINK.c.target_tenant_id)
                  .correlate(_LINK).scalar_subquery())
        which_year: sa.ColumnElement[bool] = _ASSESSMENT.c.year == newest
    else:
        which_year = _ASSESSMENT.c.year == year
    joined = (
        _LINK.join(_TENANT, _TENANT.c.id == _LINK.c.target_tenant_id)
        .outerjoin(_ASSESSMENT, sa.and_(_ASSESSMENT.c.tenant_id == _LINK.c.target_tenant_id,
                                        which_year, opens))
        .outerjoin(_FIGURE, sa.and_(_FIGURE.c.tenant_id == _LINK.c.target_tenant_id,
                                    _FIGURE.c.assessment_id == _ASSESSMENT.c.id,
                                    _FIGURE.c.code == sa.literal_column("'overall'"),
                                    _FIGURE.c.current == sa.true(), opens))
        .outerjoin(_ASSIGNMENT, sa.and_(_ASSIGNMENT.c.tenant_id == consultancy_id,
                                        _ASSIGNMENT.c.client_tenant_id
                                        == _LINK.c.target_tenant_id))
        .outerjoin(_USER, _USER.c.id == _ASSIGNMENT.c.reviewer_id)
    )
    return sa.select().select_from(joined).where(*_client_links(consultancy_id))


def _filtered(statement: sa.Select[Any], filters: Filters) -> sa.Select[Any]:
    if filters.status:
        statement = statement.where(_status == filters.status)
    if filters.reviewer == "none":
        statement = statement.where(_ASSIGNMENT.c.reviewer_id.is_(None))
    elif filters.reviewer:
        try:
            statement = statement.where(_ASSIGNMENT.c.reviewer_id == uuid.UUID(filters.reviewer))
        except ValueError:
            statement = statement.where(sa.false())
    if filters.search:
        statement = statement.where(sa.func.lower(_TENANT.c.name).contains(
            filters.search.lower(), autoescape=True))
    return statement


def _order(sort: str, activity: sa.ColumnElement[Any]) -> list[Any]:
    name = sa.func.lower(_TENANT.c.name)
    by = {
        "name": [name.asc()], "-name": [name.desc()],
        "status": [_status_rank.asc()],
        "-year": [sa.nulls_last(_ASSESSMENT.c.year.desc())],
        "-score": [sa.nulls_last(_FIGURE.c.score.desc())],
        "score": [sa.nulls_last(_FIGURE.c.score.asc())],
        "due": [sa.nulls_last(_ASSIGNMENT.c.due_on.asc())],
        "-activity": [sa.nulls_last(activity.desc())],
    }.get(sort, [name.asc()])
    return [*by, name.asc(), _LINK.c.target_tenant_id]


def board_page(consultancy_id: uuid.UUID, filters: Filters, limit: int | None = None
               ) -> tuple[list[BoardRow], int]:
    """One page (``limit`` rows, by default :data:`PER_PAGE`) of the filtered, sorted board
    and how many rows the filters match."""
    limit = limit or PER_PAGE
    activity = _activity()
    statement = _filtered(_rows(consultancy_id, filters.year), filters).add_columns(
        _LINK.c.target_tenant_id, _TENANT.c.name, _status, _LINK.c.grants, _ASSESSMENT.c.id,
        _ASSESSMENT.c.year, _FIGURE.c.score, _FIGURE.c.level, _ASSIGNMENT.c.reviewer_id,
        sa.func.coalesce(sa.func.nullif(_USER.c.name, ""), _USER.c.email),
        _ASSIGNMENT.c.due_on, activity, sa.func.count().over().label("matching"),
    ).order_by(*_order(filters.sort, activity)).limit(limit).offset(
        (max(1, filters.page) - 1) * limit)
    with system_scope(db.session, "consultancy portfolio: client board"):
        rows = db.session.execute(statement).all()
        if rows:
            matching = int(rows[0].matching)
        else:
            matching = int(db.session.execute(sa.select(sa.func.count()).select_from(
                _filtered(_rows(consultancy_id, filters.year), filters)
                .add_columns(_LINK.c.target_tenant_id).subquery())).scalar_one())
    return [BoardRow(row[0], row[1], row[2], tuple(row[3] or ()), *row[4:12])
            for row in rows], matching


def status_counts(consultancy_id: uuid.UUID) -> dict[str, int]:
    """How many clients have each status (newest assessment), every status present."""
    statement = _rows(consultancy_id, None).add_columns(
        _status.label("status"), sa.func.count()).group_by(_status)
    with system_scope(db.session, "consultancy portfolio: statuses"):
        found = {str(s): int(n) for s, n in db.session.execute(statement).all()}
    return {status: found.get(status, 0) for status in STATUSES}


def years(consultancy_id: uuid.UUID) -> list[int]:
    """The years any client that opens its assessments to the consultancy has one of."""
    statement = sa.select(_ASSESSMENT.c.year).distinct().where(
        _ASSESSMENT.c.tenant_id.in_(sa.select(_LINK.c.target_tenant_id).where(
            *_client_links(consultancy_id), _opens())))
    with system_scope(db.session, "consultancy portfolio: years"):
        return sorted(set(db.session.execute(statement).scalars()), reverse=True)


def client_link(consultancy_id: uuid.UUID, enterprise_id: uuid.UUID) -> TenantLink | None:
    """The consultancy's accepted or pending link to this client (the links table is
    readable from either side)."""
    return db.session.execute(sa.select(TenantLink).where(
        TenantLink.source_tenant_id == consultancy_id,  # type: ignore[arg-type]
        TenantLink.target_tenant_id == enterprise_id,  # type: ignore[arg-type]
        TenantLink.kind == LinkKind.consultancy_client.value,  # type: ignore[arg-type]
        TenantLink.status.in_([LinkStatus.accepted.value,  # type: ignore[attr-defined]
                               LinkStatus.pending.value]))).scalars().first()


def assignment(client_id: uuid.UUID) -> PortfolioAssignment | None:
    """The current consultancy's record of this client."""
    return db.session.execute(sa.select(PortfolioAssignment).where(
        PortfolioAssignment.client_tenant_id == client_id)).scalars().first()  # type: ignore[arg-type]
