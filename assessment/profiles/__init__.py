"""Enterprise profiles: identity, industry, size class, province."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire the profile page."""
    from assessment.profiles import views

    app.register_blueprint(views.bp)
