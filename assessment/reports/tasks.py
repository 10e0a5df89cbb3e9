"""Bulk reports: an association renders every member's report in one job, into one ZIP.

Members count when their accepted link grants ``reports`` (a member's full report shows more
than the scores a benchmark needs, so ``scores`` alone is not enough) and they have a
finalised assessment of the year. The job commits its progress after every member, so the
page can show it; the ZIP is built in a local temporary file and stored whole in the
``reports`` file store (``<tenant id>/<job>.zip``: a local directory or object storage that
every node shares) only when complete.

Rendering runs in ``REPORT_WORKERS`` processes (default 2, :mod:`assessment.reports.workers`),
each render within the time and memory budget; this process reads, checks and writes, each PDF
going into the ZIP as it completes, in the members' order. No transaction stays open while a
report renders: each member is read in a short transaction that ends before its render is
awaited, and each step of progress is written in its own (on SQLite an open transaction is the
write lock every other tenant's request waits for). A member whose render fails (over budget)
is counted with the skipped ones and the run goes on.
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
import zipfile
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlmodel import col

from assessment.reports import queries
from assessment.reports.bulk_models import BulkReportJob, BulkStatus
from assessment.reports.report_render import PdfRequest, render_budget
from assessment.reports.services import enterprise_pdf_request, language, report_filename
from assessment.reports.workers import RenderFailed, RenderPool
from tenants import queries as platform_queries
from tenants.billing import entitlements
from tenants.context import set_tenant
from tenants.db import after_commit, db
from tenants.errors import DomainError
from tenants.jobs import app_task, start
from tenants.models import LinkGrant, Tenant, TenantKind, User
from tenants.storage import file_store
from tenants.types import utcnow

log = logging.getLogger(__name__)


def zip_key(tenant_id: uuid.UUID, job_id: uuid.UUID) -> str:
    """The bulk run's ZIP in the ``reports`` file store."""
    return f"{tenant_id}/{job_id.hex}.zip"


def start_bulk(association: Tenant, user: User, year: int, lang: str) -> BulkReportJob:
    """Queue a bulk run (it starts once this request has committed)."""
    if association.kind != TenantKind.association:
        raise DomainError(_l("Bulk reports are for associations."))
    entitlements.require(association, "bulk_reports")
    if not 2000 <= year <= 2100:
        raise DomainError(_l("Enter a reporting year between 2000 and 2100."), "year")
    job = BulkReportJob(year=year, lang=language(lang), requested_by_id=user.id,
                        total=len(platform_queries.linked_tenant_ids(association.id,
                                                                     LinkGrant.reports)))
    db.session.add(job)
    db.session.flush()
    association_id, job_id = association.id, job.id
    after_commit(lambda: start(render_bulk, association_id, job_id))
    return job


@app_task()
def render_bulk(association_id: uuid.UUID, job_id: uuid.UUID) -> None:
    """Render each member's report into the job's ZIP, committing progress as it goes."""
    association = platform_queries.tenant_by_id(association_id)
    set_tenant(db.session, association_id)
    members = platform_queries.linked_tenant_ids(association_id, LinkGrant.reports)
    # Compare-and-set: of two runs of the same job (a message delivered twice), one starts.
    claimed = db.session.execute(
        sa.update(BulkReportJob)
        .where(col(BulkReportJob.id) == job_id, col(BulkReportJob.status) == BulkStatus.queued)
        .values(status=BulkStatus.running, total=len(members), done=0, skipped=0))
    job = queries.bulk_job(job_id)
    db.commit()
    if association is None or job is None or claimed.rowcount != 1:  # type: ignore[attr-defined]
        return
    # Built in a local temporary file (never in memory), stored whole once complete.
    handle, temporary = tempfile.mkstemp(prefix="chaingauge-bulk-", suffix=".zip")
    os.close(handle)
    partial = Path(temporary)
    workers = int(current_app.config["REPORT_WORKERS"])
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as archive, \
                RenderPool(min(workers, len(members)), render_budget()) as pool:
            for outcome in _member_reports(pool, association, members, job.year, job.lang):
                if outcome is not None:
                    archive.writestr(*outcome)  # as each completes: the ZIP is never in memory
                set_tenant(db.session, association_id)
                job = queries.bulk_job(job_id) or job
                job.done += 1
                job.skipped += 0 if outcome is not None else 1
                db.commit()
        file_store("reports").put_file(zip_key(association_id, job_id), str(partial))
    except Exception:
        log.exception("bulk report job failed", extra={"reason": str(job_id)})
        db.rollback()
        set_tenant(db.session, association_id)
        failed = queries.bulk_job(job_id)
        if failed is not None:
            failed.status, failed.finished_at = BulkStatus.failed, utcnow()
            failed.error = "rendering failed"
            db.commit()
        partial.unlink(missing_ok=True)
        return
    set_tenant(db.session, association_id)
    job = queries.bulk_job(job_id) or job
    job.status, job.finished_at = BulkStatus.done, utcnow()
    job.zip_path = zip_key(association_id, job_id)
    db.commit()
    partial.unlink(missing_ok=True)


# A member's report on its way: its file name, what it is rendered from, the PDF to come.
_Pending = tuple[str, PdfRequest, "Future[bytes]", bool] | None


def _member_reports(pool: RenderPool, association: Tenant, members: list[uuid.UUID], year: int,
                    lang: str) -> Iterator[tuple[str, bytes] | None]:
    """Each member's ``(file name, PDF)`` in order, or None for a member without a report.

    At most ``pool.workers`` renders are in flight: both workers stay busy, and a member's
    link is checked at most that many reports before its own render starts.
    """
    in_flight: deque[_Pending] = deque()
    names: set[str] = set()
    for member_id in members:
        in_flight.append(_start(pool, association, member_id, year, lang, names))
        if len(in_flight) > pool.workers:
            yield _finish(in_flight.popleft())
    while in_flight:
        yield _finish(in_flight.popleft())


def _start(pool: RenderPool, association: Tenant, member_id: uuid.UUID, year: int, lang: str,
           names: set[str]) -> _Pending:
    """Gather the member's report and send it to a worker (None: it has none to add). The
    job row is not touched here: the session acts for the member meanwhile, and the job
    belongs to the association."""
    # Still granted? The link may have been revoked since the job started. Asked as the
    # association: the session still acts for the previous member, who cannot see this link.
    set_tenant(db.session, association.id)
    if platform_queries.accepted_link(association.id, member_id, LinkGrant.reports) is None:
        db.commit()
        return None
    set_tenant(db.session, member_id)
    assessment = queries.finalised_assessment_of(member_id, year)
    member = platform_queries.tenant_by_id(member_id)
    if assessment is None or member is None:
        db.commit()
        return None
    request = enterprise_pdf_request(assessment, lang, association)
    name = report_filename(member.name, year, lang)
    if name in names:  # two members of the same name
        name = report_filename(f"{member.name}-{member.slug}", year, lang)
    names.add(name)
    db.commit()  # end the read before the render is awaited: no lock held while it renders
    found = request.cached()
    if found is not None:
        cached: Future[bytes] = Future()
        cached.set_result(found)
        return name, request, cached, True
    return name, request, pool.submit(request.html, request.css), False


def _finish(pending: _Pending) -> tuple[str, bytes] | None:
    if pending is None:
        return None
    name, request, future, from_cache = pending
    try:
        pdf = future.result()
    except RenderFailed as failed:  # this member's report alone: the run goes on
        log.warning("bulk report: a member's render failed", extra={"reason": failed.reason})
        return None
    if not from_cache:
        request.store(pdf)
    return name, pdf
