"""Fixtures of the notification tests: the local robot listener, allowed as an extra origin."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.notifications import listener as robot_listener


@pytest.fixture
def listener() -> Iterator[robot_listener.Listener]:
    server = robot_listener.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def robots_allowed(app: Any, listener: robot_listener.Listener,
                   monkeypatch: pytest.MonkeyPatch) -> robot_listener.Listener:
    monkeypatch.setitem(app.config, "NOTIFY_ROBOT_EXTRA_ORIGINS", [listener.origin])
    monkeypatch.setitem(app.config, "NOTIFY_MAX_ATTEMPTS", 3)
    monkeypatch.setitem(app.config, "NOTIFY_RETRY_SECONDS", 60)
    monkeypatch.setitem(app.config, "NOTIFY_ROBOT_TIMEOUT", 1)
    return listener
