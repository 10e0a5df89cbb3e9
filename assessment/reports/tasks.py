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
import socket
import tempfile
import threading
import uuid
import zipfile
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import lazy_gettext as _l
from huey import crontab
from sqlmodel import col

from assessment.reports import queries
from assessment.reports.bulk_models import BulkReportJob, BulkStatus
from assessment.reports.report_render import PdfRequest, render_budget
from assessment.reports.services import enterprise_pdf_request, language, report_filename
from assessment.reports.workers import RenderFailed, RenderPool
from tenants import queries as platform_queries
from tenants.billing import entitlements
from tenants.context import set_tenant, system_scope
from tenants.db import after_commit, db
from tenants.errors import DomainError
from tenants.jobs import app_periodic_task, app_task, on_workers, start, start_later
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
    # A queued job has a lease too: if its queue message is lost, the scheduled safety net
    # (:func:`resume_stalled_bulk_runs`) starts it once the lease has passed.
    job = BulkReportJob(year=year, lang=language(lang), requested_by_id=user.id,
                        total=len(platform_queries.linked_tenant_ids(association.id,
                                                                     LinkGrant.reports)),
                        lease_until=utcnow() + _lease())
    db.session.add(job)
    db.session.flush()
    association_id, job_id = association.id, job.id
    after_commit(lambda: start(render_bulk, association_id, job_id))
    return job


# -- the run's claim: decided by the database, so that any number of workers run it once ----
MAX_ATTEMPTS = 3  # runs that may claim a job: one that kills its worker every time stops
_ACTIVE = (BulkStatus.queued, BulkStatus.running)
# Updates through the model (not its table), so that a loaded row sees what they wrote.
JOB = BulkReportJob


class _ClaimLost(Exception):
    """Another run took the job over (this one outlived its lease): stop, store nothing."""


def _lease() -> timedelta:
    return timedelta(seconds=float(current_app.config["BULK_REPORT_LEASE_SECONDS"]))


