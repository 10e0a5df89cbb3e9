"""The results page rounds the contract's full-precision values to each indicator's decimals."""

from __future__ import annotations

import pytest

from assessment.results.rows import _shown_value


@pytest.mark.parametrize(("value", "decimals", "shown"), [
    (80.99922501937452, 2, 81.0),
    (0.14602470582803526, 4, 0.146),
    (0.125, 2, 0.13),  # half-up, as the engine rounded before values went full precision
    (3, 0, 3.0),
    (None, 2, None),
    (True, 2, True),
])
def test_values_are_rounded_half_up_for_display(value, decimals, shown):
    assert _shown_value(value, decimals) == shown
