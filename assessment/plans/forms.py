"""Forms of the plan pages: adopt proposals, write or edit an action, change its status,
comment (every form carries its CSRF token through Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

BANDS = [("low", _l("Low")), ("medium", _l("Medium")), ("high", _l("High"))]


class CreateForm(FlaskForm):
    pass


class AdoptForm(FlaskForm):
    keys = SelectMultipleField(_l("Proposals"), validate_choice=False)


class ActionForm(FlaskForm):
    title = StringField(_l("Action"), validators=[DataRequired(), Length(max=300)])
    indicator_codes = SelectMultipleField(_l("Target indicators"), validate_choice=False)
    target_value = DecimalField(_l("Target value"), validators=[Optional()])
    target_level = IntegerField(_l("Target level"),
                                validators=[Optional(), NumberRange(min=1, max=5)])
    owner_id = SelectField(_l("Responsible person"), validate_choice=False)
    due_date = DateField(_l("Due date"), validators=[Optional()])
    effort = SelectField(_l("Effort"), choices=BANDS, default="medium")
    cost = SelectField(_l("Cost"), choices=BANDS, default="medium")
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])
    evidence_id = SelectField(_l("Evidence of completion"), validate_choice=False)
    version = HiddenField()


class StatusForm(FlaskForm):
    seen = HiddenField(validators=[DataRequired()])
    status = HiddenField(validators=[DataRequired()])


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=[DataRequired(), Length(max=4000)])
    parent_id = HiddenField()
