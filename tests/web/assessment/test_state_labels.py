"""An assessment's state reads the same on every page (one table of labels)."""

from __future__ import annotations

from assessment.assessments import queries
from assessment.assessments.models import State
from tests.factories import owner_of
from tests.web.assessment.factories import acting
from tests.web.helpers import ENGLISH, text


def test_a_submitted_assessment_is_named_alike_on_the_list_its_page_and_its_evidence(
        app, client, enterprise_with_profile, draft_assessment, sign_in):
    tenant = enterprise_with_profile()
    assessment = draft_assessment(tenant)
    owner = owner_of(app, tenant)
    with acting(app, tenant, owner):
        queries.assessment(assessment.id).state = State.submitted
    sign_in(owner)
    base = f"/t/{tenant.slug}/assessments"
    for url in (f"{base}/", f"{base}/{assessment.id}", f"{base}/{assessment.id}/evidence"):
        page = client.get(url, headers=ENGLISH)
        assert page.status_code == 200, url
        assert "Submitted for review" in text(page), url
