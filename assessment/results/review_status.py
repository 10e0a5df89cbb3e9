"""What the review of an assessment says, in words: a self-assessment or reviewed by whom.

The rule (docs/review.md): a finalised revision is *reviewed* when a reviewer of a linked
consultancy or association (an accepted link granting ``review``) finalised it; the revision
records that organisation and its name then (``reviewed_by_tenant_id``,
``reviewed_by_name``). Any other finalised revision is a *self-assessment* (自评), whatever
its indicators' labels say: indicators an outside reviewer verified keep their "verified",
but nobody outside signed the whole off. Before it is finalised an assessment has neither
label (its results are provisional).

Labels are made in the current locale (a report forces its own): words, never codes. Also
here: who checked each indicator ("verified" or "internally reviewed"), for the results page.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from assessment.assessments import queries as assessment_queries
from assessment.assessments.models import AssessmentRevision, Confidence
from tenants import queries as platform_queries
from tenants.db import db
from tenants.models import User

SELF_ASSESSMENT = "self_assessment"
REVIEWED = "reviewed"


@dataclass(frozen=True)
class ReviewStatus:
    reviewed: bool
    organisation: str = ""  # the reviewing organisation; empty for a self-assessment

    @property
    def code(self) -> str:
        """For machine-readable exports only; pages show :meth:`label`."""
        return REVIEWED if self.reviewed else SELF_ASSESSMENT

    def label(self) -> str:
        if self.reviewed:
            return _("Reviewed by %(organisation)s", organisation=self.organisation)
        return _("Self-assessment")

    def as_metadata(self) -> dict[str, Any]:
        return {"status": self.code, "label": self.label(),
                "reviewed_by": self.organisation or None}


def review_status(revision: AssessmentRevision | None) -> ReviewStatus | None:
    """The label of a finalised ``revision``; None when there is none (not finalised)."""
    if revision is None:
        return None
    if revision.reviewed_by_tenant_id is None:
        return ReviewStatus(reviewed=False)
    name = revision.reviewed_by_name
    if not name:
        tenant = platform_queries.tenant_by_id(revision.reviewed_by_tenant_id)
        name = tenant.name if tenant is not None else ""
    return ReviewStatus(reviewed=True, organisation=name)


@dataclass(frozen=True)
class Check:
    """Who gave an indicator its "verified" or "internally reviewed" label."""

    person: str
    organisation: str
    on: str  # the date, YYYY-MM-DD


def checks_by_indicator(assessment_id: uuid.UUID) -> dict[str, Check]:
    """The recorded checks of an assessment's indicators, by indicator code."""
    checked = [s for s in assessment_queries.indicator_states(assessment_id)
               if s.confidence in (Confidence.verified, Confidence.internally_reviewed)
               and s.verified_by_id is not None]
    found: dict[str, Check] = {}
    for state in checked:
        user = db.session.get(User, state.verified_by_id)
        tenant = platform_queries.tenant_by_id(state.verified_by_tenant_id) \
            if state.verified_by_tenant_id else None
        found[state.code] = Check(
            person=(user.name or user.email) if user is not None else "",
            organisation=tenant.name if tenant is not None else "",
            on=state.verified_at.date().isoformat() if state.verified_at else "")
    return found
