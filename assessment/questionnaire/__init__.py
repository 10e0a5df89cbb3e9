"""The questionnaire: pages generated from the framework, autosave, conflicts, assignments.

:func:`warnings_for` gives the plausibility warnings of an assessment's stored answers, placed
on the answers they concern (see ``checks``)."""

from __future__ import annotations

from flask import Flask

from assessment.questionnaire.checks import warnings_for

__all__ = ["init_app", "warnings_for"]


def init_app(app: Flask) -> None:
    """Wire the questionnaire: its pages and autosave API, and the state labels templates
    use (also inside imported macros, which see only globals)."""
    from assessment.labels import state_label
    from assessment.questionnaire import views

    app.register_blueprint(views.bp)
    app.jinja_env.globals["state_label"] = state_label
