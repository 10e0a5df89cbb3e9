"""Reports: one template per report, rendered to HTML and, through WeasyPrint, to PDF."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire reports: the report pages, the branding page, ``flask reports`` and the render
    and bulk-run jobs."""
    from assessment.reports import (  # noqa: F401 (pdf_jobs, tasks: jobs)
        branding_views,
        cli,
        pdf_jobs,
        reports_views,
        tasks,
    )

    app.register_blueprint(branding_views.bp)
    app.register_blueprint(reports_views.bp)
    cli.register(app)