def _run_token() -> str:
    """Who holds the claim: the host and process (for an operator) and a random part (two
    runs in one process differ)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def _expired(now: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(col(JOB.lease_until).is_(None), col(JOB.lease_until) < now)


def _claim(job_id: uuid.UUID, token: str, total: int) -> bool:
    """Claim the job for this run (commits): a queued job, or a running one whose run has
    shown no sign of life for the lease (its worker died). Of two runs, one wins."""
    now = utcnow()
    claimed = db.session.execute(
        sa.update(JOB)
        .where(col(JOB.id) == job_id, col(JOB.attempts) < MAX_ATTEMPTS, sa.or_(
            col(JOB.status) == BulkStatus.queued,
            sa.and_(col(JOB.status) == BulkStatus.running, _expired(now))))
        .values(status=BulkStatus.running, claimed_by=token, lease_until=now + _lease(),
                attempts=col(JOB.attempts) + 1, total=total, done=0, skipped=0))
    db.commit()
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def _beat(association_id: uuid.UUID, job_id: uuid.UUID, token: str, done: int = 0,
          skipped: int = 0) -> None:
    """Count progress and renew the lease, only while this run holds the claim (commits)."""
    set_tenant(db.session, association_id)
    moved = db.session.execute(
        sa.update(JOB)
        .where(col(JOB.id) == job_id, col(JOB.claimed_by) == token,
               col(JOB.status) == BulkStatus.running)
        .values(done=col(JOB.done) + done, skipped=col(JOB.skipped) + skipped,
                lease_until=utcnow() + _lease()))
    db.commit()
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise _ClaimLost(str(job_id))


def _settle(association_id: uuid.UUID, job_id: uuid.UUID, token: str, **values: object
            ) -> bool:
    """Finish the run (done or failed) if it still holds the claim; commits."""
    set_tenant(db.session, association_id)
    settled = db.session.execute(
        sa.update(JOB).where(col(JOB.id) == job_id, col(JOB.claimed_by) == token)
        .values(claimed_by=None, lease_until=None, finished_at=utcnow(), **values))
    db.commit()
    return bool(settled.rowcount == 1)  # type: ignore[attr-defined]


class _Heartbeat:
    """Renews the run's lease every third of it from a thread of its own, for as long as this
    process lives, whatever the run is doing (gathering a member's figures, waiting for a
    render): the lease measures whether the worker is alive, not how fast it works. When the
    claim turns out lost, :attr:`lost` is set and the run stops at its next step."""

    def __init__(self, association_id: uuid.UUID, job_id: uuid.UUID, token: str) -> None:
        self._app = current_app._get_current_object()  # type: ignore[attr-defined]
        self._args = (association_id, job_id, token)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bulk-lease", daemon=True)
        self.lost = False

    def _run(self) -> None:
        with self._app.app_context():
            every = max(_lease().total_seconds() / 3, 0.2)
        while not self._stop.wait(every):
            with self._app.app_context():
                try:
                    _beat(*self._args)
                except _ClaimLost:
                    self.lost = True
                    return
                except Exception:  # the database away for a moment: try again next time
                    log.exception("bulk report lease not renewed")

    def __enter__(self) -> _Heartbeat:
        if on_workers():  # in-process jobs share this process's fate: nothing to renew
            self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


@app_task()
def render_bulk(association_id: uuid.UUID, job_id: uuid.UUID) -> None:
    """Render each member's report into the job's ZIP, committing progress as it goes.

    Safe to run twice and on any worker: the run first claims the job (:func:`_claim`), renews
    its lease with every step of progress and while it waits for a render, and writes
    progress, the ZIP's completion and a failure only while it still holds the claim. A run
    that takes a job over starts its ZIP afresh; the members' PDFs its predecessor stored are
    read from the content-keyed cache, not rendered again.
    """
    if has_request_context():
        _run(association_id, job_id)
        return
    # On a worker there is no request; the report templates (and the context processors
    # every template gets: navigation, the language form) need one. An anonymous one.
    with current_app.test_request_context():
        _run(association_id, job_id)


def _run(association_id: uuid.UUID, job_id: uuid.UUID) -> None:
    association = platform_queries.tenant_by_id(association_id)
    set_tenant(db.session, association_id)
    members = platform_queries.linked_tenant_ids(association_id, LinkGrant.reports)
    token = _run_token()
    claimed = _claim(job_id, token, len(members))
    set_tenant(db.session, association_id)
    job = queries.bulk_job(job_id)
    db.commit()
    if association is None or job is None or not claimed:
        return
    # The dead-man's switch: if this worker dies, another takes the job over after the lease.
    start_later(watch_bulk, _lease().total_seconds() + 1, association_id, job_id)
    # Built in a local temporary file (never in memory), stored whole once complete.
    handle, temporary = tempfile.mkstemp(prefix="chaingauge-bulk-", suffix=".zip")
    os.close(handle)
    partial = Path(temporary)

    workers = int(current_app.config["REPORT_WORKERS"])
    try:
        with _Heartbeat(association_id, job_id, token) as heartbeat:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as archive, \
                    RenderPool(max(min(workers, len(members)), 1), render_budget()) as pool:
                for outcome in _member_reports(pool, association, members, job.year, job.lang):
                    if heartbeat.lost:
                        raise _ClaimLost(str(job_id))
                    if outcome is not None:
                        archive.writestr(*outcome)  # as each completes: never in memory
                    _beat(association_id, job_id, token, done=1,
                          skipped=0 if outcome is not None else 1)
            _beat(association_id, job_id, token)  # still ours: store the ZIP
            file_store("reports").put_file(zip_key(association_id, job_id), str(partial))
    except _ClaimLost:
        log.warning("bulk report run taken over by another", extra={"reason": str(job_id)})
        db.rollback()
        partial.unlink(missing_ok=True)
        return
    except Exception:
        log.exception("bulk report job failed", extra={"reason": str(job_id)})
        db.rollback()
        _settle(association_id, job_id, token, status=BulkStatus.failed,
                error="rendering failed")
        partial.unlink(missing_ok=True)
        return
    _settle(association_id, job_id, token, status=BulkStatus.done,
            zip_path=zip_key(association_id, job_id))
    partial.unlink(missing_ok=True)


@app_task()
def watch_bulk(association_id: uuid.UUID, job_id: uuid.UUID) -> None:
    """A bulk run's watchdog, queued for when its lease ends: nothing once the job is over;
    looks again later while the run renews its lease; takes the job over (on this worker)
    once the run has shown no sign of life for the lease, or gives up after
    :data:`MAX_ATTEMPTS` runs."""
    set_tenant(db.session, association_id)
    job = queries.bulk_job(job_id)
    db.commit()
    if job is None or job.status not in _ACTIVE:
        return
    now = utcnow()
    if job.lease_until is not None and job.lease_until > now:
        start_later(watch_bulk, (job.lease_until - now).total_seconds() + 1, association_id,
                    job_id)
        return
    if job.attempts >= MAX_ATTEMPTS:
        set_tenant(db.session, association_id)
        db.session.execute(
            sa.update(JOB).where(col(JOB.id) == job_id, col(JOB.status).in_(_ACTIVE), _expired(now))
            .values(status=BulkStatus.failed, claimed_by=None, lease_until=None,
                    finished_at=now, error="stopped after repeated interruptions"))
        db.commit()
        return
    log.warning("bulk report run without a sign of life: taking it over",
                extra={"reason": str(job_id)})
    render_bulk.call_local(association_id, job_id)


def stalled_bulk_jobs() -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(association, job) of every queued or running job whose lease has passed, across
    tenants: a lost queue message or a lost watchdog (the scheduled safety net)."""
    with system_scope(db.session, "bulk reports: stalled runs"):
        rows = db.session.execute(
            sa.select(col(JOB.tenant_id), col(JOB.id))
            .where(col(JOB.status).in_(_ACTIVE), _expired(utcnow()))).all()
    db.commit()
    return [(tenant_id, job_id) for tenant_id, job_id in rows]


@app_periodic_task(crontab(minute="*"), name="reports.resume_stalled_bulk")
def resume_stalled_bulk_runs() -> None:
    for association_id, job_id in stalled_bulk_jobs():
        start(watch_bulk, association_id, job_id)


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
