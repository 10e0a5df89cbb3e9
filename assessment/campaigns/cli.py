"""``flask campaigns remind``: one reminder run now (what the periodic job does daily)."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import Flask
from flask.cli import AppGroup

from assessment.campaigns import reminders
from tenants.types import utcnow

campaigns_cli = AppGroup("campaigns", help="Assessment campaigns.")


@campaigns_cli.command("remind")
@click.option("--now", "at", default=None, help="Run as of this ISO time (UTC); for checks.")
def remind(at: str | None) -> None:
    """Send the reminders and escalations due now, once each."""
    now = datetime.fromisoformat(at) if at else utcnow()
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    summary = reminders.run(now)
    click.echo(f"campaigns: {summary.campaigns}, messages: {summary.sent}")


def register(app: Flask) -> None:
    app.cli.add_command(campaigns_cli)
