"""The platform's own tables (the complete list, with assessment's, is assessment.schema)."""

from __future__ import annotations

import importlib

MODEL_MODULES = [
    "tenants.models", "tenants.billing.models", "tenants.notifications.models",
]


def import_all_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)
