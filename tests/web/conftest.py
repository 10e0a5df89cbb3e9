"""Web tests: cheaper password hashing, so that journeys with several accounts stay fast.

The product's argon2 parameters are checked in tests/unit/tenants; here only the cost
changes (argon2id still, verified the same way).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

_CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
_CHEAP_DUMMY = _CHEAP.hash("not-a-real-password")


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Function-scoped on purpose: a session-scoped patch would outlive tests/web and leak
    # into the unit tests that check the product's real parameters.
    from tenants import security

    monkeypatch.setattr(security, "_hasher", _CHEAP)
    monkeypatch.setattr(security, "_DUMMY_HASH", _CHEAP_DUMMY)
    yield
