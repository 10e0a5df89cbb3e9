"""The owner's billing page, Checkout and Portal redirects, and the Stripe webhook endpoint."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from tenants.billing import entitlements, services, webhooks
from tenants.billing.config import billing_enabled
from tenants.billing.forms import CheckoutForm, PortalForm
from tenants.billing.gateway import GatewayError
from tenants.billing.plans import catalogue
from tenants.errors import DomainError
from tenants.extensions import csrf
from tenants.models import Role
from tenants.web import current_tenant, flash_error, requires_role, tenant_blueprint

bp = tenant_blueprint("billing", __name__, "/billing")


@bp.route("/")
@requires_role(Role.owner)
def page() -> str:
    tenant = current_tenant()
    invoices, invoices_failed = [], False
    try:
        invoices = services.invoices(tenant)
    except GatewayError:
        invoices_failed = True  # the page still shows the plan; Stripe may be down
    kind = str(tenant.kind)
    return render_template(
        "billing/page.html",
        standing=entitlements.standing(tenant),
        usage=entitlements.usage_table(tenant),
        plans=[p for p in catalogue().plans.values() if kind in p.tenant_kinds],
        feature_labels=entitlements.FEATURE_LABELS,
        invoices=invoices, invoices_failed=invoices_failed,
        checkout_form=CheckoutForm(), portal_form=PortalForm(),
        returned=request.args.get("checkout"),
    )


@bp.route("/checkout", methods=["POST"])
@requires_role(Role.owner)
def checkout() -> Response:
    form = CheckoutForm()
    if not form.validate_on_submit():
        flash(_("Choose a plan."), "error")
        return redirect(url_for("billing.page"))
    try:
        url = services.start_checkout(
            current_tenant(), current_user, form.plan.data or "", form.seats.data,
            success_url=url_for("billing.page", checkout="success", _external=True),
            cancel_url=url_for("billing.page", checkout="cancelled", _external=True))
    except DomainError as error:
        flash_error(error)
        return redirect(url_for("billing.page"))
    return redirect(url, code=303)


@bp.route("/portal", methods=["POST"])
@requires_role(Role.owner)
def portal() -> Response:
    if not PortalForm().validate_on_submit():
        return redirect(url_for("billing.page"))
    try:
        url = services.open_portal(current_tenant(),
                                   url_for("billing.page", _external=True))
    except DomainError as error:
        flash_error(error)
        return redirect(url_for("billing.page"))
    return redirect(url, code=303)


# Stripe posts here with no session and no tenant: not a tenant blueprint, and no CSRF token
# (the signature is the proof of origin).
webhook_bp = Blueprint("stripe_webhook", __name__)


@webhook_bp.route("/stripe/webhook", methods=["POST"])
@csrf.exempt
def stripe_webhook() -> tuple[dict[str, str], int]:
    if not billing_enabled():
        return {"result": "billing is off"}, 404
    outcome = webhooks.receive(request.get_data(cache=False), request.headers.get(
        "Stripe-Signature"))
    current_app.logger.debug("webhook outcome %s", outcome)
    return {"result": outcome.result}, outcome.status_code

