"""The campaigns' jobs: the daily reminder run (periodic, under the Huey worker), which the
``flask campaigns remind`` command runs at once in immediate mode."""

from __future__ import annotations

from huey import crontab

from assessment.campaigns import reminders
from tenants.jobs import app_periodic_task
from tenants.types import utcnow


def run_reminders() -> reminders.RunSummary:
    return reminders.run(utcnow())


# 09:00 in China (01:00 UTC): a reminder arrives at the start of the working day.
@app_periodic_task(crontab(hour="1", minute="0"))
def remind_periodically() -> None:
    run_reminders()
