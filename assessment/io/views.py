"""Export (JSON, XLSX) and import of an assessment's answers.

Routes (under /t/<slug>/assessments):
- GET  /<assessment_id>/export.json     the contract's input document; any member
- GET  /<assessment_id>/export.xlsx     the workbook, in the user's language; any member
- GET  /<assessment_id>/import          the upload form; owners and administrators
- POST /<assessment_id>/import          import all or nothing (422 with every bad cell);
                                        the page lists what changed, or, for an import that
                                        clears many answers, what would change (nothing
                                        written; the file is held for the confirmation)
- POST /<assessment_id>/import/confirm  apply the held file, if it still makes exactly the
                                        changes that were shown

And for a linked consultancy or association (under /t/<slug>/clients/<enterprise_id>/
assessments), only through an accepted link that grants ``answers`` (else 404):
- GET  /<assessment_id>/export.json | export.xlsx   the enterprise's answers, read-only
"""

from __future__ import annotations

import uuid

from flask import flash, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.wrappers import Response as BaseResponse
from wtforms import HiddenField
from wtforms.validators import DataRequired, Regexp

from assessment.assessments.answering import EDITABLE_STATES
from assessment.assessments.models import Assessment
from assessment.assessments.web import assessment_or_404
from assessment.io import export, importer, pending
from assessment.io import queries as io_queries
from assessment.io.importer import ImportOutcome, ImportProblem, ImportRejected
from tenants.language import reader_language
from tenants.linked import current_membership, linked_enterprise
from tenants.models import LinkGrant, Role, Tenant
from tenants.web import (
    attachment,
    current_tenant,
    requires_role,
    tenant_blueprint,
    upload_limit,
)

bp = tenant_blueprint("io", __name__, "/assessments")

IMPORTERS = (Role.owner, Role.admin)
# The file plus the form around it (token, multipart boundaries).
MAX_UPLOAD_BYTES = importer.MAX_IMPORT_BYTES + 64 * 1024
_HEX64 = Regexp(r"^[0-9a-f]{64}$", message=_l("This confirmation is not valid."))


class ImportForm(FlaskForm):
    file = FileField(_l("Workbook (.xlsx) or JSON document"),
                     validators=[FileRequired(_l("Choose a file to import."))])


class ConfirmImportForm(FlaskForm):
    """Names the held file (its digest) and the changes that were shown (their fingerprint)."""

    digest = HiddenField(validators=[DataRequired(), _HEX64])
    fingerprint = HiddenField(validators=[DataRequired(), _HEX64])


# The answers grant: what a member's link lets its association or consultancy download.
linked_bp = tenant_blueprint("io_linked", __name__, "/clients/<uuid:enterprise_id>/assessments",
                             grant=LinkGrant.answers)


def _exported(assessment_id: uuid.UUID, enterprise_id: uuid.UUID | None
              ) -> tuple[Assessment, Tenant]:
    """The assessment to export and the enterprise it belongs to: the current tenant's own,
    or, with ``enterprise_id``, a linked enterprise's whose accepted link grants
    ``answers``."""
    if enterprise_id is None:
        return assessment_or_404(assessment_id), current_tenant()
    entered = linked_enterprise()
    assert entered is not None  # the blueprint entered it (grant answers) or answered 404
    return assessment_or_404(assessment_id), entered.enterprise


@bp.route("/<uuid:assessment_id>/export.json")
@linked_bp.route("/<uuid:assessment_id>/export.json")
def export_json(assessment_id: uuid.UUID, enterprise_id: uuid.UUID | None = None
                ) -> BaseResponse:
    assessment, enterprise = _exported(assessment_id, enterprise_id)
    return attachment(export.export_json(assessment), "application/json",
                     export.export_filename(assessment, enterprise.slug, "json"))


@bp.route("/<uuid:assessment_id>/export.xlsx")
@linked_bp.route("/<uuid:assessment_id>/export.xlsx")
def export_xlsx(assessment_id: uuid.UUID, enterprise_id: uuid.UUID | None = None
                ) -> BaseResponse:
    assessment, enterprise = _exported(assessment_id, enterprise_id)
    english = reader_language() == "en"
    data = export.export_xlsx(assessment, enterprise.name, english)
    return attachment(data, export.XLSX_MIMETYPE,
                     export.export_filename(assessment, enterprise.slug, "xlsx"))


def _render(form: ImportForm, assessment: Assessment, problems: list[ImportProblem] | None = None,
            status: int = 200, outcome: ImportOutcome | None = None,
            confirm: ConfirmImportForm | None = None) -> tuple[str, int]:
    return render_template("assessment/import.html", form=form, assessment=assessment,
                           problems=problems or [], editable=assessment.state in EDITABLE_STATES,
                           max_mb=importer.MAX_IMPORT_BYTES // (1024 * 1024),
                           outcome=outcome, confirm=confirm,
                           threshold=importer.confirm_threshold()), status


@bp.route("/<uuid:assessment_id>/import")
@requires_role(*IMPORTERS)
def import_form(assessment_id: uuid.UUID) -> tuple[str, int]:
    return _render(ImportForm(), assessment_or_404(assessment_id))


@bp.route("/<uuid:assessment_id>/import", methods=["POST"])
@upload_limit(MAX_UPLOAD_BYTES)
@requires_role(*IMPORTERS)
def import_upload(assessment_id: uuid.UUID) -> tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return _render(form, assessment, status=422)
    data = form.file.data.stream.read(importer.MAX_IMPORT_BYTES + 1)
    return _import(assessment, form, data, None)


@bp.route("/<uuid:assessment_id>/import/confirm", methods=["POST"])
@requires_role(*IMPORTERS)
def import_confirm(assessment_id: uuid.UUID) -> tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    confirm = ConfirmImportForm()
    data = io_queries.held_import(assessment.id, current_user.id, confirm.digest.data or "") \
        if confirm.validate_on_submit() else None
    if data is None:
        return _render(ImportForm(), assessment, [ImportProblem(
            _("This import is no longer waiting for a confirmation: upload the file again."))],
            422)
    return _import(assessment, ImportForm(), data, confirm.fingerprint.data)


def _import(assessment: Assessment, form: ImportForm, data: bytes,
            confirmed: str | None) -> tuple[str, int]:
    try:
        outcome = importer.import_file(assessment, current_membership(), current_user, data,
                                       confirmed)
    except ImportRejected as rejected:
        flash(str(rejected.message), "error")
        return _render(form, assessment, rejected.problems, 422)
    if outcome.needs_confirmation:
        if confirmed is not None:
            flash(_("The answers changed since the list was shown: check the changes again."),
                  "error")
        digest = pending.hold(assessment.id, current_user.id, data)
        confirm = ConfirmImportForm(formdata=None, digest=digest,
                                    fingerprint=outcome.fingerprint)
        return _render(form, assessment, outcome=outcome, confirm=confirm)
    pending.discard(assessment.id, current_user.id)
    flash(_("Imported: %(answers)d answers and %(flags)d not-applicable declarations changed.",
            answers=outcome.changed_answers, flags=outcome.changed_flags), "success")
    return _render(form, assessment, outcome=outcome)
