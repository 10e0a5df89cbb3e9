"""Browser tests: Debian's Chromium, headless, driven through Debian's chromedriver, against
a live server of the app in a background thread with its own migrated SQLite database.

These tests commit for real (a browser cannot join a rolled-back transaction), so each
session gets a fresh database file.
"""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    def __init__(self, app: Flask, port: int):
        self.app = app
        self.url = f"http://127.0.0.1:{port}"
        self._server = make_server("127.0.0.1", port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)


def serve(directory: Path) -> LiveServer:
    """A started live server of the app on a fresh, migrated SQLite database in
    ``directory``."""
    from app import create_app
    from tenants.cli import upgrade

    port = _free_port()
    app = create_app({
        "ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "browser-test-secret-key-long-enough-0123456789",
        "DATABASE_URL": f"sqlite:///{directory / 'browser.db'}",
        "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": str(directory / "mail"),
        "EVIDENCE_DIR": str(directory / "evidence"),
        "LOG_JSON": False,
        # the browser talks plain HTTP on loopback
        "SESSION_COOKIE_SECURE": False,
    })
    upgrade(app)
    server = LiveServer(app, port)
    server.start()
    return server


def shut(server: LiveServer) -> None:
    from tenants.extensions import db

    server.stop()
    db.engine_for(server.app).dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = serve(tmp_path_factory.mktemp("browser"))
    yield server
    shut(server)


def chromium(language: str) -> WebDriver:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--no-first-run", "--disable-sync",
                     "--disable-background-networking", "--disable-component-update",
                     "--window-size=1280,1600", f"--lang={language}"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    return driver


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    """A fresh Chromium whose preferred language is Chinese (the product's first language)."""
    driver = chromium("zh-CN")
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    return tmp_path


def fill(driver: WebDriver, fields: dict[str, Any]) -> None:
    """Type into inputs by name (clearing them first)."""
    for name, value in fields.items():
        element = driver.find_element("name", name)
        element.clear()
        element.send_keys(str(value))


@pytest.fixture
def second_browser() -> Iterator[WebDriver]:
    """Another Chromium with its own cookies: a second person, or the same one elsewhere."""
    driver = chromium("zh-CN")
    try:
        yield driver
    finally:
        driver.quit()
