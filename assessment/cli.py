"""``flask assessment ...``: an assessment's results and exports from the command line.

The command line has no tenant: it finds the assessment in an explicit, logged system scope,
then works inside the assessment's own tenant like a request would.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlmodel import select

from assessment.assessments.models import Assessment
from assessment.io import export
from tenants import queries as platform_queries
from tenants.context import set_tenant, system_scope
from tenants.db import db

assessment_cli = AppGroup("assessment", help="Assessments: results and exports.")


def _load(assessment_id: str) -> Assessment:
    try:
        wanted = uuid.UUID(assessment_id)
    except ValueError:
        raise click.BadParameter("not an assessment id (a UUID)", param_hint="ASSESSMENT_ID") \
            from None
    with system_scope(db.session, f"cli: find assessment {wanted}"):
        found = db.session.exec(select(Assessment).where(Assessment.id == wanted)).first()
    if found is None:
        raise click.ClickException(f"no assessment {wanted}")
    set_tenant(db.session, found.tenant_id)
    return found


@assessment_cli.command("score")
@click.argument("assessment_id")
def score_command(assessment_id: str) -> None:
    """Print the results as the contract's output JSON (finalised: as stored)."""
    try:
        assessment = _load(assessment_id)
        click.echo(json.dumps(export.results_document(assessment), ensure_ascii=False,
                              indent=2))
    finally:
        db.rollback()


@assessment_cli.command("export")
@click.argument("assessment_id")
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx"]), default="json")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The file to write ('-' for standard output, JSON only).")
@click.option("--lang", type=click.Choice(["zh_CN", "en"]), default=None,
              help="Language of the workbook (default: the tenant's).")
def export_command(assessment_id: str, fmt: str, output: str, lang: str | None) -> None:
    """Write the answers as the contract's input document (JSON) or as a workbook."""
    try:
        assessment = _load(assessment_id)
        if fmt == "json":
            data = export.export_json(assessment)
        else:
            if output == "-":
                raise click.BadParameter("a workbook needs a file", param_hint="--output")
            tenant = platform_queries.tenant_by_id(assessment.tenant_id)
            assert tenant is not None
            locale = lang or tenant.locale or current_app.config["DEFAULT_LOCALE"]
            with current_app.test_request_context(), force_locale(locale):
                data = export.export_xlsx(assessment, tenant.name, locale.startswith("en"))
    finally:
        db.rollback()
    if output == "-":
        click.echo(data.decode("utf-8"), nl=False)
    else:
        Path(output).write_bytes(data)
        click.echo(f"wrote {output} ({len(data)} bytes)", err=True)


def register(app: Flask) -> None:
    app.cli.add_command(assessment_cli)
