"""Review through the browser by the enterprise's own administrator: comments, return,
finalise, reopen; a stale decision is refused; viewers and assessors cannot finalise."""

from __future__ import annotations

from assessment.assessments.models import (
    Assessment,
    AssessmentRevision,
    IndicatorState,
    ResultFigure,
    ReviewComment,
)
from tenants.models import Role
from tests.factories import owner_of
from tests.web.helpers import ENGLISH, text

# The confirmation step itself: tests/web/assessment_review/test_confirmations.py.
CONFIRM = {"confirm": "yes"}

CODE = "lean.on_time_delivery_rate"


def _base(tenant, assessment, enterprise=None):
    if enterprise is None:
        return f"/t/{tenant.slug}/assessments/{assessment.id}"
    return f"/t/{tenant.slug}/clients/{enterprise.id}/assessments/{assessment.id}"


def _version(fetch, assessment):
    [row] = fetch(Assessment, Assessment.id == assessment.id)
    return row


def test_own_admin_comments_returns_then_finalises(
        app, make_enterprise, make_assessment, make_user, add_member, sign_in, post, client,
        fetch):
    enterprise = make_enterprise()
    admin = make_user()
    add_member(enterprise, admin, Role.admin)
    assessment = make_assessment(enterprise, submit=True)
    sign_in(admin)
    base = _base(enterprise, assessment)
    page = client.get(f"{base}/review", headers=ENGLISH)
    assert page.status_code == 200 and "Return with comments" in text(page)

    # Returning needs a comment that says what to change.
    refused = post(f"{base}/review/return", {**CONFIRM, "expected_version": 2}, headers=ENGLISH)
    assert refused.status_code == 400 and "Add at least one comment" in text(refused)
    assert _version(fetch, assessment).state == "submitted"

    assert post(f"{base}/review/comments", {"body": "Which ERP report is this from?",
                                            "indicator_code": CODE}).status_code == 303
    assert post(f"{base}/review/comments", {"body": "Please complete the green page."}
                ).status_code == 303
    assert post(f"{base}/review/return", {**CONFIRM, "expected_version": 2}).status_code == 303
    assert _version(fetch, assessment).state == "returned"

    # The enterprise sees the comment next to the indicator; it resubmits.
    sign_in(owner_of(app, enterprise))
    seen = client.get(f"{base}/review", headers=ENGLISH)
    body = text(seen)
    assert "Which ERP report is this from?" in body
    row = body.split(f'id="ind-{CODE}"', 1)[1].split("</tr>", 1)[0]
    assert "Which ERP report is this from?" in row
    resubmitted = post(f"{base}/submit", {**CONFIRM, "expected_version": 3})
    assert resubmitted.status_code == 303
    assert _version(fetch, assessment).state == "submitted"

    sign_in(admin)
    assert post(f"{base}/review/indicators/{CODE}/verify", {"verified": "1"}).status_code == 303
    [state] = fetch(IndicatorState, IndicatorState.tenant_id == enterprise.id,
                    IndicatorState.code == CODE)
    # The enterprise's own check is "internally reviewed", never "verified".
    assert state.confidence == "internally_reviewed" and state.verified_by_id == admin.id
    assert state.verified_by_tenant_id == enterprise.id and state.verified_at is not None
    done = post(f"{base}/review/finalise", {**CONFIRM, "expected_version": 4})
    assert done.status_code == 303 and done.headers["Location"].endswith(f"{base}/results")
    assert _version(fetch, assessment).state == "finalised"
    [revision] = fetch(AssessmentRevision, AssessmentRevision.assessment_id == assessment.id)
    assert revision.confidence[CODE] == "internally_reviewed"
    assert revision.reviewed_by_tenant_id is None  # finalised by itself: a self-assessment
    figures = fetch(ResultFigure, ResultFigure.assessment_id == assessment.id)
    assert {f.kind for f in figures} == {"indicator", "dimension", "overall"}
    [overall] = [f for f in figures if f.kind == "overall"]
    assert overall.score == revision.results["overall"]["score"]
    # Finalised is final: no more comments, no second finalisation.
    again = post(f"{base}/review/finalise", {**CONFIRM, "expected_version": 5}, headers=ENGLISH)
    assert again.status_code == 409
    assert len(fetch(AssessmentRevision, AssessmentRevision.assessment_id == assessment.id)) \
        == 1


def test_a_stale_decision_is_refused(app, make_enterprise, make_assessment, sign_in, post,
                                     fetch):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise, submit=True)
    sign_in(owner_of(app, enterprise))
    response = post(f"{_base(enterprise, assessment)}/review/finalise",
                    {**CONFIRM, "expected_version": 1}, headers=ENGLISH)
    assert response.status_code == 409 and "changed since you opened it" in text(response)
    assert fetch(AssessmentRevision, AssessmentRevision.assessment_id == assessment.id) == []


def test_a_viewer_and_an_assessor_cannot_finalise(app, make_enterprise, make_assessment,
                                                  make_user, add_member, sign_in, post, fetch,
                                                  client):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise, submit=True)
    base = _base(enterprise, assessment)
    for role in (Role.viewer, Role.assessor):
        user = make_user()
        add_member(enterprise, user, role)
        sign_in(user)
        assert client.get(f"{base}/review").status_code == 200  # may read
        finalised = post(f"{base}/review/finalise", {**CONFIRM, "expected_version": 2})
        assert finalised.status_code == 403
        assert post(f"{base}/review/comments", {"body": "x"}).status_code == 403
        assert post(f"{base}/submit", {**CONFIRM, "expected_version": 2}).status_code == 403
    assert _version(fetch, assessment).state == "submitted"
    assert fetch(ReviewComment, ReviewComment.tenant_id == enterprise.id) == []


def test_reopen_starts_a_new_revision(app, make_enterprise, make_assessment, sign_in, post,
                                      fetch):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise, finalise=True)
    sign_in(owner_of(app, enterprise))
    response = post(f"{_base(enterprise, assessment)}/reopen", {**CONFIRM, "expected_version": 3})
    assert response.status_code == 303
    row = _version(fetch, assessment)
    assert row.state == "draft" and row.revision == 2
    assert len(fetch(AssessmentRevision, AssessmentRevision.assessment_id == assessment.id)) \
        == 1
