"""The results page: provisional for a draft with its coverage, the stored snapshot once
finalised, a well-formed radar, the trace and the what-if, the previous year."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from sqlmodel import select

from assessment.assessments.models import AssessmentRevision
from tenants.context import system_scope
from tenants.extensions import db
from tests.factories import owner_of
from tests.integration.assessment_review import factories
from tests.web.helpers import ENGLISH, text

CODE = "lean.on_time_delivery_rate"


def _radar(response):
    match = re.search(r'<svg xmlns="http://www.w3.org/2000/svg" class="chart radar".*?</svg>',
                      response.get_data(as_text=True), re.S)
    assert match, "no radar on the page"
    return ET.fromstring(match.group(0))


def test_a_draft_shows_provisional_results_with_their_coverage(
        app, make_enterprise, make_assessment, sign_in, client):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    sign_in(owner_of(app, enterprise))
    response = client.get(f"/t/{enterprise.slug}/assessments/{assessment.id}/results",
                          headers=ENGLISH)
    assert response.status_code == 200
    body = text(response)
    assert "Provisional results" in body
    assert re.search(r"cover \d+ % of the indicators' weight", body)
    # an English label wraps over <tspan> lines at its spaces
    labels = [" ".join(t.itertext()) for t in _radar(response).iter("{http://www.w3.org/2000/svg}text")]
    assert "Lean supply chain" in labels
    row = body.split(f'id="ind-{CODE}"', 1)[1].split("</tr>", 1)[0]
    assert "96.5" in row and "Scored" in row and "Self-declared" in row
    assert "How this figure was obtained" in row and "deliveries_on_time" in row
    assert "What if: the weakest indicators" in body
    assert "Missing" in body
    assert "Submit for review" in body  # the action slot, for the owner of a draft


def test_chinese_page_uses_the_frameworks_chinese_names(app, make_enterprise, make_assessment,
                                                       sign_in, client):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    sign_in(owner_of(app, enterprise))
    response = client.get(f"/t/{enterprise.slug}/assessments/{assessment.id}/results",
                          headers={"Accept-Language": "zh-CN"})
    labels = ["".join(t.itertext()) for t in _radar(response).iter("{http://www.w3.org/2000/svg}text")]
    assert "精益供应链" in labels
    assert "准时交货率" in text(response)


def test_a_finalised_assessment_shows_its_snapshot_and_the_previous_year(
        app, make_enterprise, make_assessment, sign_in, client, acting_in):
    enterprise = make_enterprise()
    make_assessment(enterprise, 2023, factories.PREVIOUS_ANSWERS, finalise=True)
    assessment = make_assessment(enterprise, 2024, finalise=True)
    with acting_in(enterprise), system_scope(db.session, "test: mark the snapshot"):
        revision = db.session.exec(select(AssessmentRevision).where(
            AssessmentRevision.assessment_id == assessment.id)).one()
        changed = dict(revision.results)
        changed["overall"] = {**changed["overall"], "score": 77.7}
        revision.results = changed
    sign_in(owner_of(app, enterprise))
    response = client.get(f"/t/{enterprise.slug}/assessments/{assessment.id}/results",
                          headers=ENGLISH)
    body = text(response)
    assert "Finalised results" in body and "Provisional" not in body
    assert "77.7" in body  # the stored snapshot, not a fresh evaluation
    assert "recomputed by the current engine" in body
    # new assessments are on the newest framework version (2.0.0), and so is the comparison
    assert "Compared with 2023" in body and "re-scored under framework version 2.0.0" in body
    series = ["".join(t.itertext()) for t in _radar(response).iter("{http://www.w3.org/2000/svg}text")]
    assert "2024" in series and "2023" in series
    assert "Reopen as a new revision" in body


def test_contract_json_of_a_draft(app, make_enterprise, make_assessment, sign_in, client):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    sign_in(owner_of(app, enterprise))
    response = client.get(f"/t/{enterprise.slug}/assessments/{assessment.id}/results.json")
    assert response.status_code == 200
    data = response.get_json()
    assert data["indicators"][CODE]["value"] == 96.5
    assert set(data) >= {"framework", "indicators", "dimensions", "overall"}


def test_a_linked_reviewer_reads_the_contract_json_a_scores_only_link_does_not(
        app, make_enterprise, make_assessment, make_tenant, make_user, make_link, sign_in,
        client):
    from tenants.models import LinkGrant

    enterprise = make_enterprise()
    assessment = make_assessment(enterprise, submit=True)
    consultant = make_user()
    consultancy = make_tenant("consultancy", owner=consultant)
    scores_only = make_tenant("association", owner=consultant)
    make_link(consultancy, enterprise, grants=[LinkGrant.review])
    make_link(scores_only, enterprise, grants=[LinkGrant.scores])
    sign_in(consultant)
    path = f"/clients/{enterprise.id}/assessments/{assessment.id}/results.json"
    response = client.get(f"/t/{consultancy.slug}{path}")
    assert response.status_code == 200
    assert response.get_json()["indicators"][CODE]["value"] == 96.5
    assert client.get(f"/t/{scores_only.slug}{path}").status_code == 404


def test_another_tenants_results_are_404(app, make_enterprise, make_assessment, make_tenant,
                                         make_user, sign_in, client):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    stranger = make_user()
    other = make_tenant("enterprise", owner=stranger)
    sign_in(stranger)
    assert client.get(f"/t/{other.slug}/assessments/{assessment.id}/results").status_code \
        == 404
    assert client.get(f"/t/{other.slug}/assessments/{assessment.id}/results.json"
                      ).status_code == 404
