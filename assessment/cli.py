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
from sqlmodel import col, select

from assessment.assessments.models import Assessment
from assessment.assessments.rescoring import rescore_assessment, target_version
from assessment.io import export
from indicators.framework.loader import DEFAULT_FRAMEWORK
from indicators.problems import InvalidFramework
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


@assessment_cli.command("rescore")
@click.argument("assessment_ids", nargs=-1)
@click.option("--framework", "framework_id", default=DEFAULT_FRAMEWORK, show_default=True,
              help="The framework whose assessments move.")
@click.option("--to-version", "version", default=None,
              help="The version to move to (default: the newest shipped version).")
@click.option("--dry-run", is_flag=True, help="Show what would move; change nothing.")
def rescore_command(assessment_ids: tuple[str, ...], framework_id: str, version: str | None,
                    dry_run: bool) -> None:
    """Move open assessments' answers to a new framework version (all, or the ids given).

    Finalised assessments keep the version their results were scored with."""
    try:
        target = target_version(framework_id, version)
    except InvalidFramework as exc:
        raise click.BadParameter(str(exc).splitlines()[-1].strip(), param_hint="--to-version") \
            from None
    if assessment_ids:
        wanted = [_load(i).id for i in assessment_ids]
        db.rollback()
    else:
        with system_scope(db.session, f"cli: assessments to rescore to {framework_id} {target}"):
            wanted = list(db.session.exec(
                select(Assessment.id).where(Assessment.framework_id == framework_id,
                                            Assessment.framework_version != target)
                .order_by(col(Assessment.year), col(Assessment.id))).all())
        db.rollback()
    counts: dict[str, int] = {}
    for assessment_id in wanted:
        # One unit of work per assessment, in its own tenant, as a request would be.
        with db.commit_scope():
            assessment = _load(str(assessment_id))
            outcome = rescore_assessment(assessment, target, dry_run=dry_run)
            click.echo(outcome.line())
            if dry_run:
                db.session.rollback()
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing"
    click.echo(f"{'dry run: ' if dry_run else ''}{framework_id} -> {target}: {summary}")


def register(app: Flask) -> None:
    app.cli.add_command(assessment_cli)
