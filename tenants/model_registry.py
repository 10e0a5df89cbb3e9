"""Import every package's tables so that the metadata is complete (migrations, tests)."""

from __future__ import annotations

import importlib

MODEL_MODULES = ["tenants.models", "tenants.billing.models"]


def import_all_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)
