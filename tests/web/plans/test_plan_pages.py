"""The plan pages through the test client: the results page offers a plan, the plan is
built with CSRF, proposals adopted, an action edited (a stale edit is a 409 that keeps what
was typed), its status changed, comments and replies; viewers read; a consultancy with the
review grant edits its client's plan; an association with scores only sees counts; another
tenant gets a 404."""

from __future__ import annotations

import re

import pytest

from assessment.plans.models import ImprovementPlan, PlanAction, PlanComment
from tenants.models import LinkGrant, Role
from tests.conftest import csrf_token
from tests.factories import owner_of
from tests.factories.assessments import make_assessment

EN = {"Accept-Language": "en"}


@pytest.fixture
def enterprise(make_enterprise):
    return make_enterprise()


@pytest.fixture
def finalised(app, enterprise):
    return make_assessment(app, enterprise, 2024, finalise=True)


def _base(tenant, assessment):
    return f"/t/{tenant.slug}/assessments/{assessment.id}"


def _token(client, url):
    html = client.get(url).get_data(as_text=True)
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, f"no CSRF token on {url}"
    return found.group(1)


def _build(client, tenant, assessment, adopt=2):
    base = _base(tenant, assessment)
    token = _token(client, f"{base}/results")
    assert client.post(f"{base}/plan/create", data={"csrf_token": token}).status_code == 303
    html = client.get(f"{base}/plan").get_data(as_text=True)
    keys = re.findall(r'name="keys" value="([^"]+)"', html)[:adopt]
    response = client.post(f"{base}/plan/adopt",
                           data={"csrf_token": token, "keys": keys})
    assert response.status_code == 303
    return keys


def test_the_results_page_offers_a_plan_and_the_owner_builds_one(
        app, client, sign_in, enterprise, finalised, fetch):
    sign_in(owner_of(app, enterprise))
    base = _base(enterprise, finalised)
    results = client.get(f"{base}/results").get_data(as_text=True)
    assert "制定改进计划" in results
    # without its CSRF token the form is refused and nothing is created
    assert client.post(f"{base}/plan/create").status_code == 400
    assert fetch(ImprovementPlan, ImprovementPlan.tenant_id == enterprise.id) == []
    keys = _build(client, enterprise, finalised, adopt=2)
    assert len(keys) == 2
    actions = fetch(PlanAction, PlanAction.tenant_id == enterprise.id)
    assert sorted(a.source_ref for a in actions) == sorted(keys)
    page = client.get(f"{base}/plan").get_data(as_text=True)
    assert "<svg" in page and "plan-matrix" in page
    visible = re.sub(r"<[^>]+>", " ", page)  # the text a reader sees (no values, no ids)
    assert "lean.on_time" not in visible and "measure-0" not in visible  # words, not codes
    assert "第" not in visible or not re.search(r"\d+\s*[–-]\s*\d+\s*行", visible)
    # the results page now shows the plan's progress
    results = client.get(f"{base}/results").get_data(as_text=True)
    assert "plan-progress" in results


def test_an_action_is_edited_and_a_stale_edit_keeps_what_was_typed(
        app, client, sign_in, enterprise, finalised, fetch):
    sign_in(owner_of(app, enterprise))
    _build(client, enterprise, finalised, adopt=1)
    action = fetch(PlanAction, PlanAction.tenant_id == enterprise.id)[0]
    url = f"{_base(enterprise, finalised)}/plan/actions/{action.id}"
    token = _token(client, url)
    form = {"csrf_token": token, "title": "Weekly delivery review", "effort": "low",
            "cost": "low", "version": str(action.version), "owner_id": "",
            "evidence_id": "", "notes": "first"}
    assert client.post(url, data=form).status_code == 303
    stale = client.post(url, data={**form, "title": "My unsaved wording", "notes": "second"},
                        headers=EN)
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "My unsaved wording" in html  # nothing typed is lost
    assert "changed this action" in html or "修改了此行动" in html
    stored = fetch(PlanAction, PlanAction.id == action.id)[0]
    assert stored.title == "Weekly delivery review" and stored.notes == "first"


