"""The enterprise profile page: owners and administrators edit it, other members read it."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assessment.profiles import queries
from assessment.profiles.forms import ProfileForm
from assessment.profiles.models import EnterpriseProfile
from assessment.profiles.rules import province, size_class_by_code, size_classes
from assessment.profiles.services import ProfileData, ProfileInvalid, save_profile
from indicators.catalogue.industries import find_division
from tenants.errors import Conflict
from tenants.linked import current_membership
from tenants.models import Role, TenantKind
from tenants.web import current_role, current_tenant, form_error, requires_role, tenant_blueprint

# Associations and consultancies have no profile of their own: nothing to find here.
bp = tenant_blueprint("profile", __name__, "/profile", kinds=[TenantKind.enterprise])

EDITORS = (Role.owner, Role.admin)


def _render(form: ProfileForm, profile: EnterpriseProfile | None,
            status: int = 200) -> tuple[str, int]:
    return render_template(
        "assessment/profile.html", form=form, profile=profile,
        can_edit=current_role() in EDITORS,
        size_class=size_class_by_code(profile.size_class) if profile else None,
        size_classes=size_classes(),
        division=find_division(profile.industry_division) if profile else None,
        province=province(profile.province) if profile else None,
    ), status


@bp.route("/")
def show() -> tuple[str, int]:
    profile = queries.profile()
    return _render(ProfileForm.for_profile(profile, current_tenant().name), profile)


@bp.route("/", methods=["POST"])
@requires_role(*EDITORS)
def save() -> Response | tuple[str, int]:
    profile = queries.profile()
    form = ProfileForm()
    if not form.validate_on_submit():
        return _render(form, profile, 422)
    version = (form.version.data or "").strip()
    # A blank version means "there was no profile when I opened the page": if one exists
    # now, someone else created it meanwhile and this save must not overwrite it.
    expected = int(version) if version.isdigit() else (0 if profile is not None else None)
    data = ProfileData(
        legal_name=form.legal_name.data or "", credit_code=form.credit_code.data or "",
        industry_division=form.industry_division.data or "",
        employees=form.employees.data or "", revenue_wan=form.revenue_wan.data or "",
        province=form.province.data or "", export_oriented=bool(form.export_oriented.data),
        chain_leader=bool(form.chain_leader.data),
        benchmark_opt_in=bool(form.benchmark_opt_in.data),
    )
    try:
        save_profile(current_membership(), current_user, data, expected)
    except ProfileInvalid as invalid:
        form_error(form, invalid)
        return _render(form, profile, 422)
    except Conflict as conflict:
        flash(str(conflict.message), "error")
        return _render(form, profile, 409)
    flash(_("The profile is saved."), "success")
    return redirect(url_for("profile.show"))
