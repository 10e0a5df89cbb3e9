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
def in_request(app: Flask) -> Any:
    """Run ``fn`` in a request context acting for ``tenant``; what it wrote is rolled back."""

    def run(tenant: Any, fn: Any) -> Any:
        from tenants.context import set_tenant
        from tenants.extensions import db

        with app.test_request_context():
            set_tenant(db.session, tenant.id)
            try:
                return fn()
            finally:
                db.rollback()

    return run
