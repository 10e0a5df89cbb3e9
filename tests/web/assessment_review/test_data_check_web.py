"""Submission asks the enterprise to correct or confirm each figure a plausibility check
questions, with a short reason; the confirmation goes stale when the field changes; the
reviewer (the enterprise's own review page and a linked reviewer's) sees the warning and the
reason; the finalised revision keeps them for the report's data-quality section."""

from __future__ import annotations

import html
import re

from assessment.assessments.models import Assessment, AssessmentRevision, WarningConfirmation
from tenants.models import LinkGrant, Role
from tests.factories import owner_of
from tests.web.helpers import ENGLISH, text

CHINESE = {"Accept-Language": "zh-CN"}
# 12,000,000 MWh for 50,000 万元 of output: 240,000 kWh per 万元, far above the plausible
# 30,000 kWh per 万元: kWh entered as MWh.
SLIPPED = [{"carrier": "electricity", "quantity": 12_000_000, "unit": "MWh"}]
RIGHT = [{"carrier": "electricity", "quantity": 12_000_000, "unit": "kWh"}]
ANSWERS = {"deliveries_total": 1000, "deliveries_on_time": 965, "output_value": 50000,
           "energy": SLIPPED}
REASON = "电弧炉短流程，外购电力确为 1200 万兆瓦时（见电费单）"


def _own(tenant, assessment):
    return f"/t/{tenant.slug}/assessments/{assessment.id}"


def _version(fetch, assessment):
    return fetch(Assessment, Assessment.id == assessment.id)[0].version


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, name
    return html.unescape(found.group(1))


def test_submission_asks_to_confirm_each_warning_with_a_reason(
        app, make_enterprise, make_assessment, make_user, make_tenant, make_link, sign_in,
        post, client, fetch, acting_in):
    enterprise = make_enterprise(name="Sanming Steel")
    assessment = make_assessment(enterprise, 2023, ANSWERS)
    owner = owner_of(app, enterprise)
    base = _own(enterprise, assessment)
    sign_in(owner)

    # Submitting is refused with the check page: the warning in the reader's language.
    refused = post(f"{base}/submit", {"expected_version": _version(fetch, assessment)},
                   headers=CHINESE)
    assert refused.status_code == 422
    page = text(refused)
    assert "疑似把以千瓦时计的数量按兆瓦时填写" in page and "Submit for review" not in page
    assert fetch(Assessment, Assessment.id == assessment.id)[0].state == "draft"
    english = text(client.get(f"{base}/submit", headers=ENGLISH))
    assert "looks like kWh entered as MWh" in english
    assert "1 figure is neither corrected nor confirmed" in english

    # A confirmation without a reason is refused, naming the field in the user's language.
    fields = {"code": _hidden(english, "code"), "key": _hidden(english, "key"),
              "fingerprint": _hidden(english, "fingerprint")}
    assert fields["key"] == "energy[0].quantity"
    empty = post(f"{base}/warnings/confirm", {**fields, "reason": "  "}, headers=CHINESE)
    assert empty.status_code == 422 and "请简要说明该数据为何正确" in text(empty)
    assert fetch(WarningConfirmation, WarningConfirmation.assessment_id == assessment.id) == []
    # A stale fingerprint (the figure changed since the page was shown) is a conflict.
    stale = post(f"{base}/warnings/confirm", {**fields, "fingerprint": "0" * 64,
                                               "reason": REASON})
    assert stale.status_code == 409

    assert post(f"{base}/warnings/confirm", {**fields, "reason": REASON}).status_code == 303
    checked = text(client.get(f"{base}/submit", headers=CHINESE))
    assert REASON in checked and "提交审阅" in checked

    # Changing the field makes the confirmation stale, even when the questioned figure and
    # the warning's words stay the same (a row added beside it).
    with acting_in(enterprise):
        from assessment.assessments import answering
        from assessment.assessments import queries as assessment_queries
        from tenants import queries as platform_queries
        from tenants.extensions import db

        user = db.session.merge(owner)
        member = platform_queries.membership(enterprise.id, user.id)
        stored = assessment_queries.assessment(assessment.id)
        current = assessment_queries.answer(assessment.id, "energy")
        answering.save_answer(stored, member, user, "energy",
                              [*SLIPPED, {"carrier": "diesel", "quantity": 10, "unit": "t"}],
                              expected_version=current.version)
    again = post(f"{base}/submit", {"expected_version": _version(fetch, assessment)},
                 headers=ENGLISH)
    assert again.status_code == 422 and "1 figure is neither corrected nor confirmed" in \
        text(again)
    english = text(client.get(f"{base}/submit", headers=ENGLISH))
    fields["fingerprint"] = _hidden(english, "fingerprint")
    assert post(f"{base}/warnings/confirm", {**fields, "reason": REASON}).status_code == 303
    assert post(f"{base}/submit", {"expected_version": _version(fetch, assessment),
                                   "confirm": "yes"}).status_code == 303
    assert fetch(Assessment, Assessment.id == assessment.id)[0].state == "submitted"

    # The enterprise's review page and a linked reviewer's show the warning and the reason.
    own_review = text(client.get(f"{base}/review", headers=CHINESE))
    assert "疑似把以千瓦时计的数量按兆瓦时填写" in own_review and REASON in own_review
    consultant = make_user(name="Lin Reviewer")
    consultancy = make_tenant("consultancy", owner=consultant, name="Minjiang Advisory")
    make_link(consultancy, enterprise, grants=[LinkGrant.review])
    sign_in(consultant)
    linked = f"/t/{consultancy.slug}/clients/{enterprise.id}/assessments/{assessment.id}"
    reviewer_page = text(client.get(f"{linked}/review", headers=ENGLISH))
    assert "looks like kWh entered as MWh" in reviewer_page and REASON in reviewer_page

    # Finalised: the revision keeps the warning with the reason, in both languages.
    assert post(f"{linked}/review/finalise",
                {"confirm": "yes", "expected_version": _version(fetch, assessment)}
                ).status_code == 303
    [revision] = fetch(AssessmentRevision, AssessmentRevision.assessment_id == assessment.id)
    [kept] = [w for w in revision.warning_confirmations if not w["informational"]]
    assert kept["key"] == "energy[0].quantity" and kept["reason"] == REASON
    assert "kWh entered as MWh" in kept["message"]["en"]
    assert "兆瓦时" in kept["message"]["zh"]
    finalised_review = text(client.get(f"{linked}/review", headers=CHINESE))
    assert REASON in finalised_review


