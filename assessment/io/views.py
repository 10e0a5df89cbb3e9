"""Export (JSON, XLSX) and import of an assessment's answers.

Routes (under /t/<slug>/assessments):
- GET  /<assessment_id>/export.json   the contract's input document; any member
- GET  /<assessment_id>/export.xlsx   the workbook, in the user's language; any member
- GET  /<assessment_id>/import        the upload form; owners and administrators
- POST /<assessment_id>/import        import all or nothing; 422 with every bad cell
"""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.wrappers import Response as BaseResponse

from assessment.assessments.answering import EDITABLE_STATES
from assessment.assessments.models import Assessment
from assessment.assessments.web import assessment_or_404, current_membership
from assessment.io import export, importer
from assessment.io.importer import ImportProblem, ImportRejected
from tenants.models import Role
from tenants.web import attachment, current_tenant, requires_role, tenant_blueprint

bp = tenant_blueprint("io", __name__, "/assessments")

IMPORTERS = (Role.owner, Role.admin)


class ImportForm(FlaskForm):
    file = FileField(_l("Workbook (.xlsx) or JSON document"),
                     validators=[FileRequired(_l("Choose a file to import."))])


@bp.route("/<uuid:assessment_id>/export.json")
def export_json(assessment_id: uuid.UUID) -> BaseResponse:
    assessment = assessment_or_404(assessment_id)
    return attachment(export.export_json(assessment), "application/json",
                     export.export_filename(assessment, current_tenant().slug, "json"))


@bp.route("/<uuid:assessment_id>/export.xlsx")
def export_xlsx(assessment_id: uuid.UUID) -> BaseResponse:
    assessment = assessment_or_404(assessment_id)
    english = str(get_locale()).startswith("en")
    data = export.export_xlsx(assessment, current_tenant().name, english)
    return attachment(data, export.XLSX_MIMETYPE,
                     export.export_filename(assessment, current_tenant().slug, "xlsx"))


def _render(form: ImportForm, assessment: Assessment, problems: list[ImportProblem] | None = None,
            status: int = 200) -> tuple[str, int]:
    return render_template("assessment/import.html", form=form, assessment=assessment,
                           problems=problems or [], editable=assessment.state in EDITABLE_STATES,
                           max_mb=importer.MAX_IMPORT_BYTES // (1024 * 1024)), status


@bp.route("/<uuid:assessment_id>/import")
@requires_role(*IMPORTERS)
def import_form(assessment_id: uuid.UUID) -> tuple[str, int]:
    return _render(ImportForm(), assessment_or_404(assessment_id))


@bp.route("/<uuid:assessment_id>/import", methods=["POST"])
@requires_role(*IMPORTERS)
def import_upload(assessment_id: uuid.UUID) -> BaseResponse | tuple[str, int]:
    assessment = assessment_or_404(assessment_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return _render(form, assessment, status=422)
    data = form.file.data.stream.read(importer.MAX_IMPORT_BYTES + 1)
    try:
        if data.startswith(b"PK\x03\x04"):
            outcome = importer.import_workbook(assessment, current_membership(), current_user,
                                               data)
        elif data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            outcome = importer.import_json(assessment, current_membership(), current_user,
                                           data)
        else:
            raise ImportRejected([ImportProblem(
                _("Upload an Excel workbook (.xlsx) or a JSON document."))])
    except ImportRejected as rejected:
        flash(str(rejected.message), "error")
        return _render(form, assessment, rejected.problems, 422)
    flash(_("Imported: %(answers)d answers and %(flags)d not-applicable declarations changed.",
            answers=outcome.changed_answers, flags=outcome.changed_flags), "success")
    return redirect(url_for("io.import_form", assessment_id=assessment.id))
