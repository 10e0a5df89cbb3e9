"""Forms of the billing page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import DataRequired, NumberRange, Optional


class CheckoutForm(FlaskForm):
    plan = HiddenField(validators=[DataRequired()])
    seats = IntegerField(_l("Seats"), validators=[Optional(), NumberRange(min=1, max=10000)])


class PortalForm(FlaskForm):
    pass
