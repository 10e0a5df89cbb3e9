"""Notifications: an in-app centre per user, and deliveries by e-mail and group robots.

The public API (everything another package needs):

- :func:`notify` ``(session, *, tenant_id, user_ids, event, params, url)`` records an in-app
  notification for each user and queues deliveries on their channels (e-mail unless the
  user opted out of the event) and on ``tenant_id``'s group robots that post the event. The
  deliveries are sent by a job after the commit and retried with backoff; nothing of this
  holds up the request.
- :func:`register_event` ``(EventKind(key, label, title, body, email=, robot=))`` adds a kind
  of event with its texts (``lazy_gettext``, ``%(name)s`` placeholders filled from
  ``params``). A feature registers its events beside its own code, at import time.

The platform (``tenants``) knows nothing of assessments: ``assessment`` registers its events
and calls :func:`notify` where they happen. See docs/notifications.md.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l

from tenants.notifications.events import EventKind, event_kind, register_event
from tenants.notifications.services import notify

__all__ = ["EventKind", "event_kind", "init_app", "notify", "register_event"]

register_event(EventKind(
    "notifications.test", _l("Test message of a group robot"),
    _l("ChainGauge test message"),
    _l("The group robot of %(tenant)s works: notifications will appear here."),
    email=False, robot=False))

notifications_cli = AppGroup("notifications", help="Notifications.")


@notifications_cli.command("send")
def send_command() -> None:
    """Send the deliveries that are due (retries included): run it from cron in the embedded
    mode; with Redis the worker does it every minute."""
    from tenants.notifications import tasks

    click.echo(tasks.drain())


def init_app(app: Flask) -> None:
    from tenants.notifications import tasks, views  # noqa: F401 - the job worker's tasks

    app.register_blueprint(views.bp)
    app.register_blueprint(views.channels_bp)
    app.context_processor(views.unread_for_header)
    app.cli.add_command(notifications_cli)
