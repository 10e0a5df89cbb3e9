"""The questionnaire blueprint, shared by its view modules; enterprises only."""

from __future__ import annotations

from flask import abort

from tenants.models import TenantKind
from tenants.web import current_tenant, tenant_blueprint

bp = tenant_blueprint("questionnaire", __name__, "/assessments")


@bp.before_request
def _enterprises_only() -> None:
    # An association or consultancy has no assessments of its own; it reaches a linked
    # enterprise's through the review and results pages.
    if current_tenant().kind != TenantKind.enterprise:
        abort(404)
