"""Helpers for assessment views: loading the URL's assessment within the current tenant."""

from __future__ import annotations

import uuid

from flask import abort

from assessment.assessments import queries
from assessment.assessments.models import Assessment


def assessment_or_404(assessment_id: uuid.UUID) -> Assessment:
    """The current tenant's assessment (in a linked request, the entered enterprise's: see
    ``tenants.linked``); another tenant's id is a 404 (the ORM filter)."""
    found = queries.assessment(assessment_id)
    if found is None:
        abort(404)
    return found
