"""The billing tests' fixtures, defined in tests/integration/billing/helpers.py (shared with
tests/web/billing)."""

from __future__ import annotations

from tests.integration.billing.helpers import _messages_in_english, billing

__all__ = ["_messages_in_english", "billing"]
