"""The enterprise sees, on the questionnaire page, the reviewer's comment and the evidence
next to the indicator they concern."""

from __future__ import annotations

import io

from assessment.assessments import queries
from assessment.assessments import services as lifecycle
from assessment.evidence import services as evidence
from tenants.extensions import db
from tests.factories import owner_of
from tests.integration.assessment_review import factories


def test_comment_and_evidence_appear_next_to_their_indicator(app, client, sign_in,
                                                             make_enterprise, make_assessment,
                                                             acting_in):
    enterprise = make_enterprise()
    draft = make_assessment(enterprise)
    with acting_in(enterprise):
        owner = db.session.merge(owner_of(app, enterprise))
        member = factories.membership_of(enterprise, owner)
        stored = queries.assessment(draft.id)
        evidence.attach(stored, member, owner, "lean.on_time_delivery_rate",
                        "delivery-log.pdf", io.BytesIO(factories.PDF))
        lifecycle.submit(stored, member)
        lifecycle.add_comment(stored, owner, enterprise.id, "交货记录与ERP导出不一致，请核对。",
                              "lean.on_time_delivery_rate")
        lifecycle.return_for_changes(stored, owner)
    sign_in(owner_of(app, enterprise))
    html = client.get(f"/t/{enterprise.slug}/assessments/{draft.id}/pages/lean").get_data(
        as_text=True)
    section = html.split('id="lean.on_time_delivery_rate"', 1)[1].split("</section>", 1)[0]
    assert "交货记录与ERP导出不一致，请核对。" in section
    assert "delivery-log.pdf" in section
    # the conversation goes on on the review page: a reply link to the comment
    assert f"/t/{enterprise.slug}/assessments/{draft.id}/review#comment-" in section
    other = html.split('id="lean.quality_pass_rate"', 1)[1].split("</section>", 1)[0]
    assert "交货记录" not in other and "delivery-log.pdf" not in other
