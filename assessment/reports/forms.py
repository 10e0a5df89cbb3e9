"""The branding form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import Optional

from assessment.reports.models import DEFAULT_BRAND_COLOUR
from tenants.limits import Limited


class BrandingForm(FlaskForm):
    logo = FileField(_l("Logo (PNG, JPEG or SVG, at most 512 KB)"))
    remove_logo = BooleanField(_l("Remove the current logo"))
    brand_colour = StringField(_l("Brand colour"), default=DEFAULT_BRAND_COLOUR,
                               description=_l("As #RRGGBB; used for headings and charts."))
    footer_text = StringField(_l("Footer text"), validators=[Optional(), Limited("footer_text")],
                              description=_l("One line at the foot of every page."))
    version = HiddenField()
