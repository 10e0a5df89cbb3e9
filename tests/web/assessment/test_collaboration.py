"""Collaboration: owners give pages to assessors, who edit only those; every answer keeps its
history (who, when, from what)."""

from __future__ import annotations

import re

from assessment.assessments.models import PageAssignment
from tests.factories import owner_of
from tests.web.assessment.factories import autosave_url, page_url
from tests.web.helpers import ENGLISH, text


def test_the_owner_assigns_pages_on_the_assessment_page(app, client, enterprise_with_profile,
                                                        draft_assessment, make_user, sign_in,
                                                        post, fetch):
    assessor = make_user(name="Wang Fang")
    tenant = enterprise_with_profile(members=[(assessor, "assessor")])
    assessment = draft_assessment(tenant)
    sign_in(owner_of(app, tenant))
    overview = text(client.get(f"/t/{tenant.slug}/assessments/{assessment.id}"))
    assert 'name="page__lean"' in overview and "Wang Fang" in overview
    response = post(f"/t/{tenant.slug}/assessments/{assessment.id}/assignments",
                    {"page__lean": str(assessor.id), "page__green": str(assessor.id)})
    assert response.status_code == 302
    assigned = fetch(PageAssignment, PageAssignment.assessment_id == assessment.id)
    assert sorted((a.page, a.user_id) for a in assigned) == \
        [("green", assessor.id), ("lean", assessor.id)]
    # choosing nobody removes an assignment
    assert post(f"/t/{tenant.slug}/assessments/{assessment.id}/assignments",
                {"page__lean": str(assessor.id)}).status_code == 302
    assert [a.page for a in fetch(PageAssignment,
                                  PageAssignment.assessment_id == assessment.id)] == ["lean"]


def test_an_assessor_edits_only_their_pages(app, client, enterprise_with_profile,
                                            draft_assessment, make_user, sign_in, assign_page,
                                            page_token, stored_answer):
    assessor = make_user()
    tenant = enterprise_with_profile(members=[(assessor, "assessor")])
    assessment = draft_assessment(tenant)
    assign_page(tenant, assessment, "lean", assessor)
    sign_in(assessor)
    token = page_token(client, page_url(tenant, assessment, "lean"))
    url = autosave_url(tenant, assessment)
    headers = {"X-CSRFToken": token}
    mine = client.post(url, json={"key": "deliveries_total", "value": 10, "version": None},
                       headers=headers)
    assert mine.status_code == 200
    other = client.post(url, json={"key": "partners_total", "value": 10, "version": None},
                        headers=headers)
    assert other.status_code == 403
    assert stored_answer(assessment, "partners_total") is None
    # the other pages are there to read, not to change
    page = text(client.get(page_url(tenant, assessment, "collaboration"), headers=ENGLISH))
    assert "You can read this page but not change it" in page
    assert re.search(r'name="partners_total"[^>]*disabled|disabled[^>]*name="partners_total"',
                     page)
    assert "Save the page" not in page
    refused = client.post(page_url(tenant, assessment, "collaboration"),
                          data={"csrf_token": token, "partners_total": "10"})
    assert refused.status_code == 403
    assert stored_answer(assessment, "partners_total") is None
    # and cannot give pages away
    assert client.post(f"/t/{tenant.slug}/assessments/{assessment.id}/assignments",
                       data={"csrf_token": token}).status_code == 403


def test_a_viewer_reads_every_page_and_changes_none(app, client, enterprise_with_profile,
                                                    draft_assessment, make_user, sign_in,
                                                    page_token):
    viewer = make_user()
    tenant = enterprise_with_profile(members=[(viewer, "viewer")])
    assessment = draft_assessment(tenant)
    sign_in(viewer)
    token = page_token(client, page_url(tenant, assessment, "lean"))
    response = client.post(autosave_url(tenant, assessment),
                           json={"key": "deliveries_total", "value": 1, "version": None},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 403
    assert 'name="page__lean"' not in text(
        client.get(f"/t/{tenant.slug}/assessments/{assessment.id}"))


def test_every_answer_shows_who_changed_it_when_and_from_what(
        app, client, enterprise_with_profile, draft_assessment, make_user, sign_in,
        save_answer):
    colleague = make_user(name="Li Hua")
    tenant = enterprise_with_profile(members=[(colleague, "admin")])
    assessment = draft_assessment(tenant)
    save_answer(tenant, assessment, "deliveries_total", 900, user=colleague)
    save_answer(tenant, assessment, "deliveries_total", 1000)
    sign_in(owner_of(app, tenant))
    page = text(client.get(page_url(tenant, assessment, "lean"), headers=ENGLISH))
    history = re.search(r'data-key="deliveries_total".*?<details class="q-history">(.*?)'
                        r'</details>', page, re.S)
    assert history, "no history next to the field"
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>",
                      history.group(1))
    owner = owner_of(app, tenant)
    assert [(who, old, new) for who, _when, old, new in rows] == [
        (owner.name or owner.email, "900 occasions", "1000 occasions"),
        ("Li Hua", "—", "900 occasions")]  # the unit in the reader's language
