"""The questionnaire: pages generated from the framework, autosave, conflicts, assignments."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire the questionnaire: its pages and autosave API, and the state labels templates
    use (also inside imported macros, which see only globals)."""
    from assessment.questionnaire import views
    from assessment.questionnaire.labels import state_label

    app.register_blueprint(views.bp)
    app.jinja_env.globals["state_label"] = state_label
