"""The next year's assessment through the browser's eyes (the test client): the start page
offers to copy last year's answers, the questionnaire marks each carried-over field and
counts them per page, a field or a page is confirmed unchanged, and submitting lists the
fields nobody confirmed."""

from __future__ import annotations

import re
from typing import Any

import pytest

from assessment.assessments.models import Answer, Assessment, IndicatorState
from tests.factories.assessment_io import make_assessment
from tests.web.assessment.factories import page_url
from tests.web.helpers import ENGLISH, text

CARRIED = "Carried over from last year"


@pytest.fixture
def enterprise(app, make_user, make_tenant, sign_in) -> tuple[Any, Any]:
    owner = make_user()
    tenant = make_tenant(owner=owner, name="Next Year Works")
    make_assessment(app, tenant, owner, year=2025, finalise=True)
    sign_in(owner)
    return tenant, owner


def _started(post, fetch, tenant, **extra: str) -> Any:
    response = post(f"/t/{tenant.slug}/assessments/", {"year": "2026", **extra},
                    headers=ENGLISH)
    assert response.status_code == 302
    [assessment] = fetch(Assessment, Assessment.tenant_id == tenant.id, Assessment.year == 2026)
    return assessment


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_the_start_page_offers_last_years_answers(client, enterprise, post, fetch):
    tenant, _owner = enterprise
    listing = text(client.get(f"/t/{tenant.slug}/assessments/", headers=ENGLISH))
    assert "Copy last year's answers forward" in listing
    assert "answers of the 2025 assessment (Finalised)" in listing
    chinese = text(client.get(f"/t/{tenant.slug}/assessments/"))
    assert "沿用上年" in chinese
    assessment = _started(post, fetch, tenant, carry_over="y")
    answers = fetch(Answer, Answer.assessment_id == assessment.id)
    assert len(answers) > 10
    assert {a.carried_from_id is not None for a in answers} == {True}
    page = text(client.get(f"/t/{tenant.slug}/assessments/{assessment.id}", headers=ENGLISH))
    assert "carried over from last year are not confirmed yet" in page
    assert "Start from last year's answers" not in page  # copied: no second offer


def test_unticked_the_new_year_starts_empty_and_the_assessment_page_still_offers(
        client, enterprise, post, fetch):
    tenant, _owner = enterprise
    assessment = _started(post, fetch, tenant)  # no carry_over field: the box was unticked
    assert fetch(Answer, Answer.assessment_id == assessment.id) == []
    url = f"/t/{tenant.slug}/assessments/{assessment.id}"
    page = text(client.get(url, headers=ENGLISH))
    assert "Start from last year's answers" in page
    response = client.post(f"{url}/carry-over", data={"csrf_token": _token(page)},
                           headers=ENGLISH)
    assert response.status_code == 303
    assert len(fetch(Answer, Answer.assessment_id == assessment.id)) > 10
    again = client.post(f"{url}/carry-over", data={"csrf_token": _token(page)},
                        headers=ENGLISH, follow_redirects=True)
    assert "already copied" in text(again)


def test_marks_and_counts_show_and_confirming_clears_them(client, enterprise, post, fetch):
    tenant, _owner = enterprise
    assessment = _started(post, fetch, tenant, carry_over="y")
    lean_url = page_url(tenant, assessment, "lean")
    lean = text(client.get(lean_url, headers=ENGLISH))
    marked = lean.count(CARRIED)
    assert marked >= 4
    # the stepper counts each page's unconfirmed fields
    assert re.search(r'class="q-step-carried">\d+ carried over<', lean)
    assert "沿用上年" in text(client.get(lean_url))
    confirm_url = f"{lean_url}/carried"
    assert f'formaction="{confirm_url}"' in lean
    # Enter in a field still saves the page: the form's first button is not a confirm one
    form = lean.split('class="questionnaire"', 1)[1]
    first_button = re.search(r"<button[^>]*>", form).group(0)
    assert "formaction" not in first_button
    response = client.post(confirm_url, data={"csrf_token": _token(lean),
                                              "carried_key": "deliveries_total"},
                           headers=ENGLISH, follow_redirects=True)
    after = text(response)
    assert "Confirmed unchanged from last year: 1 field(s)." in after
    assert after.count(CARRIED) == marked - 1
    [row] = fetch(Answer, Answer.assessment_id == assessment.id,
                  Answer.key == "deliveries_total")
    assert row.carried_from_id is None and row.value == 1000
    client.post(confirm_url, data={"csrf_token": _token(lean), "carried_all": "1"},
                headers=ENGLISH)
    assert CARRIED not in text(client.get(lean_url, headers=ENGLISH))
    energy = text(client.get(page_url(tenant, assessment, "energy"), headers=ENGLISH))
    assert CARRIED in energy  # other pages keep theirs


