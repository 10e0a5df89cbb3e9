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


@dataclass(frozen=True)
class MemberList:
    rows: list[MemberRow]  # after the filters
    total: int  # before the filters
    status_counts: dict[MemberStatus, int]  # before the filters
    without_scores: int


def member_list(association_id: uuid.UUID, year: int, filters: Filters) -> MemberList:
    links = queries.member_links(association_id)
    known = queries.member_assessments(association_id, year)
    rows = []
    for link in links.members:
        found = None if link.pending else known.get(link.enterprise_id)
        rows.append(MemberRow(
            enterprise_id=link.enterprise_id, name=link.name,
            status=status_of(link.pending, found.state if found else None),
            industry_division=found.industry_division if found else None,
            industry_group=found.industry_group if found else None,
            size_class=found.size_class if found else None,
            province=found.province if found else None,
            overall_score=found.overall_score if found else None,
            overall_level=found.overall_level if found else None,
            may_be_named=link.may_be_named,
        ))
    counts = {status: 0 for status in MemberStatus}
    for row in rows:
        counts[row.status] += 1
    shown = [row for row in rows
             if filters.admits_cohort(row.industry_division, row.size_class, row.province)
             and filters.admits_member(row.name, row.status)]
    shown.sort(key=lambda r: r.name.casefold())
    return MemberList(shown, len(rows), counts, links.without_scores)
