"""Two plan-reminder runs at once (two workers, or the daily job and ``flask plans remind``)
on committed data with real parallel connections: each due action's owner is reminded of
each step once. The unique key (action, step, due date) decides, through INSERT ... ON
CONFLICT DO NOTHING RETURNING; a run that read the sent reminders, compared in Python and
then wrote would remind twice on PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import col

from assessment.plans import queries, services
from assessment.plans.models import PlanReminder
from tenants.models import Role
from tenants.notifications.models import Notification
from tests import factories
from tests.factories.assessments import make_assessment
from tests.factories.plans import actor_for, in_enterprise, make_plan
from tests.integration.concurrency.conftest import YEAR, Committed, race

TODAY = date(2025, 6, 10)
ACTIONS = 6  # three due soon, three overdue


@pytest.mark.postgres
def test_two_reminder_runs_at_once_remind_each_action_once(committed: Committed) -> None:
    from assessment.plans.reminders import remind

    owner = committed.user(name="Plan Owner")
    action_owner = committed.user(name="Action Owner", locale="en")
    enterprise = factories.make_tenant(committed.app, owner=owner,
                                       members=[(action_owner, Role.assessor)])
    committed.tenant_ids.append(enterprise.id)
    assessment = make_assessment(committed.app, enterprise, YEAR, finalise=True)
    plan = make_plan(committed.app, enterprise, assessment, adopt=ACTIONS)
    with in_enterprise(committed.app, enterprise):
        actions = list(queries.actions(plan.id))
        assert len(actions) == ACTIONS
        for index, action in enumerate(actions):
            due = TODAY + timedelta(days=2) if index % 2 else TODAY - timedelta(days=index + 1)
            services.update_action(action, action.version, actor_for(enterprise),
                                   owner_id=action_owner.id, due_date=due)

    def run_once() -> int:
        with committed.app.app_context():
            return remind(on=TODAY, days=7)

    for round_ in range(3):
        outcomes = race(run_once, run_once)
        assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
        # the two runs split the reminders between them; later rounds find none left
        assert sum(outcomes) == (ACTIONS if round_ == 0 else 0), outcomes  # type: ignore[arg-type]
        sent = committed.read(PlanReminder, PlanReminder.tenant_id == enterprise.id)
        assert sorted(r.step for r in sent) == ["due_soon"] * 3 + ["overdue"] * 3
        assert len({r.action_id for r in sent}) == ACTIONS
    notices = committed.read(Notification, Notification.user_id == action_owner.id,
                             col(Notification.event).startswith("plan.action_"))
    # one notice per action in the owner's centre, whichever run claimed it
    assert len(notices) == ACTIONS
