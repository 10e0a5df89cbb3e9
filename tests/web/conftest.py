"""Web tests: cheaper password hashing, so that journeys with several accounts stay fast.

The product's argon2 parameters are checked in tests/unit/tenants; here only the cost
changes (argon2id still, verified the same way).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    from tenants import security

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(security, "_hasher", cheap)
        patch.setattr(security, "_DUMMY_HASH", cheap.hash("not-a-real-password"))
        yield
