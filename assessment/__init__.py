"""Assessments of enterprises: profiles, questionnaires, evidence, review, results,
benchmarks, import and export, reports. Each feature folder wires itself into the app
through its own ``init_app``; :func:`init_app` calls them (see docs/architecture.md)."""

from __future__ import annotations

from flask import Flask

from assessment import (
    benchmarks,
    dashboard,
    evidence,
    io,
    profiles,
    questionnaire,
    reports,
    results,
    review,
)

FEATURES = (profiles, questionnaire, evidence, review, results, io, reports, dashboard,
            benchmarks)


def init_app(app: Flask) -> None:
    """Wire the assessment package into ``app``: every feature folder, the overview-page
    panel, the unit labels templates use, and the ``assessment`` and ``demo`` commands."""
    from assessment import cli, demo, home
    from assessment.units import unit_label

    for feature in FEATURES:
        feature.init_app(app)
    home.register()
    # Units in the reader's language, also inside imported macros (they see only globals).
    app.jinja_env.globals["unit_label"] = unit_label
    cli.register(app)
    demo.register(app)
