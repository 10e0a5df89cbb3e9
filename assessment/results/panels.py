"""Panels that packages above the results add to the results page, without ``results``
importing them (the improvement plans do: the plan's progress, and the measured effect of
last year's plan).

A package registers a panel when the app initialises (:func:`register_panel`); the results
view calls :func:`render_panels`, which asks every panel for its HTML in registration order.
A panel returns None when it has nothing to show for this assessment.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app
from markupsafe import Markup

from assessment.results.services import AssessmentResults

_PANELS = "assessment.results_panels"

ResultsPanel = Callable[[AssessmentResults, str], Markup | None]


def register_panel(app: Flask, panel: ResultsPanel) -> None:
    """Show ``panel(found, lang)`` on every results page of ``app`` (registering it again is
    harmless)."""
    panels: list[ResultsPanel] = app.extensions.setdefault(_PANELS, [])
    if panel not in panels:
        panels.append(panel)


def render_panels(found: AssessmentResults, lang: str) -> list[Markup]:
    out = []
    for panel in list(current_app.extensions.get(_PANELS, ())):
        html = panel(found, lang)
        if html:
            out.append(html)
    return out
