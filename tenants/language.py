"""The reader's language: Chinese first, English second."""

from __future__ import annotations

from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user


def select_locale() -> str:
    """Flask-Babel's locale selector: the user's choice, the session's, else the browser's
    preference between Chinese and English, else ``DEFAULT_LOCALE``."""
    languages: list[str] = current_app.config["LANGUAGES"]
    if current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    chosen = session.get("locale")
    if chosen in languages:
        return str(chosen)
    best = request.accept_languages.best_match(["zh_CN", "zh", "en"])
    if best == "en":
        return "en"
    return str(current_app.config["DEFAULT_LOCALE"])


def reader_language() -> str:
    """``"en"`` when the reader reads English, else ``"zh"`` (the codes of the framework
    data's bilingual names); ``"zh"`` when no locale is known."""
    return "en" if str(get_locale() or "").startswith("en") else "zh"
