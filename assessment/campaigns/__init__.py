"""Campaigns: an association, a consultancy or a lead manufacturer (链主) brings its members,
clients or suppliers through one assessment round: participants (one by one or a whole
list), invitations, a deadline, reminders and escalations, and a status board
(docs/campaigns.md)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from assessment.campaigns import cli, tasks, views

    app.register_blueprint(views.bp)
    app.register_blueprint(views.join_bp)
    cli.register(app)
    assert tasks.remind_periodically  # the worker must know the periodic job
