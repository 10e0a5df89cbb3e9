"""A bare Flask app with the product's catalogues, so that the field kinds' messages can be
read in Chinese and English without the application, its database or a request's tenant."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def babel_app() -> Flask:
    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "translations")
    app.config["BABEL_DEFAULT_LOCALE"] = "zh_CN"
    Babel(app, locale_selector=lambda: app.config["TEST_LOCALE"])
    return app


@pytest.fixture
def speaking(babel_app: Flask) -> Callable[[str], AbstractContextManager[None]]:
    """``with speaking("en"):`` — a request whose reader's language is ``en`` (or ``zh_CN``)."""

    @contextmanager
    def language(locale: str) -> Iterator[None]:
        babel_app.config["TEST_LOCALE"] = locale
        with babel_app.test_request_context():
            yield

    return language
