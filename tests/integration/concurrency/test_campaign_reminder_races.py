"""Two reminder runs at once (two workers, or the daily job and the command) on committed
data with real parallel connections: each participant gets the step once. The unique key
(participant, step) decides, through INSERT ... ON CONFLICT DO NOTHING RETURNING; a run that
read, compared in Python and then wrote would mail everyone twice on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes
from email import policy as email_policy

import pytest

from assessment.campaigns.models import Reminder
from tests import factories
from tests.integration.campaigns.factories import csv_bytes, make_campaign, member_row, upload
from tests.integration.concurrency.conftest import Committed, race

PARTICIPANTS = 30


@pytest.mark.postgres
def test_two_reminder_runs_at_once_send_each_step_once(committed: Committed, tmp_path) -> None:
    from assessment.campaigns import reminders
    from tenants.jobs import wait_for_background_jobs
    from tenants.types import utcnow

    owner = committed.user(name="Secretary")
    association = factories.make_tenant(committed.app, "association", owner=owner)
    committed.tenant_ids.append(association.id)
    now = utcnow()
    found = make_campaign(committed.app, association,
                          deadline=reminders.local_day(now) + timedelta(days=7))
    rows = [member_row(9000 + n, email=f"race{n}@example.com") for n in range(PARTICIPANTS)]
    assert upload(committed.app, association, found, csv_bytes(rows)).state == "done"
    mail_dir = tmp_path / "mail"

    def run_once() -> int:
        with committed.app.app_context():
            return reminders.run(now).sent

    for round_ in range(3):
        outcomes = race(run_once, run_once)
        assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
        # the two runs split the participants between them; later rounds find none left
        assert sum(outcomes) == (PARTICIPANTS if round_ == 0 else 0), outcomes  # type: ignore[arg-type]
        sent = committed.read(Reminder, Reminder.campaign_id == found.id)
        assert len(sent) == PARTICIPANTS
        assert {r.step for r in sent} == {"before:7"}
    for _ in range(3):  # the delivery jobs (each may have started another) on job threads
        wait_for_background_jobs()
    subjects = [message_from_bytes(p.read_bytes(), policy=email_policy.default)["Subject"]
                for p in mail_dir.glob("*.eml")]
    reminded = [s for s in subjects if "Reminder:" in s]
    assert len(reminded) == PARTICIPANTS  # never twice, whichever run won each row
