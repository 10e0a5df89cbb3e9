"""Improvement plans: from a finalised assessment's weakest indicators to actions that
members own, with due dates, status, history and comments, and their measured effect in
the next year's assessment."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire plans: the plan pages, the association's progress page and its overview
    card, ``flask plans``, the daily reminder job, and the panel on the results page
    (``results`` sits below the plans and does not import them)."""
    # Imported here, not at the top: importing any module of this package runs this file.
    from assessment.plans import cli, panel, tasks, views
    from assessment.results.panels import register_panel
    from tenants.web import register_home_panel

    app.register_blueprint(views.bp)
    app.register_blueprint(views.members_bp)
    cli.register(app)
    register_panel(app, panel.results_panel)
    register_home_panel(panel.association_home_panel)
    register_home_panel(panel.enterprise_home_panel)
    assert tasks.remind_daily is not None  # the periodic task registers on import
