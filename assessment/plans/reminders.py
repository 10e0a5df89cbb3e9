"""Reminders of due and overdue actions to their owners.

:func:`remind` finds, across tenants (a logged system scope), every open action with an
owner whose due date falls within ``PLAN_REMINDER_DAYS`` days ("due soon") or has passed
("overdue"), claims the reminder by inserting its row (the unique key on action, step and
due date decides: a second run, a second worker, never sends it again), and hands each
claimed one to :func:`notify`, which tells the owner through the notification centre
(in-app, e-mail unless they opted out, the enterprise's group robots), all after the commit.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l

from assessment.plans import queries
from assessment.plans.models import PlanReminder, ReminderStep
from tenants import notifications
from tenants.context import system_scope
from tenants.db import db
from tenants.models import User
from tenants.notifications import EventKind, register_event
from tenants.types import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """A reminder to send: which action, which step, to whom."""

    tenant_id: uuid.UUID
    tenant_slug: str
    tenant_name: str
    assessment_id: uuid.UUID
    action_id: uuid.UUID
    title: str
    due_date: date
    step: ReminderStep
    owner: User


def _candidates(on: date, days: int) -> list[Due]:
    rows = queries.owned_open_actions_due_by(on + timedelta(days=days))
    owners = queries.users_by_id({r.owner_id for r in rows})
    out = []
    for r in rows:
        owner = owners.get(r.owner_id)
        if owner is None or not owner.is_active:
            continue
        step = ReminderStep.overdue if r.due_date < on else ReminderStep.due_soon
        out.append(Due(r.tenant_id, r.slug, r.name, r.assessment_id, r.id, r.title,
                       r.due_date, step, owner))
    return out


def _claim(due: Due) -> bool:
    """Insert the reminder's row unless it exists: True when this call claimed it."""
    values = {"tenant_id": due.tenant_id, "id": uuid.uuid4(), "action_id": due.action_id,
              "step": due.step.value, "due_date": due.due_date, "sent_to_id": due.owner.id,
              "sent_at": utcnow()}
    table = PlanReminder.__table__  # type: ignore[attr-defined]
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement: Any = pg_insert(table).values(**values).on_conflict_do_nothing()
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(table).values(**values).on_conflict_do_nothing()
    # RETURNING, not the row count: it names the row this statement inserted, if any.
    return db.session.execute(statement.returning(table.c.id)).first() is not None


DUE_SOON = register_event(EventKind(
    "plan.action_due", _l("An improvement action falls due"),
    _l("Due on %(date)s: %(title)s"),
    _l("The action “%(title)s” of %(enterprise)s is due on %(date)s. You are its owner: "
       "open it to update its status or add a comment.")))
OVERDUE = register_event(EventKind(
    "plan.action_overdue", _l("An improvement action is overdue"),
    _l("Overdue since %(date)s: %(title)s"),
    _l("The action “%(title)s” of %(enterprise)s was due on %(date)s and is not done yet. "
       "You are its owner: open it to update its status or add a comment.")))
EVENTS = {ReminderStep.due_soon: DUE_SOON, ReminderStep.overdue: OVERDUE}


def notify(due: Due) -> None:
    """Tell the action's owner: in the notification centre, by e-mail unless they opted out,
    and on the enterprise's group robots (``tenants.notifications``, sent after the
    commit)."""
    link = url_for("plans.action", slug=due.tenant_slug, assessment_id=due.assessment_id,
                   action_id=due.action_id)
    notifications.notify(
        db.session, tenant_id=due.tenant_id, user_ids=[due.owner.id],
        event=EVENTS[due.step].key,
        params={"date": due.due_date.isoformat(), "title": due.title,
                "enterprise": due.tenant_name},
        url=link)


def remind(on: date | None = None, days: int | None = None) -> int:
    """Send every reminder due ``on`` (default today, UTC); commits; returns how many."""
    on = on or datetime.now(UTC).date()
    days = int(current_app.config["PLAN_REMINDER_DAYS"] if days is None else days)
    context = (contextlib.nullcontext() if has_request_context()
               else current_app.test_request_context())
    sent = 0
    with context:
        with system_scope(db.session, "plans: reminders of due actions"):
            for due in _candidates(on, days):
                if _claim(due):
                    notify(due)
                    sent += 1
        db.commit()
    if sent:
        log.info("plan reminders sent", extra={"reason": str(sent)})
    return sent
