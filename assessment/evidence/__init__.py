"""Evidence files per indicator: checked by content, stored outside the web root."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire evidence: its upload, download and removal routes."""
    from assessment.evidence import views

    app.register_blueprint(views.bp)