def test_saving_a_changed_value_on_the_page_removes_its_mark(client, enterprise, post, fetch):
    tenant, _owner = enterprise
    assessment = _started(post, fetch, tenant, carry_over="y")
    url = page_url(tenant, assessment, "lean")
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": _token(html)}
    data.update(re.findall(r'name="([^"]+__version)"[^>]*value="([^"]*)"', html))
    data["deliveries_on_time"] = "980"
    data["deliveries_total"] = "1000"
    client.post(url, data=data, headers=ENGLISH)
    rows = {a.key: a for a in fetch(Answer, Answer.assessment_id == assessment.id)}
    assert (rows["deliveries_on_time"].value, rows["deliveries_on_time"].carried_from_id) \
        == (980, None)
    assert rows["deliveries_total"].carried_from_id is not None  # sent unchanged: still marked


def test_submitting_lists_unconfirmed_fields_and_needs_an_acknowledgement(
        client, enterprise, post, fetch):
    tenant, _owner = enterprise
    assessment = _started(post, fetch, tenant, carry_over="y")
    base = f"/t/{tenant.slug}/assessments/{assessment.id}"
    token = _token(client.get(base).get_data(as_text=True))
    form = {"csrf_token": token, "expected_version": str(assessment.version + 1)}
    [stored] = fetch(Assessment, Assessment.id == assessment.id)
    form["expected_version"] = str(stored.version)
    asked = client.post(f"{base}/submit", data=form, headers=ENGLISH)
    page = text(asked)
    assert asked.status_code == 200
    assert "were carried over from last year and nobody confirmed or changed them" in page
    assert ">Deliveries in total</a>" in page
    assert f'href="{base}/pages/lean#lean.on_time_delivery_rate"' in page
    assert f'href="{base}/pages/energy"' in page
    refused = client.post(f"{base}/submit", data={**form, "confirm": "yes"}, headers=ENGLISH)
    assert refused.status_code == 422
    assert "Tick the acknowledgement below" in text(refused)
    [still] = fetch(Assessment, Assessment.id == assessment.id)
    assert still.state == "draft"
    done = client.post(f"{base}/submit", data={**form, "confirm": "yes",
                                               "carried_acknowledged": "y"}, headers=ENGLISH)
    assert done.status_code == 303
    [submitted] = fetch(Assessment, Assessment.id == assessment.id)
    assert submitted.state == "submitted"


def test_autosaving_a_changed_value_or_not_applicable_removes_the_mark(client, enterprise,
                                                                        post, fetch):
    tenant, _owner = enterprise
    assessment = _started(post, fetch, tenant, carry_over="y")
    token = _token(client.get(page_url(tenant, assessment, "global")).get_data(as_text=True))
    base = f"/t/{tenant.slug}/assessments/{assessment.id}"
    saved = client.post(f"{base}/answers", json={"key": "deliveries_total", "value": "1200",
                                                 "state": "answered", "version": 1},
                        headers={"X-CSRFToken": token})
    assert saved.status_code == 200
    same = client.post(f"{base}/answers", json={"key": "units_sold", "value": "9800",
                                                "state": "answered", "version": 1},
                       headers={"X-CSRFToken": token})
    assert same.status_code == 200
    reason = client.post(f"{base}/not-applicable",
                         json={"code": "global.footprint", "not_applicable": True,
                               "reason": "Still none abroad.", "version": 1},
                         headers={"X-CSRFToken": token})
    assert reason.status_code == 200
    rows = {a.key: a for a in fetch(Answer, Answer.assessment_id == assessment.id)}
    assert rows["deliveries_total"].carried_from_id is None
    assert rows["units_sold"].carried_from_id is not None  # the same value: still to check
    [state] = fetch(IndicatorState, IndicatorState.assessment_id == assessment.id)
    assert (state.na_reason, state.carried_from_id) == ("Still none abroad.", None)
