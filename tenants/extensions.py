"""Extension instances shared by the blueprints; :func:`init_app` binds them to an app.

They live here rather than in ``app.py`` because views need them (``@limiter.limit``) and
nothing may import the composition root.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from tenants.db import db
from tenants.language import select_locale

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)

__all__ = ["babel", "csrf", "db", "limiter", "login_manager"]


def init_app(app: Flask) -> None:
    """Bind the extensions to ``app`` (its settings are loaded already)."""
    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page explains itself
