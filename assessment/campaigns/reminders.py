"""The reminder cadence: which step is due for a campaign on a day, and one run of it.

A campaign's steps are "before:N" (N days before the deadline) and "after:N" (N days after
it: escalations). On a day, only the latest step already reached is due: a run missed for a
week does not send three stale reminders at once. A step reaches each participant once:
``campaign_reminder`` has a unique key (participant, step), and a run inserts its rows
``ON CONFLICT DO NOTHING ... RETURNING`` the participants it inserted, then mails exactly
those. Two runs at once (two workers, a run and the owner's button) therefore send once.
Participants who submitted, were finalised or declined are not eligible.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.dialects import postgresql, sqlite

from assessment.campaigns import queries
from assessment.campaigns.messages import MessageKind, queue_messages
from assessment.campaigns.models import Campaign, Reminder
from tenants.context import set_tenant
from tenants.db import db
from tenants.localtime import zone_of

ESCALATION_HORIZON_DAYS = 60  # after this long past its deadline, a campaign is left alone


def local_day(now: datetime) -> date:
    """The campaign's calendar day at ``now``: deadlines are days in the default zone
    (China), not in UTC."""
    return now.astimezone(zone_of(None)).date()


def due_step(found: Campaign, today: date) -> str | None:
    """The step of the cadence due on ``today``, if any."""
    days_left = (found.deadline - today).days
    if days_left > 0:
        reached = [n for n in found.remind_days_before if n >= days_left]
        return f"before:{min(reached)}" if reached else None
    overdue = -days_left
    reached = [n for n in found.escalate_days_after if n <= overdue]
    return f"after:{max(reached)}" if reached else None


def _insert_steps(found: Campaign, participant_ids: Iterable[uuid.UUID], step: str,
                  now: datetime) -> list[uuid.UUID]:
    """Record ``step`` for each participant; returns those for whom it is new."""
    rows = [{"id": uuid.uuid4(), "tenant_id": found.tenant_id, "campaign_id": found.id,
             "participant_id": pid, "step": step, "sent_at": now} for pid in participant_ids]
    if not rows:
        return []
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Reminder)
    statement = insert.on_conflict_do_nothing(
        index_elements=["tenant_id", "participant_id", "step"]).returning(
        Reminder.__table__.c.participant_id)  # type: ignore[attr-defined]
    inserted: list[uuid.UUID] = []
    for start_at in range(0, len(rows), 1000):
        result = db.session.execute(statement, rows[start_at:start_at + 1000])
        inserted.extend(r[0] for r in result)
    return inserted


def remind_campaign(found: Campaign, now: datetime, today: date) -> int:
    """Send the step due today to the participants still expected; returns how many."""
    step = due_step(found, today)
    if step is None:
        return 0
    set_tenant(db.session, found.tenant_id)
    eligible = queries.eligible_for_reminder(found, today)
    fresh = _insert_steps(found, eligible, step, now)
    kind = MessageKind.escalation if step.startswith("after:") else MessageKind.reminder
    queue_messages(kind, found, fresh)
    return len(fresh)


def remind_now(found: Campaign, participant_ids: list[uuid.UUID], now: datetime,
               today: date) -> int:
    """The owner's "send a reminder now" to a selection: only to those still expected, and
    one step per click (a double click sends once)."""
    eligible = set(queries.eligible_for_reminder(found, today))
    chosen = [pid for pid in dict.fromkeys(participant_ids) if pid in eligible]
    step = f"now:{now.strftime('%Y%m%d%H%M')}"
    fresh = _insert_steps(found, chosen, step, now)
    kind = MessageKind.escalation if today > found.deadline else MessageKind.reminder
    queue_messages(kind, found, fresh)
    return len(fresh)


@dataclass(frozen=True)
class RunSummary:
    campaigns: int
    sent: int


def run(now: datetime, today: date | None = None) -> RunSummary:
    """One reminder run over every tenant's open campaigns, each committed on its own."""
    today = today or local_day(now)
    campaigns = queries.open_campaigns(today, ESCALATION_HORIZON_DAYS)
    db.commit()
    sent = 0
    for found in campaigns:
        with db.commit_scope():
            sent += remind_campaign(db.session.merge(found, load=False), now, today)
    set_tenant(db.session, None)
    return RunSummary(len(campaigns), sent)