def test_status_changes_comments_and_replies(app, client, sign_in, enterprise, finalised,
                                             fetch):
    sign_in(owner_of(app, enterprise))
    _build(client, enterprise, finalised, adopt=1)
    action = fetch(PlanAction, PlanAction.tenant_id == enterprise.id)[0]
    url = f"{_base(enterprise, finalised)}/plan/actions/{action.id}"
    token = _token(client, url)
    moved = client.post(f"{url}/status", data={"csrf_token": token, "seen": "proposed",
                                               "status": "planned"})
    assert moved.status_code == 303
    again = client.post(f"{url}/status", data={"csrf_token": token, "seen": "proposed",
                                               "status": "planned"})
    assert again.status_code == 409
    assert fetch(PlanAction, PlanAction.id == action.id)[0].status == "planned"
    assert client.post(f"{url}/comments", data={"csrf_token": token, "body": "Start?"}
                       ).status_code == 303
    parent = fetch(PlanComment, PlanComment.action_id == action.id)[0]
    assert client.post(f"{url}/comments", data={"csrf_token": token, "body": "Monday.",
                                                 "parent_id": str(parent.id)}
                       ).status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Start?" in page and "Monday." in page
    reply = [c for c in fetch(PlanComment, PlanComment.action_id == action.id)
             if c.parent_id is not None]
    assert len(reply) == 1 and reply[0].parent_id == parent.id


def test_a_viewer_reads_but_does_not_edit(app, client, sign_in, enterprise, finalised,
                                          make_user, add_member, fetch):
    owner_client = app.test_client()
    from tests.factories import sign_in as sign_in_client

    sign_in_client(owner_client, owner_of(app, enterprise))
    _build(owner_client, enterprise, finalised, adopt=1)
    action = fetch(PlanAction, PlanAction.tenant_id == enterprise.id)[0]
    viewer = make_user()
    add_member(enterprise, viewer, Role.viewer)
    sign_in(viewer)
    url = f"{_base(enterprise, finalised)}/plan/actions/{action.id}"
    assert client.get(f"{_base(enterprise, finalised)}/plan").status_code == 200
    token = _token(client, url)
    refused = client.post(f"{url}/status", data={"csrf_token": token, "seen": "proposed",
                                                 "status": "planned"})
    assert refused.status_code == 403
    assert fetch(PlanAction, PlanAction.id == action.id)[0].status == "proposed"


def test_a_consultancy_with_the_review_grant_edits_its_clients_plan(
        app, client, sign_in, enterprise, finalised, make_tenant, make_link, fetch):
    consultancy = make_tenant("consultancy")
    make_link(consultancy, enterprise, grants=[LinkGrant.review])
    sign_in(owner_of(app, consultancy))
    base = f"/t/{consultancy.slug}/clients/{enterprise.id}/assessments/{finalised.id}"
    token = _token(client, f"{base}/plan")
    assert client.post(f"{base}/plan/create", data={"csrf_token": token}).status_code == 303
    html = client.get(f"{base}/plan").get_data(as_text=True)
    key = re.findall(r'name="keys" value="([^"]+)"', html)[0]
    assert client.post(f"{base}/plan/adopt", data={"csrf_token": token, "keys": [key]}
                       ).status_code == 303
    action = fetch(PlanAction, PlanAction.tenant_id == enterprise.id)[0]
    assert client.post(f"{base}/plan/actions/{action.id}/comments",
                       data={"csrf_token": token, "body": "From your consultant"}
                       ).status_code == 303
    comment = fetch(PlanComment, PlanComment.action_id == action.id)[0]
    assert comment.author_tenant_id == consultancy.id and comment.tenant_id == enterprise.id


def test_an_association_with_scores_only_sees_counts(
        app, client, sign_in, enterprise, finalised, make_tenant, make_link):
    association = make_tenant("association")
    make_link(association, enterprise, grants=[LinkGrant.scores])
    owner_client = app.test_client()
    from tests.factories import sign_in as sign_in_client

    sign_in_client(owner_client, owner_of(app, enterprise))
    _build(owner_client, enterprise, finalised, adopt=2)
    sign_in(owner_of(app, association))
    linked = f"/t/{association.slug}/clients/{enterprise.id}/assessments/{finalised.id}/plan"
    assert client.get(linked).status_code == 404  # no review grant: the plan does not exist
    page = client.get(f"/t/{association.slug}/plans/members")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert enterprise.name in html
    assert re.search(r"<td class=\"num\">2</td>", html)


