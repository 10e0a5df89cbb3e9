"""Helpers for assessment views: loading the URL's assessment within the current tenant."""

from __future__ import annotations

import uuid

from flask import abort, g

from assessment.assessments import queries
from assessment.assessments.models import Assessment
from tenants.models import Membership


def assessment_or_404(assessment_id: uuid.UUID) -> Assessment:
    """The current tenant's assessment; another tenant's id is a 404 (the ORM filter)."""
    found = queries.assessment(assessment_id)
    if found is None:
        abort(404)
    return found


def current_membership() -> Membership:
    membership: Membership = g.membership
    return membership
