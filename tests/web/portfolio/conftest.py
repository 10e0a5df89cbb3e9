"""Fixtures of the portfolio tests: a consultancy with clients in every state."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.factories import assessments as factories
from tests.integration.assessment_review.conftest import _evidence_dir

__all__ = ["_evidence_dir"]


def return_with_comment(app: Flask, tenant: Any, assessment: Any, body: str = "Check it") -> Any:
    """A linked-style comment on a submitted assessment, then returned (by the owner acting
    as reviewer: the state is what matters here)."""
    from assessment.assessments import queries
    from assessment.assessments import services as lifecycle
    from tenants.extensions import db

    with factories.acting_in(app, tenant):
        user = factories.owner(tenant)
        found = queries.assessment(assessment.id)
        comment = lifecycle.add_comment(found, user, tenant.id, body)
        lifecycle.return_for_changes(found, user)
        db.session.flush()
        db.session.expunge(comment)
    return comment


@pytest.fixture
def portfolio(app: Flask, make_tenant: Any, make_user: Any, make_link: Any,
              make_enterprise: Any) -> dict[str, Any]:
    """A consultancy (owner signed in by the tests) and one client per state, each linked
    with ``review`` and ``reports``; plus an unlinked enterprise and a client whose link
    grants only scores."""
    from tenants.models import LinkGrant

    owner = make_user(name="顾问甲")
    consultancy = make_tenant("consultancy", owner=owner, name="Acme Consulting")
    grants = (LinkGrant.review, LinkGrant.reports)
    clients: dict[str, Any] = {}
    for state in ("draft", "submitted", "returned", "finalised", "none"):
        client = make_enterprise(name=f"Client {state}")
        make_link(consultancy, client, grants=grants)
        clients[state] = client
    assessments = {
        "draft": factories.make_assessment(app, clients["draft"], 2025),
        "submitted": factories.make_assessment(app, clients["submitted"], 2025, submit=True),
        "returned": factories.make_assessment(app, clients["returned"], 2025, submit=True),
        "finalised": factories.make_assessment(app, clients["finalised"], 2025, finalise=True),
    }
    return_with_comment(app, clients["returned"], assessments["returned"])
    scores_only = make_enterprise(name="Client scores only")
    make_link(consultancy, scores_only, grants=(LinkGrant.scores,))
    factories.make_assessment(app, scores_only, 2025)
    stranger = make_enterprise(name="Stranger")
    stranger_assessment = factories.make_assessment(app, stranger, 2025, submit=True)
    return {"owner": owner, "consultancy": consultancy, "clients": clients,
            "assessments": assessments, "scores_only": scores_only, "stranger": stranger,
            "stranger_assessment": stranger_assessment}
