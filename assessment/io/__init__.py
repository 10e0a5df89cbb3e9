"""Import and export of answers: the contract JSON document and an XLSX workbook."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire import and export: the enterprise's own routes, the linked downloads, and the
    housekeeping of imports never confirmed."""
    from assessment.io import pending, views
    from tenants.housekeeping import register_purge

    app.register_blueprint(views.bp)
    app.register_blueprint(views.linked_bp)
    register_purge("unconfirmed imports", pending.purge_abandoned)
