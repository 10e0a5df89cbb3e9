"""Forms of the review pages (CSRF through Flask-WTF; labels follow the request's language)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length, Optional


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), validators=[Length(max=4000)])
    indicator_code = HiddenField(validators=[Optional(), Length(max=80)])


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
