"""The data check before submitting: the plausibility warnings of an assessment, each with
the field it concerns in words and the questionnaire page that holds it, and the page that
lists them (rendered by the check route and by a submit that still has unconfirmed ones).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from assessment.assessments import plausibility
from assessment.assessments.documents import framework_of
from assessment.assessments.models import Assessment
from assessment.assessments.pages import page_of_key
from assessment.review.forms import StateForm, WarningConfirmForm
from indicators import Framework
from tenants.language import reader_language
from tenants.models import Role
from tenants.web import current_role

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
    lang = reader_language()
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


