from __future__ import annotations

import pytest

from tests.integration.billing.helpers import billing

__all__ = ["billing"]


@pytest.fixture(autouse=True)
def _messages_in_english(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read refusal texts in English; Chinese, the product's default, is
    covered by the catalogue tests."""
    if "app" in request.fixturenames:
        app = request.getfixturevalue("app")
        monkeypatch.setitem(app.config, "DEFAULT_LOCALE", "en")