def test_a_corrected_figure_needs_no_confirmation(
        app, make_enterprise, make_assessment, sign_in, post, client, fetch):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise, 2023, {**ANSWERS, "energy": RIGHT})
    sign_in(owner_of(app, enterprise))
    base = _own(enterprise, assessment)
    page = text(client.get(f"{base}/submit", headers=ENGLISH))
    # Only the note on the grid factor (Fujian's 2022 factor for 2023): nothing to confirm.
    assert "looks like" not in page and 'name="reason"' not in page
    assert "no provincial factor for 2023 is held" in page
    assert "nothing to correct or confirm" in page
    assert post(f"{base}/submit", {"expected_version": _version(fetch, assessment),
                                   "confirm": "yes"}).status_code == 303


def test_only_owners_and_administrators_confirm(
        app, make_enterprise, make_assessment, make_user, add_member, sign_in, post, client,
        fetch):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise, 2023, ANSWERS)
    viewer = make_user()
    add_member(enterprise, viewer, Role.viewer)
    sign_in(viewer)
    base = _own(enterprise, assessment)
    page = text(client.get(f"{base}/submit", headers=ENGLISH))
    assert "looks like kWh entered as MWh" in page and 'name="reason"' not in page
    sign_in(owner_of(app, enterprise))
    fingerprint = _hidden(text(client.get(f"{base}/submit")), "fingerprint")
    sign_in(viewer)
    refused = post(f"{base}/warnings/confirm",
                   {"code": "quantity_too_high", "key": "energy[0].quantity",
                    "fingerprint": fingerprint, "reason": REASON})
    assert refused.status_code == 403
    assert fetch(WarningConfirmation, WarningConfirmation.assessment_id == assessment.id) == []
