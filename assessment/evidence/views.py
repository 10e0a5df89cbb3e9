"""Views of assessment.evidence (thin: forms in, services called, templates out).

Routes: an enterprise's own under ``/t/<slug>/assessments/<assessment_id>/evidence``; a
linked reviewer downloads under ``/t/<its-slug>/clients/<enterprise_id>/assessments/
<assessment_id>/evidence/<evidence_id>`` when the enterprise's link grants ``review``
(never ``scores`` alone: evidence is not shared for benchmarking).
"""

from __future__ import annotations

import uuid

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from werkzeug.wsgi import wrap_file

from assessment.assessments import answering
from assessment.assessments.documents import framework_of
from assessment.assessments.models import Assessment
from assessment.assessments.web import assessment_or_404
from assessment.evidence import queries, services, sniff
from assessment.evidence.forms import DeleteForm, UploadForm
from assessment.evidence.storage import max_bytes, storage
from tenants import confirm
from tenants.errors import DomainError
from tenants.language import reader_language
from tenants.linked import current_membership
from tenants.models import LinkGrant, TenantKind
from tenants.web import abort_for_access, current_tenant, form_error, local_path, tenant_blueprint

bp = tenant_blueprint("evidence", __name__, kinds=[TenantKind.enterprise], grant=LinkGrant.review)

OWN = "/assessments/<uuid:assessment_id>/evidence"
LINKED = "/clients/<uuid:enterprise_id>/assessments/<uuid:assessment_id>/evidence"
# Multipart framing around the file; a request above limit + this is refused unread.
_FRAMING_ALLOWANCE = 64 * 1024


def _choices(assessment: Assessment) -> list[tuple[str, str]]:
    lang = reader_language()
    return [(code, ind.name_en if lang == "en" else ind.name_zh)
            for code, ind in framework_of(assessment).indicators.items()]


def _render(assessment: Assessment, form: UploadForm | None = None,
            status: int = 200) -> tuple[str, int]:
    form = form or UploadForm()
    form.indicator_code.choices = _choices(assessment)
    editable = answering.editable_pages(assessment, current_membership())
    return render_template(
        "assessment/evidence.html", assessment=assessment, form=form,
        delete_form=DeleteForm(), files=queries.files_by_indicator(assessment.id),
        names=dict(_choices(assessment)), can_upload=bool(editable),
        limit_mb=f"{max_bytes() / (1024 * 1024):g}",
        type_labels={t.content_type: t.label for t in sniff.ALLOWED_TYPES},
    ), status


def _back(assessment: Assessment, target: str | None) -> Response:
    """Back to where the upload started (a questionnaire page of this tenant), or the list."""
    return redirect(local_path(target, f"/t/{current_tenant().slug}/")
                    or url_for("evidence.index", assessment_id=assessment.id), 303)


@bp.route(OWN)
def index(assessment_id: uuid.UUID) -> tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    # ?code= preselects an indicator, ?next= returns to the questionnaire page afterwards.
    form = UploadForm(indicator_code=request.args.get("code", ""),
                      next=request.args.get("next", ""))
    return _render(assessment, form)


@bp.route(OWN, methods=["POST"])
def upload(assessment_id: uuid.UUID) -> Response | tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    form = UploadForm()
    form.indicator_code.choices = _choices(assessment)
    limit = max_bytes()
    if (request.content_length or 0) > limit + _FRAMING_ALLOWANCE:
        form.file.errors = [str(services.refusal_message(sniff.Refusal.too_large, limit))]
        return _render(assessment, form, 413)
    if not form.validate_on_submit():
        return _render(assessment, form, 422)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        form.file.errors = [_("Choose a file to attach.")]
        return _render(assessment, form, 422)
    try:
        services.attach(assessment, current_membership(), current_user._get_current_object(),
                        form.indicator_code.data or "", upload.filename, upload.stream)
    except DomainError as error:
        abort_for_access(error)
        form_error(form, error)
        return _render(assessment, form, error.status_code)
    flash(_("The file was attached."), "success")
    return _back(assessment, form.next.data)


@bp.route(f"{OWN}/<uuid:evidence_id>/delete", methods=["POST"])
def delete(assessment_id: uuid.UUID, evidence_id: uuid.UUID) -> Response | tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    evidence = queries.evidence_file(assessment.id, evidence_id)
    if evidence is None:
        abort(404)
    form = DeleteForm()
    if not form.validate_on_submit():
        abort(400)
    if not confirm.confirmed():
        return confirm.ask(
            title=_("Remove file"), button=_("Remove file"), danger=True,
            cancel=local_path(form.next.data, f"/t/{current_tenant().slug}/")
            or url_for("evidence.index", assessment_id=assessment.id),
            sentence=_("The file %(name)s is deleted from the evidence of this assessment "
                       "and cannot be recovered.", name=evidence.original_name))
    try:
        services.remove(assessment, current_membership(), current_user._get_current_object(),
                        evidence)
    except DomainError as error:
        abort_for_access(error)
        flash(str(error.message), "error")
        return _render(assessment, None, error.status_code)
    flash(_("The file was removed."), "success")
    return _back(assessment, form.next.data)


@bp.route(f"{OWN}/<uuid:evidence_id>")
@bp.route(f"{LINKED}/<uuid:evidence_id>")
def download(assessment_id: uuid.UUID, evidence_id: uuid.UUID,
             enterprise_id: uuid.UUID | None = None) -> Response:
    """Members of the enterprise, or a linked reviewer (grant ``review``); else 404."""
    assessment = assessment_or_404(assessment_id)
    evidence = queries.evidence_file(assessment.id, evidence_id)
    if evidence is None:
        abort(404)
    try:
        handle = storage().open(evidence.tenant_id, evidence.stored_name)
    except FileNotFoundError:
        current_app.logger.error("evidence file %s is missing from storage", evidence.id)
        abort(404)
    response = current_app.response_class(wrap_file(request.environ, handle),
                                          mimetype=evidence.content_type,
                                          direct_passthrough=True)
    response.content_length = evidence.size
    response.headers["Content-Disposition"] = services.content_disposition(
        services.download_name(evidence))
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    # Should a browser still render it, it runs nothing and reaches nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
