"""``flask --app app report sample``: the landing page's sample report, from the demo.

Renders the demo enterprise's (链衡示范制造有限公司（示例）) latest finalised report in Chinese
and English to ``static/sample/report-<lang>.pdf`` and its first pages as PNG images
(``report-<lang>-<n>.png``, with poppler's ``pdftoppm`` at a width fit for the page). Run it
after ``demo load``; ``make run`` does. The landing page links what exists there. The demo
data is synthetic, so the sample names no real enterprise.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import click
from flask import current_app

from assessment.assessments import queries as assessment_queries
from assessment.reports import services
from assessment.reports.report_render import render_request
from tenants import queries as platform_queries
from tenants.context import set_tenant
from tenants.db import db

DEMO_ENTERPRISE = "demo-enterprise"
PAGES = 3
WIDTH = 560  # pixels: small enough to commit, large enough to read the headings


def sample_dir() -> Path:
    return Path(current_app.static_folder or "static") / "sample"


def available(lang: str) -> dict[str, object]:
    """What of the sample exists for ``lang``: the PDF's name and its page images."""
    folder = sample_dir()
    pdf = folder / f"report-{lang}.pdf"
    images = sorted(p.name for p in folder.glob(f"report-{lang}-*.png"))
    return {"pdf": f"sample/{pdf.name}" if pdf.exists() else None,
            "images": [f"sample/{name}" for name in images]}


@click.command("sample")
@click.option("--pages", default=PAGES, show_default=True, help="Page images per language.")
def sample_command(pages: int) -> None:
    """Render the demo enterprise's report (zh, en) and its first pages as images."""
    folder = sample_dir()
    folder.mkdir(parents=True, exist_ok=True)
    pending = []
    with current_app.test_request_context(), db.commit_scope():
        enterprise = platform_queries.tenant_by_slug(DEMO_ENTERPRISE)
        if enterprise is None:
            raise click.ClickException("no demo enterprise: run `flask --app app demo load`")
        set_tenant(db.session, enterprise.id)
        finalised = sorted(assessment_queries.finalised_assessments(), key=lambda a: a.year)
        if not finalised:
            raise click.ClickException("the demo enterprise has no finalised assessment")
        for lang in services.LANGUAGES:
            pending.append((lang, services.enterprise_pdf_request(finalised[-1], lang,
                                                                  enterprise)))
    pdftoppm = shutil.which("pdftoppm")
    for lang, request in pending:
        pdf = folder / f"report-{lang}.pdf"
        pdf.write_bytes(render_request(request).content)
        click.echo(f"{pdf} ({pdf.stat().st_size // 1024} KB)")
        if pdftoppm is None:
            click.echo("pdftoppm (poppler-utils) is missing: no page images")
            continue
        for old in folder.glob(f"report-{lang}-*.png"):
            old.unlink()
        command = [pdftoppm, "-png", "-f", "1", "-l", str(pages), "-scale-to-x", str(WIDTH),
                   "-scale-to-y", "-1", str(pdf), str(folder / f"report-{lang}")]
        subprocess.run(command, check=True)  # noqa: S603 - our own paths, no shell
        for image in sorted(folder.glob(f"report-{lang}-*.png")):
            click.echo(f"{image} ({image.stat().st_size // 1024} KB)")
