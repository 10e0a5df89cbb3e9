"""Views of assessment.questionnaire (thin: forms in, services called, templates out)."""

from __future__ import annotations

from tenants.web import tenant_blueprint

bp = tenant_blueprint("questionnaire", __name__, "/assessments")
