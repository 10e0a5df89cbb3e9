"""Import and export of answers: the contract JSON document and an XLSX workbook."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire import and export: the enterprise's own routes and the linked downloads."""
    from assessment.io import views

    app.register_blueprint(views.bp)
    app.register_blueprint(views.linked_bp)
