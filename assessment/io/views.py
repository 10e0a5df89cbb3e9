"""Views of assessment.io (thin: forms in, services called, templates out)."""

from __future__ import annotations

from tenants.web import tenant_blueprint

bp = tenant_blueprint("io", __name__, "/assessments")
