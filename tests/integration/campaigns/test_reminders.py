"""The reminder cadence with a frozen clock: the right message on the right days, none
twice, none after completion or decline; the periodic job under Redis, and in immediate
mode through ``flask campaigns remind``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from assessment.campaigns import services
from assessment.campaigns.messages import invitation_token
from assessment.campaigns.models import Participant, Reminder
from tenants.extensions import db
from tests.factories import make_link
from tests.factories.assessments import make_assessment
from tests.integration.campaigns.factories import (
    credit_code,
    csv_bytes,
    give_credit_code,
    make_campaign,
    member_row,
    upload,
)

DEADLINE = date(2026, 12, 31)


@pytest.fixture
def association(make_tenant: Any) -> Any:
    return make_tenant("association", name="福建省制造业协会")


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)  # 09:00 in Beijing


def _run(app, day: date) -> int:
    from assessment.campaigns import reminders

    with app.app_context():
        return reminders.run(_at(day)).sent


def _subjects(outbox: Any, since: int) -> list[tuple[str, str]]:
    return sorted((m["To"], m["Subject"].split(" / ")[1].split(":")[0])
                  for m in outbox()[since:])


@pytest.fixture
def world(app, association, make_enterprise, fetch):
    """Four participants: one never answered, one working on its assessment through an
    accepted link, one that finalised, one that declined."""
    working = make_enterprise(name="在做企业")
    done = make_enterprise(name="完成企业")
    give_credit_code(app, working, credit_code(2))
    give_credit_code(app, done, credit_code(3))
    make_link(app, association, working)
    make_link(app, association, done)
    make_assessment(app, working, year=2026)
    make_assessment(app, done, year=2026, finalise=True)
    found = make_campaign(app, association, deadline=DEADLINE)
    rows = [member_row(n) for n in (1, 2, 3, 4)]
    assert upload(app, association, found, csv_bytes(rows)).state == "done"
    [declining] = fetch(Participant, Participant.credit_code == credit_code(4))
    with app.test_request_context():
        participant, _campaign, owner = services.participant_for_token(
            invitation_token(declining))
        services.decline(participant, owner)
        db.commit()
    return {"campaign": found, "working": working, "done": done}


def test_the_cadence_with_a_frozen_clock(app, world, outbox, fetch):
    start = len(outbox())
    expected = ["member1@example.com", "member2@example.com"]  # not finalised, not declined

    assert _run(app, date(2026, 12, 10)) == 0  # 21 days before: nothing yet
    assert _run(app, date(2026, 12, 17)) == 2  # 14 days before
    assert _subjects(outbox, start) == [(e, "Reminder") for e in expected]
    assert _run(app, date(2026, 12, 17)) == 0  # the same day again: none twice
    assert _run(app, date(2026, 12, 18)) == 0  # the 14-day step is still the latest: sent
    n = len(outbox())
    assert _run(app, date(2026, 12, 24)) == 2  # 7 days before
    assert _run(app, date(2026, 12, 30)) == 2  # 1 day before
    assert _subjects(outbox, n) == sorted([(e, "Reminder") for e in expected] * 2)
    assert _run(app, date(2026, 12, 31)) == 0  # the deadline itself: no new step
    n = len(outbox())
    assert _run(app, date(2027, 1, 3)) == 2  # 3 days after: an escalation
    assert _subjects(outbox, n) == [(e, "Overdue") for e in expected]
    steps = sorted(r.step for r in fetch(Reminder, Reminder.campaign_id == world[
        "campaign"].id))
    assert steps == sorted(["before:14", "before:7", "before:1", "after:3"] * 2)


def test_a_missed_week_sends_only_the_latest_step(app, world, outbox, fetch):
    assert _run(app, date(2026, 12, 30)) == 2
    steps = {r.step for r in fetch(Reminder, Reminder.campaign_id == world["campaign"].id)}
    assert steps == {"before:1"}


def test_no_reminder_after_finishing(app, world, outbox):
    from assessment.assessments import queries as assessment_queries
    from assessment.assessments import services as lifecycle
    from tests.factories.assessments import acting_in, membership_of, owner

    assert _run(app, date(2026, 12, 17)) == 2
    with acting_in(app, world["working"]):
        user = owner(world["working"])
        assessment = assessment_queries.assessment_for_year(2026)
        lifecycle.submit(assessment, membership_of(world["working"], user))
    n = len(outbox())
    assert _run(app, date(2026, 12, 24)) == 1  # only the one that never answered
    assert [m["To"] for m in outbox()[n:]] == ["member1@example.com"]


def test_the_owner_sends_a_reminder_now_once_per_click(app, association, world, fetch,
                                                        outbox):
    from assessment.campaigns import reminders
    from tenants.context import set_tenant

    everyone = [p.id for p in fetch(Participant, Participant.campaign_id == world[
        "campaign"].id)]
    now = _at(date(2026, 12, 5))
    with app.app_context():
        set_tenant(db.session, association.id)
        found = db.session.merge(world["campaign"])
        assert reminders.remind_now(found, everyone, now, now.date()) == 2
        assert reminders.remind_now(found, everyone, now, now.date()) == 0  # double click
        db.commit()


def test_immediate_mode_runs_by_command(app, world, outbox):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["campaigns", "remind", "--now", "2026-12-17T01:00:00"])
    assert result.exit_code == 0, result.output
    assert "messages: 2" in result.output
    result = runner.invoke(args=["campaigns", "remind", "--now", "2026-12-17T02:00:00"])
    assert "messages: 0" in result.output


def test_the_periodic_job_runs_under_redis(app, fresh_app, association, fetch, tmp_path):
    import redis as redis_client

    from tenants import jobs
    from tenants.types import utcnow
    from tests.integration.test_jobs_and_redis import REDIS_URL

    client = redis_client.Redis.from_url(REDIS_URL)
    client.ping()
    client.flushdb()
    saved = (jobs.huey.storage_class, dict(jobs.huey.storage_kwargs))
    try:
        found = make_campaign(app, association, deadline=utcnow().date() + timedelta(days=7))
        assert upload(app, association, found, csv_bytes([member_row(1)])).state == "done"
        application = fresh_app(join=True, REDIS_URL=REDIS_URL,
                                MAIL_FILE_DIR=str(tmp_path / "mail"))
        assert jobs.huey.immediate is False
        due = [t for t in jobs.huey.read_periodic(datetime(2026, 12, 3, 1, 0))
               if t.name.endswith("remind_periodically")]
        assert len(due) == 1, "the daily run is scheduled at 01:00 UTC (09:00 in Beijing)"
        assert not [t for t in jobs.huey.read_periodic(datetime(2026, 12, 3, 2, 0))
                    if t.name.endswith("remind_periodically")]
        with application.app_context():
            jobs.huey.execute(due[0])  # what the consumer does when the schedule fires
        [sent] = fetch(Reminder, Reminder.campaign_id == found.id)
        assert sent.step == "before:7"
        assert jobs.huey.pending_count() == 1  # the e-mail, queued in Redis for the worker
    finally:
        jobs.huey.storage_class, jobs.huey.storage_kwargs = saved
        jobs.huey.immediate = True
        client.flushdb()


def test_an_enterprise_on_chaingauge_also_finds_the_reminder_in_its_notifications(
        app, world, outbox, fetch):
    from tenants.notifications.models import Notification
    from tests.factories import owner_of

    start = len(outbox())
    assert _run(app, date(2026, 12, 17)) == 2
    working_owner = owner_of(app, world["working"])
    [notice] = fetch(Notification, Notification.event == "campaign.reminder")
    # only the registered participant's owner; the unregistered contact has the e-mail alone
    assert notice.user_id == working_owner.id
    assert notice.tenant_id == world["working"].id
    assert notice.params["campaign"] == world["campaign"].name
    assert notice.url == f"/t/{world['working'].slug}/"
    # no second e-mail: the listed contacts get the campaign's own message, nothing more
    assert len(outbox()) - start == 2
