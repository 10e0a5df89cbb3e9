"""Results: overall index, dimensions, radar, indicator table, trace, what-if, year on year,
and "you vs. peers" (:mod:`.peers`)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire the results pages."""
    from assessment.results import views

    app.register_blueprint(views.bp)
