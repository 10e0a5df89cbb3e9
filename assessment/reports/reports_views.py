"""Report pages and downloads (thin: access, then a service, then a response).

- An enterprise's own: ``/t/<slug>/reports/`` lists its finalised assessments;
  ``.../assessments/<assessment_id>`` is the HTML preview and ``....pdf`` the PDF
  (``?lang=zh|en``).
- A consultancy or association whose accepted link grants ``reports``: the same under
  ``.../clients/<enterprise_id>/...``, branded as theirs.
- An association: the cohort report (``.../cohort/<year>`` and ``.pdf``) and bulk runs of
  every member's report (``.../bulk``), with progress and a ZIP.
"""

from __future__ import annotations

import uuid

from flask import (
    abort,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.assessments import queries as assessment_queries
from assessment.assessments.models import Assessment, State
from assessment.assessments.web import assessment_or_404
from assessment.profiles import queries as profile_queries
from assessment.reports import pdf_jobs, queries, services, tasks
from assessment.reports.bulk_models import BulkReportJob, BulkStatus
from assessment.reports.pdf_jobs import RenderState
from assessment.reports.report_render import PdfRequest, ReportFile
from tenants import queries as platform_queries
from tenants.billing import entitlements
from tenants.language import reader_language
from tenants.linked import link_args, linked_enterprise
from tenants.models import LinkGrant, Role, TenantKind
from tenants.storage import StoredFileMissing, file_store
from tenants.web import access, attachment, current_role, current_tenant, tenant_blueprint

bp = tenant_blueprint("reports", __name__, "/reports")

OWN = "/assessments/<uuid:assessment_id>"
LINKED = "/clients/<uuid:enterprise_id>/assessments/<uuid:assessment_id>"


def _lang() -> str:
    default = reader_language()
    return services.language(request.args.get("lang"), default)


def _pdf_response(found: ReportFile, filename: str) -> Response:
    response = attachment(found.content, "application/pdf", filename)
    response.headers["X-Report-Cache"] = "hit" if found.cached else "miss"
    return response


def _pdf_or_progress(request_: PdfRequest, filename: str, back: str
                     ) -> Response | tuple[str, int]:
    """The PDF when it is ready; otherwise its render is started (once) and the page polls it.

    The report's figures were read in this request's transaction; the render runs as a job
    with its own time and memory budget (:mod:`assessment.reports.pdf_jobs`)."""
    found = request_.cached()
    if found is not None:
        return _pdf_response(ReportFile(found, cached=True), filename)
    state = pdf_jobs.start(request_)
    if state.state is RenderState.done:  # jobs that run inline (tests) are done already
        content = request_.cached()
        if content is not None:
            return _pdf_response(ReportFile(content, cached=False), filename)
    message = pdf_jobs.failure_message(state.reason) if state.state is RenderState.failed \
        else ""
    return render_template(
        "reports/pdf_job.html", state=state.state.value, message=message, back=back,
        status_url=url_for("reports.render_status", key=request_.key),
        download_url=request.full_path.rstrip("?")), 202


@bp.route("/renders/<key>.json")
def render_status(key: str) -> Response | tuple[Response, int]:
    """A render's state, for the page that waits for it (the current tenant's renders only)."""
    if len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
        abort(404)
    state = pdf_jobs.status(str(current_tenant().id), key)
    body = jsonify({"status": state.state.value,
                    "message": pdf_jobs.failure_message(state.reason)
                    if state.state is RenderState.failed else ""})
    # A render this tenant does not have (lost in a restart, or another tenant's) is a 404,
    # as every object of another tenant is; the waiting page then asks for the PDF again.
    return (body, 404) if state.state is RenderState.none else body


def _enterprise_name(assessment: Assessment) -> str:
    profile = profile_queries.profile()
    tenant = platform_queries.tenant_by_id(assessment.tenant_id)
    return (profile.legal_name if profile else "") or (tenant.name if tenant else "report")


def _open(assessment_id: uuid.UUID, enterprise_id: uuid.UUID | None) -> Assessment:
    assessment = assessment_or_404(assessment_id)
    if assessment.state != State.finalised:
        abort(404)  # reports are of finalised assessments; the results page shows drafts
    return assessment


# -- lists ---------------------------------------------------------------------------------
@bp.route("/")
def index() -> str:
    tenant = current_tenant()
    if tenant.kind == TenantKind.enterprise:
        finalised = [a for a in assessment_queries.assessments() if a.state == State.finalised]
        return render_template("reports/index.html", assessments=finalised, clients=[],
                               may_pdf=entitlements.may(tenant, "pdf_reports"))
    clients = [(link, client) for link, client in platform_queries.outgoing_links(tenant.id)
               if link.grants_(LinkGrant.reports)]
    return render_template("reports/index.html", assessments=[], clients=clients,
                           may_pdf=entitlements.may(tenant, "pdf_reports"))


@bp.route("/clients/<uuid:enterprise_id>/")
@access(grant=LinkGrant.reports)
def client(enterprise_id: uuid.UUID) -> str:
    linked = linked_enterprise()
    finalised = [a for a in assessment_queries.assessments() if a.state == State.finalised]
    return render_template("reports/client.html", linked=linked, assessments=finalised,
                           link_args=link_args(),
                           may_pdf=entitlements.may(current_tenant(), "pdf_reports"))


# -- the enterprise report -------------------------------------------------------------------
@bp.route(OWN)
@bp.route(LINKED)
@access(kinds=[TenantKind.enterprise], grant=LinkGrant.reports)
def preview(assessment_id: uuid.UUID, enterprise_id: uuid.UUID | None = None) -> str:
    assessment = _open(assessment_id, enterprise_id)
    lang = _lang()
    args = {"assessment_id": assessment.id, **link_args()}
    toolbar = [(_("Back"), url_for("reports.index")),
               (_("PDF in Chinese"), url_for("reports.pdf", lang="zh", **args)),
               (_("PDF in English"), url_for("reports.pdf", lang="en", **args)),
               (_("中文") if lang == "en" else _("English"),
                url_for("reports.preview", lang="zh" if lang == "en" else "en", **args))]
    return services.enterprise_report_html(assessment, lang, current_tenant(), toolbar)


@bp.route(f"{OWN}.pdf")
@bp.route(f"{LINKED}.pdf")
@access(kinds=[TenantKind.enterprise], grant=LinkGrant.reports)
def pdf(assessment_id: uuid.UUID, enterprise_id: uuid.UUID | None = None
        ) -> Response | tuple[str, int]:
    assessment = _open(assessment_id, enterprise_id)
    lang = _lang()
    pending = services.enterprise_pdf_request(assessment, lang, current_tenant(),
                                              check_entitlement=True)
    filename = services.report_filename(_enterprise_name(assessment), assessment.year, lang)
    back = url_for("reports.preview", assessment_id=assessment.id, lang=lang, **link_args())
    return _pdf_or_progress(pending, filename, back)


# -- the association's cohort report and bulk runs ------------------------------------------
@bp.route("/cohort")
@access(kinds=[TenantKind.association])
def cohort() -> str:
    tenant = current_tenant()
    # Only years with finalised members have a report; the newest comes first.
    years = queries.member_finalised_years(tenant.id)
    return render_template(
        "reports/cohort_page.html", years=years,
        jobs=queries.bulk_jobs(), may_cohort=entitlements.may(tenant, "cohort_reports"),
        may_bulk=entitlements.may(tenant, "bulk_reports"),
        manager=current_role() in (Role.owner, Role.admin))


def _year(year: int) -> int:
    if not 2000 <= year <= 2100:
        abort(404)
    return year


@bp.route("/cohort/<int:year>")
@access(kinds=[TenantKind.association])
def cohort_preview(year: int) -> str:
    lang = _lang()
    toolbar = [(_("Back"), url_for("reports.cohort")),
               (_("PDF in Chinese"), url_for("reports.cohort_pdf", year=year, lang="zh")),
               (_("PDF in English"), url_for("reports.cohort_pdf", year=year, lang="en"))]
    return services.cohort_report_html(current_tenant(), _year(year), lang, toolbar)


@bp.route("/cohort/<int:year>.pdf")
@access(kinds=[TenantKind.association])
def cohort_pdf(year: int) -> Response | tuple[str, int]:
    lang = _lang()
    pending = services.cohort_pdf_request(current_tenant(), _year(year), lang)
    return _pdf_or_progress(pending, services.report_filename(current_tenant().name, year, lang),
                            url_for("reports.cohort"))


@bp.route("/bulk", methods=["POST"])
@access(kinds=[TenantKind.association], roles=[Role.owner, Role.admin])
def bulk_start() -> Response:
    try:
        year = int(request.form.get("year", ""))
    except ValueError:
        year = 0
    job = tasks.start_bulk(current_tenant(), current_user, year, request.form.get("lang", ""))
    return redirect(url_for("reports.bulk_status", job_id=job.id))


def _job(job_id: uuid.UUID) -> BulkReportJob:
    job = queries.bulk_job(job_id)
    if job is None:
        abort(404)
    return job


@bp.route("/bulk/<uuid:job_id>")
@access(kinds=[TenantKind.association])
def bulk_status(job_id: uuid.UUID) -> str:
    return render_template("reports/bulk_job.html", job=_job(job_id), BulkStatus=BulkStatus)


@bp.route("/bulk/<uuid:job_id>.json")
@access(kinds=[TenantKind.association])
def bulk_progress(job_id: uuid.UUID) -> Response:
    job = _job(job_id)
    return jsonify({"status": job.status, "done": job.done, "total": job.total,
                    "skipped": job.skipped,
                    "download": url_for("reports.bulk_zip", job_id=job_id)
                    if job.status == BulkStatus.done else None})


@bp.route("/bulk/<uuid:job_id>.zip")
@access(kinds=[TenantKind.association])
def bulk_zip(job_id: uuid.UUID) -> Response:
    job = _job(job_id)
    if job.status != BulkStatus.done or not job.zip_path:
        abort(404)
    if job.zip_path != tasks.zip_key(current_tenant().id, job.id):
        abort(404)  # only this tenant's own ZIP of this job
    try:
        handle = file_store("reports").open(job.zip_path)
    except StoredFileMissing:
        abort(404)
    return send_file(handle, mimetype="application/zip", as_attachment=True,
                     download_name=f"reports-{job.year}-{job.lang}.zip")
