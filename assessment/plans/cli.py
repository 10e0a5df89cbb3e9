"""``flask --app app plans remind``: send the due and overdue reminders now."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

plans_cli = AppGroup("plans", help="Improvement plans.")


@plans_cli.command("remind")
@click.option("--days", type=int, default=None,
              help="Remind of actions due within this many days (default: the setting).")
def remind_command(days: int | None) -> None:
    """E-mail the owners of due and overdue actions (each reminder once)."""
    from assessment.plans.reminders import remind

    click.echo(remind(days=days))


def register(app: Flask) -> None:
    app.cli.add_command(plans_cli)
