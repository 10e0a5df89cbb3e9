"""The consultancy's client portfolio: every client's assessment, in any state its link
opens, on one board."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire the portfolio: the board, a client's page, the assignment form."""
    from assessment.portfolio import views

    app.register_blueprint(views.bp)
    app.jinja_env.globals["portfolio_status_label"] = views.status_label
