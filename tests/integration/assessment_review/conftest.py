"""Fixtures of the evidence, review and results tests: evidence stored in a temporary
directory, enterprises with a profile, assessments built through the services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.factories import assessments as factories


@pytest.fixture(autouse=True)
def _evidence_dir(request: pytest.FixtureRequest, tmp_path: Path,
                  monkeypatch: pytest.MonkeyPatch) -> None:
    if "app" in request.fixturenames:
        app: Flask = request.getfixturevalue("app")
        monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))


@pytest.fixture
def make_assessment(app: Flask) -> Any:
    return lambda *a, **kw: factories.make_assessment(app, *a, **kw)


@pytest.fixture
def acting_in(app: Flask) -> Any:
    return lambda tenant: factories.acting_in(app, tenant)
