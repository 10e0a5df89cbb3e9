"""Forms of the assessments list and the assessment page (the questionnaire's own forms are
generated from the framework in ``fields.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange

from assessment.wording import role_name
from tenants.models import Membership, User


def last_complete_year() -> int:
    """The year before the current one in China: the usual year to report on."""
    return datetime.now(ZoneInfo("Asia/Shanghai")).year - 1


class CreateAssessmentForm(FlaskForm):
    year = IntegerField(_l("Reporting year"), default=last_complete_year,
                        validators=[InputRequired(_l("Enter the reporting year.")),
                                    NumberRange(2000, 2100, _l("Enter a year from 2000 to 2100."))])
    # The next year's assessment: start from the answers of the year before (沿用上年).
    carry_over = BooleanField(_l("Copy last year's answers forward"), default=True)


def build_assignment_form(pages: Sequence[tuple[str, str]],
                          members: Sequence[tuple[User, Membership]],
                          current: dict[str, str]) -> FlaskForm:
    """One select per page: nobody, or a member (assessors are the ones it restricts)."""
    choices = [("", str(_l("Nobody (owners and administrators)")))] + [
        (str(user.id), f"{user.name or user.email} ({role_name(membership.role)})")
        for user, membership in members
    ]
    attributes: dict[str, Any] = {
        f"page__{code}": SelectField(label, choices=choices, default=current.get(code, ""),
                                     validate_choice=False)
        for code, label in pages
    }
    form_class = type("AssignmentForm", (FlaskForm,), attributes)
    form: FlaskForm = form_class()
    return form
