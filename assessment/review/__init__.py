"""Review: comments per indicator, return or finalise, by the enterprise or a linked reviewer."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire review: the review page, the linked reviewer's queue."""
    from assessment.assessments import hooks, notices
    from assessment.review import views

    app.register_blueprint(views.bp)
    # a finalisation tells the enterprise and its linked organisations
    hooks.on_finalised(app, notices.on_finalised)
