"""The association's member list: each member's status for a year, filtered and searched.

Statuses: ``invited`` (the link is pending), ``not_started`` (no assessment of the year),
``in_progress`` (draft or returned), ``submitted``, ``finalised`` (``MemberStatus``, defined
in :mod:`.filters`, whose form offers them). A reopened assessment is in progress again; its
last finalised figures still count, as in the benchmarks.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from assessment.assessments.models import State
from assessment.dashboard import queries
from assessment.dashboard.filters import STATUS_LABELS, Filters, MemberStatus
from indicators.catalogue.industries import find_division


def status_of(pending: bool, state: str | None) -> MemberStatus:
    if pending:
        return MemberStatus.invited
    if state is None:
        return MemberStatus.not_started
    if state in (State.draft, State.returned):
        return MemberStatus.in_progress
    if state == State.submitted:
        return MemberStatus.submitted
    return MemberStatus.finalised


@dataclass(frozen=True)
class MemberRow:
    enterprise_id: uuid.UUID
    name: str
    status: MemberStatus
    industry_division: str | None
    industry_group: str | None
    size_class: str | None
    province: str | None
    overall_score: float | None
    overall_level: int | None
    may_be_named: bool

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


PER_PAGE = 50


@dataclass(frozen=True)
class MemberList:
    rows: list[MemberRow]  # one page, after the filters (every row when not paginated)
    total: int  # before the filters
    status_counts: dict[MemberStatus, int]  # before the filters
    without_scores: int
    matching: int = 0  # rows the filters match, on every page
    page: int = 1
    per_page: int | None = None  # None: not paginated

    @property
    def pages(self) -> int:
        if not self.per_page:
            return 1
        return max(1, -(-self.matching // self.per_page))


def member_list(association_id: uuid.UUID, year: int, filters: Filters, *,
                paginate: bool = False) -> MemberList:
    """The listed members of ``year``: a page of ``PER_PAGE`` (``filters.page``) when
    ``paginate``, else every matching row (exports)."""
    page = max(1, filters.page) if paginate else 1
    limit = PER_PAGE if paginate else None
    found = queries.member_page(association_id, year, filters, limit,
                                (page - 1) * PER_PAGE if paginate else 0)
    rows = []
    for row in found.rows:
        division = find_division(row.industry_division) if row.industry_division else None
        rows.append(MemberRow(
            enterprise_id=row.enterprise_id, name=row.name, status=MemberStatus(row.status),
            industry_division=row.industry_division,
            industry_group=division.group.code if division else None,
            size_class=row.size_class, province=row.province,
            overall_score=row.overall_score, overall_level=row.overall_level,
            may_be_named=row.may_be_named,
        ))
    counts = {status: found.status_counts.get(status.value, 0) for status in MemberStatus}
    return MemberList(rows, sum(counts.values()), counts,
                      queries.links_without_scores(association_id), found.matching, page,
                      limit)
