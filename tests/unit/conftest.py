"""Unit tests: no database, no app factory. Labels are checked in both languages through a
bare Flask app with only Flask-Babel and the product's catalogues (``translations/``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel, force_locale

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def babel_app() -> Flask:
    """A Flask app with the product's catalogues and nothing else (not the ``app`` fixture:
    that one builds the product against a database)."""
    application = Flask("chaingauge_unit_labels", root_path=str(ROOT))
    Babel(application, default_locale="zh_CN")
    return application


@pytest.fixture
def in_locale(babel_app: Flask) -> Callable[[str], AbstractContextManager[None]]:
    """``with in_locale("en"):`` renders lazy strings in that language (zh_CN: Chinese)."""

    @contextmanager
    def use(locale: str) -> Iterator[None]:
        with babel_app.test_request_context(), force_locale(locale):
            yield

    return use
