"""Fixtures of the dashboard's web tests: the integration factories and billing.

``in_tenant`` and ``make_enterprise`` come from tests/conftest.py.
"""

from __future__ import annotations

from tests.integration.billing.helpers import billing
from tests.integration.dashboard.conftest import association, member

__all__ = ["association", "billing", "member"]
