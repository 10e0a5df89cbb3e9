"""Reports: one template per report, rendered to HTML and, through WeasyPrint, to PDF."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire reports: the report pages, the branding page, ``flask reports`` and the render
    and bulk-run jobs."""
    from assessment.reports import cli, pdf_jobs, report_views, tasks, views  # noqa: F401 (jobs)

    app.register_blueprint(views.bp)
    app.register_blueprint(report_views.bp)
    cli.register(app)
