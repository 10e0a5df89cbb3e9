"""Small readers of rendered pages, shared by the web tests."""

from __future__ import annotations

import html
import re
from email.message import Message
from typing import Any

from flask import Flask

from tests.conftest import mail_links

ENGLISH = {"Accept-Language": "en"}


def text(response: Any) -> str:
    """The response body with HTML entities decoded (messages contain apostrophes)."""
    return html.unescape(response.get_data(as_text=True))


def field_error(response: Any, field: str) -> str:
    """The error shown next to ``field`` (the forms macro renders ``id="<field>-err"``)."""
    match = re.search(rf'id="{re.escape(field)}-err">([^<]*)<', response.get_data(as_text=True))
    assert match, f"no error next to {field!r}"
    return html.unescape(match.group(1))


def flashes(response: Any) -> list[str]:
    return [html.unescape(m) for m in
            re.findall(r'<p class="flash flash-\w+">([^<]*)</p>', response.get_data(as_text=True))]


def link_in(message: Message, path_part: str) -> str:
    """The one link in ``message`` whose URL contains ``path_part``, as a local path."""
    [link] = [u for u in mail_links(message) if path_part in u]
    return link.replace("http://localhost", "")


def html_lang(response: Any) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True))
    assert match, "no <html lang>"
    return match.group(1)


def translated(app: Flask, locale: str, message: str) -> str:
    """``message`` as the app renders it in ``locale`` (the msgid itself while the catalogue
    has no translation), so that page checks hold before and after the catalogues fill."""
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale(locale):
        return str(gettext(message))


def boom_app(fresh_app: Any, **overrides: Any) -> Flask:
    """A fresh app instance with a test-only route that fails, answered by the 500 page."""
    application: Flask = fresh_app(PROPAGATE_EXCEPTIONS=False, **overrides)

    @application.route("/boom")
    def boom() -> str:
        raise RuntimeError("a test-only failure")

    return application
