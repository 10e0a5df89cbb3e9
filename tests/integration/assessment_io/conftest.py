from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.integration.assessment_io import factories


@pytest.fixture
def enterprise(app: Flask, make_user: Any, make_tenant: Any) -> tuple[Any, Any]:
    owner = make_user()
    return make_tenant(owner=owner, name="Demo Works"), owner


@pytest.fixture
def made(app: Flask, enterprise: tuple[Any, Any]) -> factories.Made:
    tenant, owner = enterprise
    return factories.make_assessment(app, tenant, owner)
