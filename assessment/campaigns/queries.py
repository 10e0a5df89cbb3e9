"""Reading campaigns: the status board (counts, filters, pages in SQL) and the export rows.

A participant's status is derived when read, from the participant row, the link the
enterprise answered and its assessment of the campaign's year. The assessment is joined
only through an *accepted* link (the join condition says so): without one, nothing of the
enterprise's assessment reaches the board, whatever the enterprise did.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from assessment.assessments.models import Answer, Assessment, State
from assessment.assessments.pages import pages_for
from assessment.campaigns.models import Campaign, Participant, Reminder, Status, Upload
from assessment.questionnaire.progress import progress
from indicators import load_framework
from tenants.context import system_scope
from tenants.db import db
from tenants.models import LinkStatus, TenantLink

P = Participant.__table__  # type: ignore[attr-defined]
LINK = TenantLink.__table__  # type: ignore[attr-defined]
A = Assessment.__table__  # type: ignore[attr-defined]
ANSWER = Answer.__table__  # type: ignore[attr-defined]

OPEN = (Status.invited, Status.signed_up, Status.in_progress, Status.returned)
PAGE_SIZE = 25


def campaigns() -> list[Campaign]:
    return list(db.session.exec(select(Campaign).order_by(col(Campaign.year).desc(),
                                                          col(Campaign.created_at).desc())))


def campaign(campaign_id: uuid.UUID) -> Campaign | None:
    return db.session.exec(select(Campaign).where(Campaign.id == campaign_id)).first()


def participants(campaign_id: uuid.UUID, participant_ids: list[uuid.UUID]
                 ) -> list[Participant]:
    """These participants of the campaign (ids of another campaign are ignored)."""
    return list(db.session.exec(select(Participant).where(
        Participant.campaign_id == campaign_id, col(Participant.id).in_(participant_ids))))


def upload(campaign_id: uuid.UUID, upload_id: uuid.UUID) -> Upload | None:
    return db.session.exec(select(Upload).where(Upload.id == upload_id,
                                                Upload.campaign_id == campaign_id)).first()


def participant_codes(campaign_id: uuid.UUID) -> set[str]:
    rows = db.session.execute(sa.select(P.c.credit_code).where(
        P.c.tenant_id == _owner_of(campaign_id), P.c.campaign_id == campaign_id))
    return {r[0] for r in rows}


def _owner_of(campaign_id: uuid.UUID) -> Any:
    return sa.select(Campaign.__table__.c.tenant_id).where(  # type: ignore[attr-defined]
        Campaign.__table__.c.id == campaign_id).scalar_subquery()  # type: ignore[attr-defined]


def _joined(found: Campaign) -> Any:
    """Participants of ``found`` with their link and (through an accepted link only) their
    assessment of the campaign's year."""
    return (P.outerjoin(LINK, sa.and_(LINK.c.source_tenant_id == P.c.tenant_id,
                                      LINK.c.target_tenant_id == P.c.enterprise_tenant_id))
            .outerjoin(A, sa.and_(A.c.tenant_id == P.c.enterprise_tenant_id,
                                  A.c.year == found.year,
                                  LINK.c.status == LinkStatus.accepted.value)))


def status_expression(found: Campaign, today: date) -> Any:
    base = sa.case(
        (sa.or_(P.c.declined_at.is_not(None),
                LINK.c.status.in_([LinkStatus.declined.value, LinkStatus.revoked.value])),
         Status.declined.value),
        (P.c.enterprise_tenant_id.is_(None), Status.invited.value),
        (A.c.state == State.finalised.value, Status.finalised.value),
        (A.c.state == State.submitted.value, Status.submitted.value),
        (A.c.state == State.returned.value, Status.returned.value),
        (A.c.state == State.draft.value, Status.in_progress.value),
        else_=Status.signed_up.value,
    )
    if today <= found.deadline:
        return base
    return sa.case((base.in_([s.value for s in OPEN]), Status.overdue.value), else_=base)


@dataclass(frozen=True)
class Filters:
    status: str = ""
    search: str = ""
    province: str = ""
    industry: str = ""
    page: int = 1


@dataclass(frozen=True)
class BoardRow:
    id: uuid.UUID
    company_name: str
    credit_code: str
    contact_name: str
    email: str
    industry: str
    size: str
    province: str
    status: str
    coverage: int | None  # percent of the questionnaire answered, for a started assessment
    reminders: int
    last_reminded: Any


@dataclass(frozen=True)
class Board:
    counts: dict[str, int]
    total: int  # participants matching the filters
    rows: list[BoardRow]
    page: int
    pages: int


def _where(found: Campaign, filters: Filters, status: Any) -> list[Any]:
    where = [P.c.tenant_id == found.tenant_id, P.c.campaign_id == found.id]
    if filters.search:
        like = f"%{filters.search.strip().lower()}%"
        where.append(sa.or_(sa.func.lower(P.c.company_name).like(like),
                            sa.func.lower(P.c.credit_code).like(like),
                            sa.func.lower(P.c.email).like(like)))
    if filters.province:
        where.append(P.c.province == filters.province)
    if filters.industry:
        where.append(P.c.industry == filters.industry)
    if filters.status:
        where.append(status == filters.status)
    return where


