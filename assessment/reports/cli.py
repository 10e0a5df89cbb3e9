"""``flask --app app report ...``: render reports from the command line.

``report pdf ASSESSMENT_ID -o FILE [--lang zh|en]`` renders an enterprise's report (issued by
the enterprise itself); ``report cohort ASSOCIATION_SLUG --year YYYY -o FILE [--lang]`` an
association's cohort report. The command line acts for no user, so it reads in an explicit,
logged system scope to find the assessment, then works in its tenant's context like a
request would. Entitlements are not checked: the operator runs it.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from assessment.assessments import queries as assessment_queries
from assessment.reports import services
from assessment.reports.report_render import PdfRequest, pdf_request, render_request
from assessment.reports.workers import RenderFailed
from tenants import queries as platform_queries
from tenants.context import set_tenant, system_scope
from tenants.db import db
from tenants.errors import DomainError
from tenants.models import TenantKind

log = logging.getLogger(__name__)
report_cli = AppGroup("report", help="Benchmark reports (PDF).")
LANG = click.Choice(services.LANGUAGES)


def _render(pending: PdfRequest) -> bytes:
    """The PDF, rendered within the configured budget (or from the cache)."""
    try:
        return render_request(pending).content
    except RenderFailed as failed:
        raise click.ClickException(f"the render failed ({failed.reason}); see "
                                   "REPORT_RENDER_SECONDS and REPORT_RENDER_MEMORY_MB") from failed


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    click.echo(f"{path} ({len(content) // 1024} KB)")


@report_cli.command("pdf")
@click.argument("assessment_id", type=click.UUID)
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path))
@click.option("--lang", type=LANG, default="zh", show_default=True)
def pdf_command(assessment_id: uuid.UUID, output: Path, lang: str) -> None:
    """Render the report of a finalised assessment to OUTPUT."""
    with current_app.test_request_context(), db.commit_scope():
        with system_scope(db.session, f"report pdf {assessment_id} (command line)"):
            assessment = assessment_queries.assessment(assessment_id)
        if assessment is None:
            raise click.BadParameter(f"no assessment {assessment_id}",
                                     param_hint="ASSESSMENT_ID")
        enterprise = platform_queries.tenant_by_id(assessment.tenant_id)
        assert enterprise is not None
        set_tenant(db.session, enterprise.id)
        log.info("report rendered from the command line", extra={"reason": str(assessment_id)})
        try:
            pending = services.enterprise_pdf_request(assessment, lang, enterprise)
        except DomainError as error:
            raise click.ClickException(str(error.message)) from error
    # The figures are read and the transaction is over: render without holding it.
    _write(output, _render(pending))


@report_cli.command("cohort")
@click.argument("association_slug")
@click.option("--year", type=click.IntRange(2000, 2100), required=True)
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path))
@click.option("--lang", type=LANG, default="zh", show_default=True)
def cohort_command(association_slug: str, year: int, output: Path, lang: str) -> None:
    """Render an association's cohort report of YEAR to OUTPUT."""
    with current_app.test_request_context(), db.commit_scope():
        association = platform_queries.tenant_by_slug(association_slug)
        if association is None or association.kind != TenantKind.association:
            raise click.BadParameter(f"no association with the slug {association_slug!r}",
                                     param_hint="ASSOCIATION_SLUG")
        set_tenant(db.session, association.id)
        log.info("cohort report rendered from the command line",
                 extra={"reason": f"{association_slug} {year}"})
        report = services.cohort_report(association, year, lang)
        pending = pdf_request(services.COHORT_TEMPLATE, report, lang, report.branding,
                              str(association.id))
    _write(output, _render(pending))


def register(app: Flask) -> None:
    from assessment.reports.sample import sample_command

    report_cli.add_command(sample_command)
    app.cli.add_command(report_cli)
