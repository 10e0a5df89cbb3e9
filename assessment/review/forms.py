"""Forms of the review pages (CSRF through Flask-WTF; labels follow the request's language)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Optional

from tenants.limits import Limited


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), validators=[Limited("comment")])
    indicator_code = HiddenField(validators=[Optional(), Limited("indicator_code")])


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Reply"), validators=[Limited("comment")])


class StateForm(FlaskForm):
    """A state change; carries the assessment version the page showed."""

    expected_version = HiddenField()

    def version(self) -> int | None:
        try:
            return int(self.expected_version.data)
        except (TypeError, ValueError):
            return None


class VerifyForm(FlaskForm):
    verified = HiddenField(default="1")


class WarningConfirmForm(FlaskForm):
    """The enterprise confirms a figure a plausibility check questioned, with a reason."""

    code = HiddenField(validators=[Limited("indicator_code")])
    key = HiddenField(validators=[Limited("json_text")])
    fingerprint = HiddenField(validators=[Limited("json_text")])
    reason = TextAreaField(_l("Why the figure is right"), validators=[Limited("warning_reason")])
