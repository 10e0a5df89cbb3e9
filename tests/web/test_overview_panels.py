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


def _home(client, tenant) -> str:
    return client.get(f"/t/{tenant.slug}/", headers={"Accept-Language": "en"}).get_data(
        as_text=True)


def test_the_latest_plan_shows_its_progress_and_a_missing_one_is_offered(
        app, client, make_enterprise, make_user, add_member, sign_in):
    from datetime import date, timedelta

    from assessment.plans import queries as plan_queries
    from assessment.plans import services as plan_services
    from tenants.models import Role
    from tests.factories import owner_of
    from tests.factories.assessments import make_assessment
    from tests.factories.plans import actor_for, in_enterprise, make_plan

    enterprise = make_enterprise()
    finalised = make_assessment(app, enterprise, 2024, finalise=True)
    viewer = make_user()
    add_member(enterprise, viewer, Role.viewer)
    sign_in(owner_of(app, enterprise))
    html = _home(client, enterprise)
    assert "Improvement plan (2024)" in html and "Build an improvement plan" in html
    assert f"/assessments/{finalised.id}/results#plan" in html

    plan = make_plan(app, enterprise, finalised, adopt=3)
    with in_enterprise(app, enterprise):
        first, second, _third = plan_queries.actions(plan.id)
        actor = actor_for(enterprise)
        for step in ("planned", "done"):
            plan_services.change_status(first, first.status, step, actor)
        plan_services.update_action(second, second.version, actor,
                                    due_date=date.today() - timedelta(days=3))
    html = _home(client, enterprise)
    assert "1 of 3 actions done" in html and "1 overdue" in html
    assert f"/assessments/{finalised.id}/plan" in html
    assert "Build an improvement plan" not in html


def test_a_viewer_is_not_offered_a_plan_it_cannot_build(
        app, client, make_enterprise, make_user, add_member, sign_in):
    from tenants.models import Role
    from tests.factories.assessments import make_assessment

    enterprise = make_enterprise()
    make_assessment(app, enterprise, 2024, finalise=True)
    viewer = make_user()
    add_member(enterprise, viewer, Role.viewer)
    sign_in(viewer)
    html = _home(client, enterprise)
    assert "Latest result (2024)" in html
    assert "Improvement plan" not in html


def test_answers_carried_over_and_not_confirmed_are_counted_on_the_overview(
        app, client, make_enterprise, sign_in):
    from assessment.assessments import carryover
    from assessment.assessments import queries as assessment_queries
    from assessment.assessments import services as lifecycle
    from tests.factories import owner_of
    from tests.factories.assessments import acting_in, make_assessment, membership_of

    enterprise = make_enterprise()
    make_assessment(app, enterprise, 2024, finalise=True)
    owner = owner_of(app, enterprise)
    with acting_in(app, enterprise):
        member = membership_of(enterprise, owner)
        draft = lifecycle.create_assessment(member, 2025, owner)
        copied = carryover.copy_forward(draft, member, owner)
    with acting_in(app, enterprise):
        waiting = len(carryover.unconfirmed(assessment_queries.assessment(draft.id)))
    assert waiting > 1 and copied is not None
    sign_in(owner)
    assert f"{waiting} answers carried over from last year are still to confirm" in _home(
        client, enterprise)
