"""The questionnaire blueprint, shared by its view modules; enterprises only.

An association or consultancy has no assessments of its own; it reaches a linked
enterprise's through the review and results pages.
"""

from __future__ import annotations

from tenants.models import TenantKind
from tenants.web import tenant_blueprint

bp = tenant_blueprint("questionnaire", __name__, "/assessments", kinds=[TenantKind.enterprise])
