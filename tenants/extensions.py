"""Extension instances shared by the blueprints; ``app.create_app`` binds them to an app.

They live here rather than in ``app.py`` because views need them (``@limiter.limit``) and
nothing may import the composition root.
"""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from tenants.db import db

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)

__all__ = ["babel", "csrf", "db", "limiter", "login_manager"]
