from __future__ import annotations

from tests.integration.billing.helpers import billing

__all__ = ["billing"]
