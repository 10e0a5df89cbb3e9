"""The overview page shows where the enterprise stands: what to do next, and its latest result."""

from __future__ import annotations

from tests.integration.assessment_review import factories


def test_a_new_enterprise_is_told_to_start_with_the_profile(client, make_tenant, make_user,
                                                              sign_in):
    owner = make_user()
    tenant = make_tenant("enterprise", owner=owner)
    sign_in(owner)
    html = client.get(f"/t/{tenant.slug}/", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert "Complete the profile" in html
    assert "No assessment in progress." in html


def test_the_current_assessment_and_the_latest_result_are_shown(app, client, make_tenant,
                                                                 make_user, sign_in):
    owner = make_user()
    tenant = make_tenant("enterprise", owner=owner)
    finalised = factories.make_assessment(app, tenant, 2024, finalise=True)
    draft = factories.make_assessment(app, tenant, 2025)
    sign_in(owner)
    html = client.get(f"/t/{tenant.slug}/", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert "Complete the profile" not in html
    assert f"/assessments/{draft.id}" in html
    assert f"/assessments/{finalised.id}/results" in html
    assert "Latest result (2024)" in html


def test_a_consultancy_sees_its_review_queue(client, make_tenant, make_user, sign_in):
    owner = make_user()
    consultancy = make_tenant("consultancy", owner=owner)
    sign_in(owner)
    html = client.get(f"/t/{consultancy.slug}/", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert "waiting for your review" in html and "/clients/reviews" in html
