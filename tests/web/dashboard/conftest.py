"""Fixtures of the dashboard's web tests: the integration factories, billing, enterprises."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.integration.billing.helpers import billing
from tests.integration.dashboard.conftest import association, in_request, member

__all__ = ["association", "billing", "in_request", "member"]


@pytest.fixture
def make_enterprise(app: Flask, make_tenant: Any) -> Any:
    """An enterprise with an owner and a profile (C36, Fujian), as the results tests use."""
    from tests.integration.assessment_review import factories

    def build(**kwargs: Any) -> Any:
        tenant = make_tenant("enterprise", **kwargs)
        factories.give_profile(app, tenant)
        return tenant

    return build
