from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.integration.assessment_io import factories
from tests.web.assessment.factories import draft_assessment, enterprise_with_profile

__all__ = ["draft_assessment", "enterprise_with_profile", "made"]


@pytest.fixture
def made(app: Flask, make_user: Any, make_tenant: Any) -> factories.Made:
    owner = make_user()
    return factories.make_assessment(app, make_tenant(owner=owner, name="Web Works"), owner)
