"""Landing, health check, language choice and the tenant switcher."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, g, jsonify, redirect, render_template, session
from flask import request as flask_request
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import text
from werkzeug.wrappers import Response

from tenants import localtime, queries
from tenants.billing.config import billing_enabled
from tenants.db import db
from tenants.forms import ROLE_LABELS, LanguageForm
from tenants.models import Membership, Role, Tenant
from tenants.security import MIN_PASSWORD_LENGTH
from tenants.services import accounts

bp = Blueprint("core", __name__)


@bp.app_context_processor
def _navigation() -> dict[str, Any]:
    my_tenants: Sequence[tuple[Tenant, Membership]] = []
    if current_user.is_authenticated:
        my_tenants = queries.tenants_of_user(current_user.id)
    return {
        "my_tenants": my_tenants,
        "tenant": g.get("tenant"),
        "membership": g.get("membership"),
        "role_labels": ROLE_LABELS,
        "Role": Role,
        "language_form": LanguageForm(),
        "get_locale": get_locale,
        "min_password_length": MIN_PASSWORD_LENGTH,
    }


@bp.app_template_filter("localtime")
def _localtime(moment: datetime | None, pattern: str = localtime.MINUTES) -> str:
    return localtime.localtime(moment, pattern)


def _sample(lang: str) -> dict[str, Any]:
    """The sample report on the landing page: what ``flask --app app report sample`` wrote
    under static/sample/ (the demo enterprise's report as PDF and its first pages)."""
    folder = Path(current_app.static_folder or "static") / "sample"
    pdf = folder / f"report-{lang}.pdf"
    return {"pdf": f"sample/{pdf.name}" if pdf.exists() else None,
            "images": [f"sample/{p.name}" for p in sorted(folder.glob(f"report-{lang}-*.png"))]}


@bp.route("/")
def index() -> Response | str:
    if not current_user.is_authenticated:
        from tenants.billing.entitlements import FEATURE_LABELS, LIMIT_LABELS
        from tenants.billing.plans import catalogue

        locale = str(get_locale() or "zh_CN")
        return render_template(
            "core/landing.html", plans=list(catalogue().plans.values()),
            feature_labels=FEATURE_LABELS, limit_labels=LIMIT_LABELS,
            sample=_sample("en" if locale.startswith("en") else "zh"),
            billing_enabled=billing_enabled())
    tenants = queries.tenants_of_user(current_user.id)
    last = session.get("last_tenant")
    for tenant, _member in tenants:
        if tenant.slug == last:
            return redirect(f"/t/{tenant.slug}/")
    if len(tenants) == 1:
        return redirect(f"/t/{tenants[0][0].slug}/")
    return render_template("core/switch.html", tenants=tenants)


@bp.route("/switch")
def switch() -> Response | str:
    if not current_user.is_authenticated:
        return redirect("/login")
    return render_template("core/switch.html", tenants=queries.tenants_of_user(current_user.id))


@bp.route("/language", methods=["POST"])
def set_language() -> Response:
    form = LanguageForm()
    if not form.validate_on_submit() or form.locale.data not in current_app.config["LANGUAGES"]:
        abort(400)
    session["locale"] = form.locale.data
    if current_user.is_authenticated:
        accounts.set_locale(current_user, form.locale.data)
    target = flask_request.referrer or "/"
    if not target.startswith(flask_request.host_url):
        target = "/"
    return redirect(target)


@bp.route("/privacy")
def privacy() -> str:
    """The privacy notice (PIPL), in the reader's language."""
    return render_template("core/privacy.html")


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(text("SELECT 1"))
        return jsonify(status="ok", database="ok"), 200
    except Exception:  # the point of a health check is to report, not to raise
        current_app.logger.exception("health check failed")
        return jsonify(status="error", database="unavailable"), 503
