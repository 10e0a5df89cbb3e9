"""The daily reminder job (scheduled by the worker; without one, ``flask --app app plans
remind`` runs it at once, e.g. from cron)."""

from __future__ import annotations

from huey import crontab

from assessment.plans.reminders import remind
from tenants.jobs import app_periodic_task


@app_periodic_task(crontab(hour="1", minute="0"), name="plans.remind")
def remind_daily() -> None:
    remind()
