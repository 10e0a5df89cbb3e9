"""Forms of the campaign pages."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from indicators import list_frameworks
from tenants.forms import GRANT_LABELS, MultiCheckboxField
from tenants.models import LinkGrant
from tenants.security import MIN_PASSWORD_LENGTH

_DAYS = re.compile(r"^\s*(\d{1,3}\s*(,|，|、|\s)\s*)*\d{1,3}\s*$")


def parse_days(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text or "")]


def _days(_form: Any, field: Any) -> None:
    if field.data and not _DAYS.match(field.data):
        raise ValidationError(_l("Write whole days separated by commas, e.g. 14, 7, 1."))


def framework_choices() -> list[tuple[str, str]]:
    return [(f"{f['id']}@{f['version']}", f"{f['name_zh']} {f['version']}")
            for f in list_frameworks()]


class CampaignForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    year = IntegerField(_l("Reporting year"), validators=[DataRequired(),
                                                          NumberRange(2000, 2100)])
    framework = SelectField(_l("Framework version"), validators=[DataRequired()])
    grants = MultiCheckboxField(_l("The link grants"), default=[LinkGrant.scores])
    deadline = DateField(_l("Deadline"), validators=[DataRequired()])
    remind_days_before = StringField(
        _l("Reminders, days before the deadline"), default="14, 7, 1",
        validators=[Optional(), _days, Length(max=60)])
    escalate_days_after = StringField(
        _l("Escalations, days after the deadline"), default="3, 10",
        validators=[Optional(), _days, Length(max=60)])
    invitation_zh = TextAreaField(_l("Invitation text (Chinese)"),
                                  validators=[Optional(), Length(max=4000)])
    invitation_en = TextAreaField(_l("Invitation text (English)"),
                                  validators=[Optional(), Length(max=4000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.grants.choices = [(g.value, str(label)) for g, label in GRANT_LABELS.items()]
        self.framework.choices = framework_choices()
        if self.year.data is None and not self.is_submitted():
            self.year.data = date.today().year


class ParticipantForm(FlaskForm):
    company_name = StringField(_l("Company name"), validators=[DataRequired(), Length(max=200)])
    credit_code = StringField(_l("Unified social credit code"),
                              validators=[DataRequired(), Length(max=18)])
    contact_name = StringField(_l("Contact name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    industry = StringField(_l("Industry (optional)"), validators=[Optional(), Length(max=60)])
    size = StringField(_l("Size (optional)"), validators=[Optional(), Length(max=20)])
    province = StringField(_l("Province (optional)"), validators=[Optional(), Length(max=20)])


class UploadForm(FlaskForm):
    file = FileField(_l("Participant list (.xlsx or .csv)"),
                     validators=[FileRequired(_l("Choose a file to upload."))])


class JoinForm(FlaskForm):
    organisation = StringField(_l("Organisation name"), validators=[DataRequired(),
                                                                    Length(max=200)])
    name = StringField(_l("Your name"), validators=[Optional(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)])
    # PIPL art. 14, as on the sign-up page
    privacy = BooleanField(
        _l("I have read the privacy notice and agree that ChainGauge processes my personal "
           "information as it describes."),
        validators=[DataRequired(_l("Agree to the privacy notice to create an account."))])