def board(found: Campaign, filters: Filters, today: date, page_size: int = PAGE_SIZE) -> Board:
    """Counts per status (with the other filters), and one page of rows, all in SQL."""
    status = status_expression(found, today)
    joined = _joined(found)
    reminders = Reminder.__table__  # type: ignore[attr-defined]
    with system_scope(db.session, "campaign board: participants' states through their links"):
        count_where = _where(found, Filters(search=filters.search, province=filters.province,
                                            industry=filters.industry), status)
        counts = {row[0]: row[1] for row in db.session.execute(
            sa.select(status, sa.func.count()).select_from(joined).where(*count_where)
            .group_by(status))}
        total = counts.get(filters.status, 0) if filters.status else sum(counts.values())
        pages = max(1, -(-total // page_size))
        page = min(max(filters.page, 1), pages)
        query = (sa.select(P, status.label("status"), A.c.id.label("assessment_id"),
                           A.c.tenant_id.label("assessment_tenant"))
                 .select_from(joined)
                 .where(*_where(found, filters, status))
                 .order_by(P.c.company_name, P.c.id)
                 .limit(page_size).offset((page - 1) * page_size))
        raw = list(db.session.execute(query))
        # the reminders of this page's rows only (not an aggregate over the whole campaign)
        sent = {row[0]: (row[1], row[2]) for row in db.session.execute(
            sa.select(reminders.c.participant_id, sa.func.count(), sa.func.max(
                reminders.c.sent_at))
            .where(reminders.c.tenant_id == found.tenant_id,
                   reminders.c.participant_id.in_([r.id for r in raw]))
            .group_by(reminders.c.participant_id))} if raw else {}
        started = [(r.assessment_tenant, r.assessment_id) for r in raw
                   if r.assessment_id is not None
                   and r.status in (Status.in_progress, Status.returned, Status.overdue)]
        answered = _answered(started)
    total_inputs = _input_count(found)
    rows = []
    for r in raw:
        done = answered.get(r.assessment_id)
        coverage = (min(100, round(100 * done / total_inputs)) if done is not None
                    and total_inputs else (0 if r.assessment_id is not None
                                           and r.status not in (Status.finalised,
                                                                Status.submitted)
                                           else None))
        rows.append(BoardRow(r.id, r.company_name, r.credit_code, r.contact_name, r.email,
                             r.industry, r.size, r.province, r.status, coverage,
                             sent.get(r.id, (0, None))[0], sent.get(r.id, (0, None))[1]))
    return Board(counts, total, rows, page, pages)


def _answered(started: list[tuple[uuid.UUID, uuid.UUID]]) -> dict[uuid.UUID, int]:
    """Answers given per assessment (call in the system scope): only the page's rows."""
    if not started:
        return {}
    rows = db.session.execute(
        sa.select(ANSWER.c.assessment_id, sa.func.count())
        .where(sa.tuple_(ANSWER.c.tenant_id, ANSWER.c.assessment_id).in_(started),
               ANSWER.c.value.is_not(None))
        .group_by(ANSWER.c.assessment_id))
    return {r[0]: r[1] for r in rows}


_INPUTS: dict[tuple[str, str], int] = {}


def _input_count(found: Campaign) -> int:
    key = (found.framework_id, found.framework_version)
    if key not in _INPUTS:
        try:
            framework = load_framework(found.framework_id, found.framework_version)
        except Exception:  # an unknown version: coverage is not shown
            return 0
        # the same count the questionnaire's progress bar divides by
        _INPUTS[key] = progress(pages_for(framework), [], [], True)[1].total
    return _INPUTS[key]


def export_rows(found: Campaign, today: date) -> list[BoardRow]:
    rows: list[BoardRow] = []
    page = 1
    while True:
        found_board = board(found, Filters(page=page), today, page_size=1000)
        rows.extend(found_board.rows)
        if page >= found_board.pages:
            return rows
        page += 1


def eligible_for_reminder(found: Campaign, today: date) -> list[uuid.UUID]:
    """Participants still expected to act (not submitted, finalised or declined)."""
    status = status_expression(found, today)
    with system_scope(db.session, "campaign reminders: participants' states through links"):
        rows = db.session.execute(
            sa.select(P.c.id).select_from(_joined(found))
            .where(P.c.tenant_id == found.tenant_id, P.c.campaign_id == found.id,
                   status.in_([*[s.value for s in OPEN], Status.overdue.value])))
        return [r[0] for r in rows]


def open_campaigns(today: date, horizon_days: int) -> list[Campaign]:
    """Every tenant's campaigns that may have a reminder due (for the periodic job)."""
    with system_scope(db.session, "campaign reminders: open campaigns of every tenant"):
        found = list(db.session.exec(select(Campaign).where(
            col(Campaign.closed_at).is_(None))))
        db.session.expunge_all()
    return [c for c in found if (c.deadline - today).days <= max(c.remind_days_before or [0])
            and (today - c.deadline).days <= horizon_days]
