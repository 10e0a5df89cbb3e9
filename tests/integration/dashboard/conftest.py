"""Fixtures of the dashboard tests (also used by tests/web/dashboard)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.integration.dashboard import factories


@pytest.fixture
def member(app: Flask) -> Any:
    return lambda *a, **kw: factories.make_member(app, *a, **kw)


@pytest.fixture
def association(make_tenant: Any) -> Any:
    return make_tenant("association", name="Fujian Manufacturing Association")


@pytest.fixture
def in_request(in_tenant: Any) -> Any:
    """The old name of the shared ``in_tenant`` fixture (tests/conftest.py)."""
    return in_tenant
