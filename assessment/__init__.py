"""Assessments of enterprises: profiles, questionnaires, evidence, review, results,
benchmarks, import and export, reports.

Each feature folder (a sub-package) wires itself into the app through an ``init_app(app)``
in its ``__init__.py``: its blueprints, commands, jobs and template globals. :func:`init_app`
finds and calls them, so a new folder touches nothing outside itself
(docs/architecture.md, "Adding a page").
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from flask import Flask


def feature_folders() -> list[ModuleType]:
    """The sub-packages that wire themselves (have an ``init_app``), by name."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.ispkg:
            package = importlib.import_module(f"{__name__}.{info.name}")
            if callable(getattr(package, "init_app", None)):
                found.append(package)
    return found


def init_app(app: Flask) -> None:
    """Wire the assessment package into ``app``: every feature folder, the overview-page
    panel, the unit labels and wording helpers templates use, and the ``assessment`` and
    ``demo`` commands."""
    from assessment import cli, demo, home, wording
    from assessment.units import unit_label

    for feature in feature_folders():
        feature.init_app(app)
    home.register()
    # Units in the reader's language, also inside imported macros (they see only globals).
    app.jinja_env.globals["unit_label"] = unit_label
    wording.register(app)  # words, not codes: industry_name, province_name, ...
    cli.register(app)
    demo.register(app)
