"""Review by a linked consultancy from its own tenant's URLs; who may not, and what a missing
or insufficient link looks like."""

from __future__ import annotations

from assessment.assessments.models import (
    Assessment,
    AssessmentRevision,
    ReviewComment,
)
from tenants.models import LinkGrant, Role
from tests.factories import owner_of
from tests.web.helpers import ENGLISH, text

CODE = "lean.on_time_delivery_rate"

CONFIRM = {"confirm": "yes"}


def _base(tenant, assessment, enterprise=None):
    if enterprise is None:
        return f"/t/{tenant.slug}/assessments/{assessment.id}"
    return f"/t/{tenant.slug}/clients/{enterprise.id}/assessments/{assessment.id}"


def _version(fetch, assessment):
    [row] = fetch(Assessment, Assessment.id == assessment.id)
    return row


def test_a_linked_consultancy_reviews_from_its_own_tenant(
        app, make_enterprise, make_assessment, make_tenant, make_user, make_link, sign_in,
        post, client, fetch, audit_actions):
    enterprise = make_enterprise(name="Fujian Valves")
    assessment = make_assessment(enterprise, submit=True)
    consultant = make_user()
    consultancy = make_tenant("consultancy", owner=consultant)
    make_link(consultancy, enterprise, grants=[LinkGrant.review])
    sign_in(consultant)

    queue = client.get(f"/t/{consultancy.slug}/clients/reviews", headers=ENGLISH)
    assert queue.status_code == 200 and "Fujian Valves" in text(queue)
    base = _base(consultancy, assessment, enterprise)
    assert f"{base}/review" in queue.get_data(as_text=True)

    page = client.get(f"{base}/review", headers=ENGLISH)
    assert page.status_code == 200 and "Fujian Valves" in text(page)
    assert post(f"{base}/review/comments", {"body": "Attach the delivery log.",
                                            "indicator_code": CODE}).status_code == 303
    [comment] = fetch(ReviewComment, ReviewComment.tenant_id == enterprise.id)
    assert comment.author_tenant_id == consultancy.id and comment.author_id == consultant.id
    assert post(f"{base}/review/return", {**CONFIRM, "expected_version": 2}).status_code == 303
    assert _version(fetch, assessment).state == "returned"
    assert "Fujian Valves" not in text(client.get(f"/t/{consultancy.slug}/clients/reviews"))

    sign_in(owner_of(app, enterprise))
    own = client.get(f"{_base(enterprise, assessment)}/review")
    assert "Attach the delivery log." in text(own)
    assert post(f"{_base(enterprise, assessment)}/submit", {**CONFIRM, "expected_version": 3}
                ).status_code == 303

    sign_in(consultant)
    assert post(f"{base}/review/comments/{comment.id}/resolve").status_code == 303
    done = post(f"{base}/review/finalise", {**CONFIRM, "expected_version": 4})
    assert done.status_code == 303 and done.headers["Location"].endswith(f"{base}/results")
    [revision] = fetch(AssessmentRevision, AssessmentRevision.tenant_id == enterprise.id)
    assert revision.finalised_by_id == consultant.id
    results = client.get(f"{base}/results", headers=ENGLISH)
    assert results.status_code == 200 and "Finalised results" in text(results)
    accessed = audit_actions(enterprise, "link.accessed")
    assert accessed and all(a[1] == consultancy.name for a in accessed)
    assert ("assessment.finalised", "2024") in [(a, s) for a, s, _d in
                                                audit_actions(enterprise)]


def test_a_reviewer_without_a_review_link_gets_404(
        app, make_enterprise, make_assessment, make_tenant, make_user, make_link, sign_in,
        post, client, fetch):
    enterprise = make_enterprise(name="Xiamen Pumps")
    assessment = make_assessment(enterprise, submit=True)
    consultant = make_user()
    consultancy = make_tenant("consultancy", owner=consultant)
    scores_only = make_tenant("association", owner=consultant)
    make_link(scores_only, enterprise, grants=[LinkGrant.scores])
    sign_in(consultant)
    for tenant in (consultancy, scores_only):
        base = _base(tenant, assessment, enterprise)
        assert client.get(f"{base}/review").status_code == 404
        assert client.get(f"{base}/results").status_code == 404
        assert post(f"{base}/review/finalise", {"expected_version": 2}).status_code == 404
        assert "Xiamen Pumps" not in text(client.get(f"/t/{tenant.slug}/clients/reviews"))
    assert _version(fetch, assessment).state == "submitted"


def test_a_linked_viewer_reads_but_cannot_finalise(
        app, make_enterprise, make_assessment, make_tenant, make_user, make_link, add_member,
        sign_in, post, client, fetch):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise, submit=True)
    consultancy = make_tenant("consultancy")
    make_link(consultancy, enterprise, grants=[LinkGrant.review])
    viewer = make_user()
    add_member(consultancy, viewer, Role.viewer)
    sign_in(viewer)
    base = _base(consultancy, assessment, enterprise)
    assert client.get(f"{base}/review").status_code == 200
    assert post(f"{base}/review/finalise", {**CONFIRM, "expected_version": 2}).status_code == 403
    assert _version(fetch, assessment).state == "submitted"


def test_an_enterprise_cannot_use_client_urls(app, make_enterprise, make_assessment, sign_in,
                                              client):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise, submit=True)
    sign_in(owner_of(app, enterprise))
    assert client.get(f"{_base(enterprise, assessment, enterprise)}/review").status_code == 404
    assert client.get(f"/t/{enterprise.slug}/clients/reviews").status_code == 404
