"""Checking the figures before submitting: each plausibility warning is corrected (by
changing the field) or confirmed with a short reason (thin views over
:mod:`assessment.assessments.plausibility`). Routes on the review blueprint, under the
enterprise's own assessment: ``/t/<slug>/assessments/<id>/submit`` (the check page; posting
to it submits) and ``.../warnings/confirm``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.assessments import plausibility
from assessment.assessments.documents import framework_of
from assessment.assessments.models import Assessment
from assessment.assessments.pages import page_of_key
from assessment.assessments.web import current_membership
from assessment.results.page import lang_of
from assessment.review.access import open_assessment
from assessment.review.forms import StateForm, WarningConfirmForm
from assessment.review.views import bp
from indicators import Framework
from tenants.errors import DomainError
from tenants.models import Role
from tenants.web import abort_for_access, current_role

OWN = "/assessments/<uuid:assessment_id>"
MANAGERS = (Role.owner, Role.admin)
SECTION_LABELS = {
    "energy": _l("Energy carriers"),
    "process_emissions": _l("Process emissions"),
    "options": _l("Options"),
}


@dataclass(frozen=True)
class CheckItem:
    warning: plausibility.CheckedWarning
    message: str
    field_label: str
    page: str | None  # the questionnaire page that holds the field


def _field_label(framework: Framework, field: str | None, english: bool) -> str:
    if field is None:
        return _("Reporting year and enterprise profile")
    if field in framework.inputs:
        spec = framework.inputs[field]
        return spec.name_en if english else spec.name_zh
    return str(SECTION_LABELS.get(field, field))


def check_items(assessment: Assessment) -> list[CheckItem]:
    framework = framework_of(assessment)
    lang = lang_of(get_locale())
    english = lang == "en"
    items = []
    for warning in plausibility.checked_warnings(assessment):
        field = warning.field
        items.append(CheckItem(
            warning, warning.message(lang), _field_label(framework, field, english),
            page_of_key(framework, field) if field else None))
    return items


def render_check(assessment: Assessment, status: int = 200,
                 form: WarningConfirmForm | None = None,
                 error_for: tuple[str, str] | None = None) -> tuple[str, int]:
    items = check_items(assessment)
    return render_template(
        "assessment/data_check.html", assessment=assessment, items=items,
        pending=[i for i in items
                 if i.warning.needs_confirmation and not i.warning.confirmed],
        can_act=current_role() in MANAGERS and assessment.state in ("draft", "returned"),
        form=form or WarningConfirmForm(), state_form=StateForm(), error_for=error_for,
    ), status


@bp.route(f"{OWN}/submit")
def check(assessment_id: uuid.UUID) -> tuple[str, int]:
    """The figures to check before submitting, and the submit button."""
    return render_check(open_assessment(assessment_id))


@bp.route(f"{OWN}/warnings/confirm", methods=["POST"])
def confirm(assessment_id: uuid.UUID) -> Response | tuple[str, int]:
    assessment = open_assessment(assessment_id)
    form = WarningConfirmForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return render_check(assessment, 422, form,
                            (form.code.data or "", form.key.data or ""))
    try:
        plausibility.confirm_warning(assessment, current_membership(), current_user,
                                     form.code.data or "", form.key.data or "",
                                     form.fingerprint.data or "", form.reason.data or "")
    except DomainError as error:
        abort_for_access(error)
        form.reason.errors = [str(error.message)]
        return render_check(assessment, error.status_code if error.status_code != 400
                            else 422, form, (form.code.data or "", form.key.data or ""))
    flash(_("The figure is confirmed; your reason is shown to the reviewer and in the "
            "report."), "success")
    return redirect(url_for("review.check", assessment_id=assessment.id), 303)
