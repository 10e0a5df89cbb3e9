"""Verification against the database: more evidence keeps a verified indicator verified, and the
database refuses a verified label that no other organisation gave."""

from __future__ import annotations

import io

import pytest

from assessment.assessments import queries
from assessment.assessments.models import Confidence
from assessment.evidence import services as evidence
from tenants.extensions import db
from tests.integration.assessment_review import factories
from tests.integration.assessment_review.factories import membership_of, owner

CODE = "lean.on_time_delivery_rate"


def test_a_verified_indicator_stays_verified_when_more_evidence_arrives(
        app, make_enterprise, make_assessment, make_tenant, acting_in):
    from assessment.assessments import answering

    enterprise = make_enterprise()
    consultancy = make_tenant("consultancy")  # verified: a linked reviewer's word
    assessment = make_assessment(enterprise)
    with acting_in(enterprise):
        user = owner(enterprise)
        loaded = queries.assessment(assessment.id)
        answering.set_confidence(loaded, CODE, Confidence.verified, user, consultancy.id)
        evidence.attach(loaded, membership_of(enterprise, user), user, CODE, "a.pdf",
                        io.BytesIO(factories.PDF))
        assert queries.indicator_state(loaded.id, CODE).confidence == Confidence.verified


def test_the_database_refuses_a_verified_label_without_another_organisation(
        app, make_enterprise, make_assessment, acting_in):
    """Whatever path writes it, "verified" must name an organisation other than the
    enterprise itself (the enterprise's own check is "internally reviewed")."""
    from sqlalchemy.exc import IntegrityError

    from assessment.assessments import answering

    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    with acting_in(enterprise):
        user = owner(enterprise)
        loaded = queries.assessment(assessment.id)
        for reviewer_tenant in (None, enterprise.id):
            with pytest.raises(IntegrityError), db.session.begin_nested():
                answering.set_confidence(loaded, CODE, Confidence.verified, user,
                                         reviewer_tenant)
        state = answering.set_confidence(loaded, CODE, Confidence.internally_reviewed, user,
                                         enterprise.id)
        assert state.confidence == Confidence.internally_reviewed
