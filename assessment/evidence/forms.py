"""The upload form: which indicator, and the file (its type is judged by the service)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired


class UploadForm(FlaskForm):
    indicator_code = SelectField(_l("Indicator"), validators=[DataRequired()],
                                 validate_choice=False)
    file = FileField(_l("File"))
    next = HiddenField()


class DeleteForm(FlaskForm):
    next = HiddenField()
