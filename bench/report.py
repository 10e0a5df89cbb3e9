"""Report rendering bench: one enterprise report warm, and 100 member reports in bulk.

    .venv/bin/python bench/report.py [--runs 7] [--members 100] [--workers 2] [--db PATH]

Builds (once, then reuses) a SQLite database with the demo data of ``--members`` member
enterprises (everything through the services: profiles, answers, finalisation), then:

1. renders the demo enterprise's 2025 report ``--runs`` times after two warm-up renders
   (printed: the first lays the report out whole, the second its appendix alone, which later
   renders reuse), bypassing the PDF cache (gathering, HTML and PDF, as the service does; the
   PDF in this process's rendering child with the default time and memory budget, as every
   render runs since issue 11), and prints the median, minimum and maximum wall seconds, the
   median CPU seconds of this process (gathering and HTML; the render's are the child's), the
   page count (pdfinfo) and the rendering child's peak resident memory;
2. runs the real bulk job (``assessment.reports.tasks.render_bulk``) of the demo association
   over a copy of the database in which every member's link grants ``reports``, with
   ``REPORT_WORKERS=--workers`` rendering processes and an empty cache, and prints the total
   seconds and the peak memory of a rendering process.

The machine may be busy with other work: the load average is printed with the figures.

Targets (issue 5): median <= 1.0 s warm for a report of 12 pages or more, peak memory
<= 400 MB; 100 member reports <= 90 s with 2 workers.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

def make_app(db_path: Path, reports_dir: str) -> Any:
    from app import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{db_path}", "SECRET_KEY": "b" * 40,
                      "LOG_JSON": False, "REDIS_URL": None, "REPORTS_DIR": reports_dir})
    logging.getLogger("chaingauge").setLevel(logging.WARNING)  # not a line per bulk member
    return app


def build(db_path: Path, members: int) -> None:
    if db_path.exists():
        return
    from assessment import demo
    from tenants.cli import upgrade
    from tenants.db import db

    app = make_app(db_path, tempfile.mkdtemp())
    upgrade(app)
    started = time.perf_counter()
    with app.test_request_context(), db.commit_scope():
        demo.load(members)
    print(f"built the demo with {members} members in {time.perf_counter() - started:.0f} s")


def _enterprise_pdf(app: Any, slug: str, issuer_slug: str | None, lang: str) -> bytes:
    """The report rendered afresh (no cache), as the service builds it."""
    from assessment.assessments import queries
    from assessment.reports import services
    from assessment.reports.report_render import brand_css, report_html
    from assessment.reports.workers import RenderBudget, renderer
    from tenants import queries as platform_queries
    from tenants.context import set_tenant
    from tenants.db import db

    with app.test_request_context():
        tenant = platform_queries.tenant_by_slug(slug)
        issuer = platform_queries.tenant_by_slug(issuer_slug) if issuer_slug else tenant
        assert tenant is not None and issuer is not None, "run `bench/report.py` on the demo"
        set_tenant(db.session, tenant.id)
        assessment = queries.assessment_for_year(2025)
        assert assessment is not None
        report = services.enterprise_report(assessment, lang, issuer)
        html = report_html(services.ENTERPRISE_TEMPLATE, report, lang, for_pdf=True)
        pdf = renderer(RenderBudget()).render(html, brand_css(report.branding))
        db.rollback()
    return pdf


def warm(db_path: Path, runs: int) -> None:
    app = make_app(db_path, tempfile.mkdtemp())
    # Warm-up: fonts and CSS; the first render lays the report out whole, the second the report
    # and then its appendix alone, kept for the ones after (assessment/reports/static_part.py).
    warm_up = []
    for _ in range(2):
        started = time.perf_counter()
        pdf = _enterprise_pdf(app, "demo-enterprise", None, "zh")
        warm_up.append(time.perf_counter() - started)
    print(f"warm-up renders: first {warm_up[0]:.2f} s (fonts, stylesheet, whole layout), "
          f"second {warm_up[1]:.2f} s (the appendix laid out alone and kept)")
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        pdf = _enterprise_pdf(app, "demo-enterprise", None, "zh")
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True).stdout
    pages = next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:"))
    from assessment.reports.workers import RenderBudget, renderer

    child = renderer(RenderBudget()).pid
    status = Path(f"/proc/{child}/status").read_text() if child else ""
    peak_mb = int(next((line.split()[1] for line in status.splitlines()
                        if line.startswith("VmHWM")), "0")) / 1024  # the rendering child's
    print(f"enterprise report, {runs} warm renders: median {statistics.median(walls):.2f} s "
          f"wall (min {min(walls):.2f}, max {max(walls):.2f}), median "
          f"{statistics.median(cpus):.2f} s CPU; {pages} pages, {len(pdf) // 1024} KB; "
          f"peak RSS {peak_mb:.0f} MB; {_load()}")

    from assessment.reports import services
    from tenants import queries as platform_queries
    from tenants.context import set_tenant
    from tenants.db import db

    with app.test_request_context():
        tenant = platform_queries.tenant_by_slug("demo-enterprise")
        assert tenant is not None
        set_tenant(db.session, tenant.id)
        from assessment.assessments import queries

        assessment = queries.assessment_for_year(2025)
        assert assessment is not None
        services.enterprise_report_pdf(assessment, "zh", tenant, check_entitlement=False)
        started = time.perf_counter()
        found = services.enterprise_report_pdf(assessment, "zh", tenant,
                                               check_entitlement=False)
        print(f"same report from the content-hash cache: {time.perf_counter() - started:.2f} s "
              f"(cached={found.cached})")


def _grant_reports_to_every_member(db_path: Path) -> None:
    """The demo grants ``reports`` to one member in four; the bench renders all of them."""
    with sqlite3.connect(db_path) as connection:
        connection.execute(
            "UPDATE tenant_link SET grants = json_insert(grants, '$[#]', 'reports') "
            "WHERE source_tenant_id = (SELECT id FROM tenant WHERE slug = 'demo-association') "
            "AND grants NOT LIKE '%reports%'")


def bulk(db_path: Path, workers: int) -> None:
    from assessment.reports import queries, tasks
    from assessment.reports.bulk_models import BulkReportJob
    from tenants import queries as platform_queries
    from tenants.context import set_tenant
    from tenants.db import db

    copy = Path(tempfile.mkdtemp()) / "bulk.db"
    shutil.copyfile(db_path, copy)
    _grant_reports_to_every_member(copy)
    app = make_app(copy, tempfile.mkdtemp())
    app.config["REPORT_WORKERS"] = workers
    with app.test_request_context():
        association = platform_queries.tenant_by_slug("demo-association")
        assert association is not None
        set_tenant(db.session, association.id)
        job = BulkReportJob(year=2025, lang="zh")
        db.session.add(job)
        db.commit()
        association_id, job_id = association.id, job.id
        started = time.perf_counter()
        tasks.render_bulk.call_local(association_id, job_id)
        elapsed = time.perf_counter() - started
        set_tenant(db.session, association_id)
        done = queries.bulk_job(job_id)
        assert done is not None and done.zip_path, "the bulk job failed"
        rendered, skipped = done.done - done.skipped, done.skipped
        # Since issue 17 the ZIP is in the reports file store, not a local folder.
        from tenants.storage import file_store

        size = file_store("reports").size(done.zip_path)
        db.rollback()
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"bulk job: {rendered} member reports ({skipped} without a finalised 2025 "
          f"report) with {workers} rendering processes in {elapsed:.1f} s "
          f"({elapsed / max(rendered, 1):.2f} s per report), ZIP {size // 1024 // 1024} MB; "
          f"peak RSS of a rendering process {children_mb:.0f} MB; {_load()}")


def _load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", type=Path,
                        default=Path(tempfile.gettempdir()) / "chaingauge-bench-report.db")
    parser.add_argument("--skip-bulk", action="store_true")
    parser.add_argument("--skip-warm", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("CHAINGAUGE_LOG_JSON", "0")
    build(args.db, args.members)
    print(f"before: {_load()}")
    if not args.skip_warm:
        warm(args.db, args.runs)
    if not args.skip_bulk:
        bulk(args.db, args.workers)


if __name__ == "__main__":
    main()
