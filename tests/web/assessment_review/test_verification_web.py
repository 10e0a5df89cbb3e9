"""Honest verification through the browser: an enterprise's own check is "internally
reviewed", only a linked reviewer with the review grant verifies, and a finalised
assessment says on its results page and in its exports whether anyone outside reviewed it."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook

from assessment.assessments.models import Assessment, AssessmentRevision, IndicatorState
from tenants.models import LinkGrant, Role
from tests.factories import owner_of
from tests.web.helpers import ENGLISH, text

# The confirmation step itself: tests/web/assessment_review/test_confirmations.py.
CONFIRM = {"confirm": "yes"}

CODE = "lean.on_time_delivery_rate"
CHINESE = {"Accept-Language": "zh-CN"}


def _own(tenant, assessment):
    return f"/t/{tenant.slug}/assessments/{assessment.id}"


def _linked(tenant, enterprise, assessment):
    return f"/t/{tenant.slug}/clients/{enterprise.id}/assessments/{assessment.id}"


def _state(fetch, enterprise):
    found = fetch(IndicatorState, IndicatorState.tenant_id == enterprise.id,
                  IndicatorState.code == CODE)
    return found[0] if found else None


def _row(response, code=CODE):
    return text(response).split(f'id="ind-{code}"', 1)[1].split("</tr>", 1)[0]


def _version(fetch, assessment):
    return fetch(Assessment, Assessment.id == assessment.id)[0].version


def test_the_enterprises_own_check_is_internally_reviewed_never_verified(
        app, make_enterprise, make_assessment, make_user, add_member, sign_in, post, client,
        fetch):
    enterprise = make_enterprise(name="Ningbo Bearings")
    admin = make_user(name="Wang Admin")
    add_member(enterprise, admin, Role.admin)
    assessment = make_assessment(enterprise, submit=True)
    base = _own(enterprise, assessment)
    sign_in(admin)
    page = client.get(f"{base}/review", headers=ENGLISH)
    assert "Mark internally reviewed" in _row(page) and "Mark verified" not in text(page)

    # Even a hand-made request asking for "verified" gets the enterprise's own label.
    before = datetime.now(UTC) - timedelta(seconds=5)
    assert post(f"{base}/review/indicators/{CODE}/verify", {"verified": "1"}).status_code \
        == 303
    state = _state(fetch, enterprise)
    assert state.confidence == "internally_reviewed"
    assert (state.verified_by_id, state.verified_by_tenant_id) == (admin.id, enterprise.id)
    assert state.verified_at is not None and state.verified_at >= before

    zh = client.get(f"{base}/review", headers=CHINESE)
    assert "内部已审核" in _row(zh) and "已核实" not in _row(zh)
    en_row = _row(client.get(f"{base}/review", headers=ENGLISH))
    assert "Internally reviewed" in en_row and "Wang Admin" in en_row
    assert "Ningbo Bearings" in en_row and "Withdraw internal review" in en_row

    # Finalised by the enterprise itself: a self-assessment, and no verified label anywhere.
    assert post(f"{base}/review/finalise",
                {**CONFIRM, "expected_version": _version(fetch, assessment)}).status_code == 303
    [revision] = fetch(AssessmentRevision, AssessmentRevision.assessment_id == assessment.id)
    assert revision.confidence[CODE] == "internally_reviewed"
    assert revision.reviewed_by_tenant_id is None and revision.reviewed_by_name == ""
    assert "verified" not in revision.confidence.values()
    zh_results = text(client.get(f"{base}/results", headers=CHINESE))
    assert "自评" in zh_results and "已核实" not in zh_results and "审核</strong>" not in \
        zh_results
    en_results = text(client.get(f"{base}/results", headers=ENGLISH))
    assert "Self-assessment" in en_results and "Reviewed by" not in en_results
    assert "no outside reviewer signed it off" in en_results


def test_a_linked_reviewer_verifies_and_the_label_records_who_and_when(
        app, make_enterprise, make_assessment, make_tenant, make_user, make_link, sign_in,
        post, client, fetch):
    enterprise = make_enterprise(name="Fuzhou Valves")
    assessment = make_assessment(enterprise, submit=True)
    consultant = make_user(name="Li Consultant")
    consultancy = make_tenant("consultancy", owner=consultant, name="Minjiang Advisory")
    make_link(consultancy, enterprise, grants=[LinkGrant.review])
    base = _linked(consultancy, enterprise, assessment)
    sign_in(consultant)
    assert "Mark verified" in _row(client.get(f"{base}/review", headers=ENGLISH))

    before = datetime.now(UTC) - timedelta(seconds=5)
    assert post(f"{base}/review/indicators/{CODE}/verify", {"verified": "1"}).status_code \
        == 303
    state = _state(fetch, enterprise)
    assert state.confidence == "verified"
    assert (state.verified_by_id, state.verified_by_tenant_id) == (consultant.id,
                                                                   consultancy.id)
    assert before <= state.verified_at <= datetime.now(UTC) + timedelta(seconds=5)
    row = _row(client.get(f"{base}/review", headers=ENGLISH))
    assert "Verified" in row and "Li Consultant" in row and "Minjiang Advisory" in row
    assert state.verified_at.date().isoformat() in row
    assert "已核实" in _row(client.get(f"{base}/review", headers=CHINESE))

    # The enterprise can neither withdraw nor overwrite the reviewer's verification.
    owner = owner_of(app, enterprise)
    sign_in(owner)
    own = _own(enterprise, assessment)
    own_row = _row(client.get(f"{own}/review", headers=ENGLISH))
    assert "Verified" in own_row and "Withdraw" not in own_row and "Mark" not in own_row
    for verified in ("0", "1"):
        refused = post(f"{own}/review/indicators/{CODE}/verify", {"verified": verified},
                       headers=ENGLISH)
        assert refused.status_code == 409
        assert "only a linked reviewer can change that" in text(refused)
    assert _state(fetch, enterprise).confidence == "verified"

    # Finalised by the linked reviewer: the revision names the organisation.
    sign_in(consultant)
    assert post(f"{base}/review/finalise",
                {**CONFIRM, "expected_version": _version(fetch, assessment)}).status_code == 303
    [revision] = fetch(AssessmentRevision, AssessmentRevision.assessment_id == assessment.id)
    assert revision.confidence[CODE] == "verified"
    assert (revision.reviewed_by_tenant_id, revision.reviewed_by_name) == (
        consultancy.id, "Minjiang Advisory")
    sign_in(owner)
    zh = text(client.get(f"{own}/results", headers=CHINESE))
    assert "经Minjiang Advisory审核" in zh and "自评" not in zh
    en = text(client.get(f"{own}/results", headers=ENGLISH))
    assert "Reviewed by Minjiang Advisory" in en and "Self-assessment" not in en


def test_a_linked_reviewer_withdraws_a_verification(
        app, make_enterprise, make_assessment, make_tenant, make_user, make_link, sign_in,
        post, fetch):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise, submit=True)
    consultant = make_user()
    consultancy = make_tenant("consultancy", owner=consultant)
    make_link(consultancy, enterprise, grants=[LinkGrant.review])
    base = _linked(consultancy, enterprise, assessment)
    sign_in(consultant)
    post(f"{base}/review/indicators/{CODE}/verify", {"verified": "1"})
    assert post(f"{base}/review/indicators/{CODE}/verify", {"verified": "0"}).status_code \
        == 303
    state = _state(fetch, enterprise)
    assert state.confidence == "self_declared"
    assert (state.verified_by_id, state.verified_by_tenant_id, state.verified_at) == (
        None, None, None)


def test_a_linked_tenant_without_the_review_grant_cannot_verify(
        app, make_enterprise, make_assessment, make_tenant, make_user, make_link, sign_in,
        post, fetch):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise, submit=True)
    consultant = make_user()
    consultancy = make_tenant("consultancy", owner=consultant)
    make_link(consultancy, enterprise,
              grants=[LinkGrant.scores, LinkGrant.answers, LinkGrant.reports])
    pending = make_tenant("association", owner=consultant)
    make_link(pending, enterprise, grants=[LinkGrant.review], accept=False)
    sign_in(consultant)
    for tenant in (consultancy, pending):
        base = _linked(tenant, enterprise, assessment)
        assert post(f"{base}/review/indicators/{CODE}/verify", {"verified": "1"}
                    ).status_code == 404
        assert post(f"{base}/review/finalise",
                    {**CONFIRM, "expected_version": _version(fetch, assessment)}).status_code == 404
    assert _state(fetch, enterprise) is None
    assert fetch(AssessmentRevision, AssessmentRevision.assessment_id == assessment.id) == []


def test_the_exports_carry_the_review_label(
        app, make_enterprise, make_assessment, make_tenant, make_user, make_link, sign_in,
        post, client, fetch):
    enterprise = make_enterprise()
    owner = owner_of(app, enterprise)
    draft = make_assessment(enterprise, 2023)
    own_final = make_assessment(enterprise, 2024, finalise=True)
    reviewed = make_assessment(enterprise, 2025, submit=True)
    consultant = make_user()
    consultancy = make_tenant("consultancy", owner=consultant, name="Huaxia Review Partners")
    make_link(consultancy, enterprise, grants=[LinkGrant.review])
    sign_in(consultant)
    assert post(f"{_linked(consultancy, enterprise, reviewed)}/review/finalise",
                {**CONFIRM, "expected_version": _version(fetch, reviewed)}).status_code == 303

    sign_in(owner)

    def exported(assessment, headers):
        return json.loads(client.get(f"{_own(enterprise, assessment)}/export.json",
                                     headers=headers).data)["metadata"]

    assert exported(draft, CHINESE)["review"] is None  # provisional: no label yet
    assert exported(own_final, CHINESE)["review"] == {
        "status": "self_assessment", "label": "自评", "reviewed_by": None}
    assert exported(own_final, ENGLISH)["review"]["label"] == "Self-assessment"
    assert exported(reviewed, CHINESE)["review"] == {
        "status": "reviewed", "label": "经Huaxia Review Partners审核",
        "reviewed_by": "Huaxia Review Partners"}

    def readme_review(assessment, headers):
        data = client.get(f"{_own(enterprise, assessment)}/export.xlsx", headers=headers).data
        readme = load_workbook(io.BytesIO(data)).worksheets[0]
        labels = {readme[f"B{row}"].value: readme[f"C{row}"].value for row in range(3, 9)}
        return labels

    assert readme_review(own_final, CHINESE)["审核情况"] == "自评"
    assert readme_review(own_final, ENGLISH)["Review status"] == "Self-assessment"
    assert readme_review(reviewed, ENGLISH)["Review status"] == \
        "Reviewed by Huaxia Review Partners"
    assert readme_review(draft, ENGLISH)["Review status"] is None