def test_an_unlinked_tenant_and_another_enterprise_get_404(
        app, client, sign_in, enterprise, finalised, make_tenant, make_enterprise):
    owner_client = app.test_client()
    from tests.factories import sign_in as sign_in_client

    sign_in_client(owner_client, owner_of(app, enterprise))
    _build(owner_client, enterprise, finalised, adopt=1)
    consultancy = make_tenant("consultancy")
    sign_in(owner_of(app, consultancy))
    url = f"/t/{consultancy.slug}/clients/{enterprise.id}/assessments/{finalised.id}/plan"
    assert client.get(url).status_code == 404
    other = make_enterprise()
    client2 = app.test_client()
    sign_in_client(client2, owner_of(app, other))
    assert client2.get(f"/t/{other.slug}/assessments/{finalised.id}/plan").status_code == 404
    assert csrf_token  # the module's helper stays importable for the isolation walk


def test_the_next_years_results_show_the_measured_effect_of_last_years_plan(
        app, client, sign_in, enterprise):
    from assessment.assessments import queries as assessment_queries
    from assessment.plans import services
    from tests.factories.assessments import ANSWERS, PREVIOUS_ANSWERS
    from tests.factories.plans import actor_for, in_enterprise

    then = make_assessment(app, enterprise, 2023, PREVIOUS_ANSWERS, finalise=True)
    with in_enterprise(app, enterprise):
        actor = actor_for(enterprise)
        plan = services.create_plan(assessment_queries.assessment(then.id), actor)
        for title, code in (("Deliver on time", "lean.on_time_delivery_rate"),
                            ("Write a digital strategy", "digital.strategy")):
            item = services.add_action(plan, actor, title=title, indicator_codes=[code])
            services.change_status(item, "proposed", "planned", actor)
            services.change_status(item, "planned", "done", actor)
    now = make_assessment(app, enterprise, 2024, ANSWERS, finalise=True)
    sign_in(owner_of(app, enterprise))
    html = client.get(f"{_base(enterprise, now)}/results").get_data(as_text=True)
    assert "2023 年改进计划的效果" in html
    assert "Deliver on time" in html and "有改善" in html
    # the strategy stayed at its level: done, but flagged
    assert html.count("已标记完成，但目标指标没有变化") == 1
    old_plan = client.get(f"{_base(enterprise, then)}/plan").get_data(as_text=True)
    assert "2024 年实测效果" in old_plan and "已标记完成，但目标指标没有变化" in old_plan


def test_the_association_overview_leads_to_its_members_plans(app, client, sign_in,
                                                             make_tenant):
    association = make_tenant("association")
    sign_in(owner_of(app, association))
    html = client.get(f"/t/{association.slug}/").get_data(as_text=True)
    assert f"/t/{association.slug}/plans/members" in html


def _visible(html: str) -> str:
    import html as html_lib

    text = re.sub(r"<(script|style|title)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<svg.*?</svg>", lambda m: re.sub(r"<title>.*?</title>", " ", m.group(0)),
                  text, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", text))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_plan_pages_show_words_not_codes(app, client, sign_in, enterprise, finalised,
                                             fetch, lang):
    from tests.browser.visible_codes import findings

    sign_in(owner_of(app, enterprise))
    _build(client, enterprise, finalised, adopt=40)  # every proposal
    headers = {"Accept-Language": lang}
    base = _base(enterprise, finalised)
    action = fetch(PlanAction, PlanAction.tenant_id == enterprise.id)[0]
    token = _token(client, f"{base}/plan/actions/{action.id}")
    client.post(f"{base}/plan/actions/{action.id}/status",
                data={"csrf_token": token, "seen": "proposed", "status": "in_progress"})
    for path in ("/plan", f"/plan/actions/{action.id}", "/results"):
        page = client.get(f"{base}{path}", headers=headers)
        assert page.status_code == 200
        assert findings(_visible(page.get_data(as_text=True))) == {}, path
