"""The association dashboard: members, statistics, charts and exports."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire the dashboard: its pages."""
    from assessment.dashboard import views

    app.register_blueprint(views.bp)
