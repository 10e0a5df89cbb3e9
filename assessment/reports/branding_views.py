"""Branding settings of a consultancy or association."""

from __future__ import annotations

import base64

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.reports import branding, queries
from assessment.reports.forms import BrandingForm
from tenants.billing import entitlements
from tenants.errors import FieldErrors
from tenants.linked import current_membership
from tenants.models import Role, TenantKind
from tenants.web import current_tenant, form_error, requires_role, tenant_blueprint

bp = tenant_blueprint("branding", __name__, "/branding",
                      kinds=[TenantKind.association, TenantKind.consultancy])


def _page(form: BrandingForm, status: int = 200) -> tuple[str, int]:
    row = queries.branding()
    preview = None
    if row is not None and row.logo and row.logo_media_type:
        preview = f"data:{row.logo_media_type};base64,{base64.b64encode(row.logo).decode()}"
    return render_template("reports/branding.html", form=form, preview=preview,
                           allowed=entitlements.may(current_tenant(), "branding")), status


@bp.route("/", methods=["GET"])
@requires_role(Role.owner, Role.admin)
def edit() -> tuple[str, int]:
    row = queries.branding()
    form = BrandingForm()
    if row is not None:
        form.brand_colour.data = row.brand_colour
        form.footer_text.data = row.footer_text
        form.version.data = str(row.version)
    return _page(form)


@bp.route("/", methods=["POST"])
@requires_role(Role.owner, Role.admin)
def save() -> Response | tuple[str, int]:
    form = BrandingForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    upload = form.logo.data
    try:
        branding.save_branding(
            current_tenant(), current_membership(), current_user,
            logo=upload.read() if upload else None,
            remove_logo=bool(form.remove_logo.data),
            brand_colour=(form.brand_colour.data or "").strip(),
            footer_text=form.footer_text.data or "",
            expected_version=int(form.version.data) if form.version.data else None,
        )
    except FieldErrors as errors:
        form_error(form, errors)
        return _page(form, 422)
    flash(_("Branding saved. It appears on the reports you issue from now on."), "success")
    return redirect(url_for("branding.edit"))
