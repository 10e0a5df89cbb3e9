"""Fixtures of the campaign tests: the fake billing gateway (a list beyond the plan's seats)."""

from tests.integration.billing.helpers import billing  # noqa: F401 (a fixture)
