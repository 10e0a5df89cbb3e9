"""Bulk reports: an association renders every member's report in one job, into one ZIP.

Members count when their accepted link grants ``reports`` (a member's full report shows more
than the scores a benchmark needs, so ``scores`` alone is not enough) and they have a
finalised assessment of the year. The job commits its progress after every member, so the
page can show it; the ZIP is written beside the cache (``REPORTS_DIR/<tenant id>/``, by
default under ``instance/reports``) and moved into place only when complete.
"""

from __future__ import annotations

import logging
import uuid
import zipfile
from pathlib import Path

from flask_babel import lazy_gettext as _l

from assessment.reports import queries
from assessment.reports.bulk_models import BulkReportJob, BulkStatus
from assessment.reports.render import reports_root
from assessment.reports.services import enterprise_report_pdf, language, report_filename
from tenants import queries as platform_queries
from tenants.billing import entitlements
from tenants.context import set_tenant
from tenants.db import after_commit, db
from tenants.errors import DomainError
from tenants.jobs import app_task
from tenants.models import LinkGrant, Tenant, TenantKind, User
from tenants.types import utcnow

log = logging.getLogger(__name__)


def reports_folder(tenant_id: uuid.UUID) -> Path:
    return reports_root() / str(tenant_id)


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
    after_commit(lambda: render_bulk(association_id, job_id))
    return job


@app_task()
def render_bulk(association_id: uuid.UUID, job_id: uuid.UUID) -> None:
    """Render each member's report into the job's ZIP, committing progress as it goes."""
    association = platform_queries.tenant_by_id(association_id)
    set_tenant(db.session, association_id)
    job = queries.bulk_job(job_id)
    if association is None or job is None or job.status != BulkStatus.queued:
        return
    members = platform_queries.linked_tenant_ids(association_id, LinkGrant.reports)
    job.status, job.total, job.done, job.skipped = BulkStatus.running, len(members), 0, 0
    db.commit()
    folder = reports_folder(association_id)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"bulk-{job_id}.zip"
    partial = final.with_suffix(".part")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as archive:
            for member_id in members:
                added = _add_member(archive, association, member_id, job.year, job.lang)
                set_tenant(db.session, association_id)
                job = queries.bulk_job(job_id) or job
                job.done += 1
                job.skipped += 0 if added else 1
                db.commit()
        partial.replace(final)
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
    job.zip_path = final.name
    db.commit()


def _add_member(archive: zipfile.ZipFile, association: Tenant, member_id: uuid.UUID,
                year: int, lang: str) -> bool:
    """Add the member's report; False when it has none to add. (The job row is not touched
    here: the session acts for the member meanwhile, and the job belongs to the
    association.)"""
    # Still granted? The link may have been revoked since the job started.
    if platform_queries.accepted_link(association.id, member_id, LinkGrant.reports) is None:
        return False
    set_tenant(db.session, member_id)
    assessment = queries.finalised_assessment_of(member_id, year)
    member = platform_queries.tenant_by_id(member_id)
    if assessment is None or member is None:
        return False
    report = enterprise_report_pdf(assessment, lang, association, check_entitlement=False)
    name = report_filename(member.name, year, lang)
    if name in archive.namelist():  # two members of the same name
        name = report_filename(f"{member.name}-{member.slug}", year, lang)
    archive.writestr(name, report.content)
    return True
