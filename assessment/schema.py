"""The complete schema: every package's tables, for migrations and tests.

It lives in ``assessment`` because that package sits on top of the others and may import
them all; ``tenants`` and ``indicators`` know nothing of it.
"""

from __future__ import annotations

import importlib

from tenants.model_registry import import_all_models as import_platform_models

ASSESSMENT_MODEL_MODULES = [
    "assessment.profiles.models",
    "assessment.assessments.models",
    "assessment.reports.models",
    "assessment.reports.bulk_models",
    "assessment.benchmarks.models",
    "assessment.evidence.models",
    "assessment.io.models",
    "assessment.plans.models",
    "assessment.portfolio.models",
    "assessment.campaigns.models",
]


def import_all_models() -> None:
    import_platform_models()
    for name in ASSESSMENT_MODEL_MODULES:
        importlib.import_module(name)
