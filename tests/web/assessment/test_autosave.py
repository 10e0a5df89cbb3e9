"""Autosave: one field at a time as JSON, with its version; a stale save is a conflict that
shows both values and overwrites nothing (also on the form path without JavaScript)."""

from __future__ import annotations

import re

import pytest

from assessment.assessments.models import Answer, IndicatorState
from tests.factories import owner_of
from tests.web.assessment.factories import autosave_url, page_url
from tests.web.helpers import ENGLISH, text


def _save(client, tenant, assessment, token, key, value, version=None, state="answered",
          **headers):
    return client.post(autosave_url(tenant, assessment),
                       json={"key": key, "value": value, "state": state, "version": version},
                       headers={"X-CSRFToken": token, **headers})


FOOTPRINT = "global.footprint"


def _not_applicable(client, tenant, assessment, token, not_applicable, reason="",
                    version=None, **headers):
    return client.post(f"/t/{tenant.slug}/assessments/{assessment.id}/not-applicable",
                       json={"code": FOOTPRINT, "not_applicable": not_applicable,
                             "reason": reason, "version": version},
                       headers={"X-CSRFToken": token, **headers})


@pytest.fixture
def owner_on_page(app, client, enterprise_with_profile, draft_assessment, sign_in, page_token):
    """The owner of a new draft, signed in on one of its pages: (tenant, assessment, token)."""

    def open_page(page: str):
        tenant = enterprise_with_profile()
        assessment = draft_assessment(tenant)
        sign_in(owner_of(app, tenant))
        return tenant, assessment, page_token(client, page_url(tenant, assessment, page))

    return open_page


def test_a_field_saves_and_returns_its_new_version(client, owner_on_page, stored_answer):
    tenant, assessment, token = owner_on_page("lean")
    first = _save(client, tenant, assessment, token, "deliveries_total", "1000")
    assert first.status_code == 200
    assert first.json["version"] == 1
    assert first.json["progress"]["page"] == {"done": 1, "total": 13, "percent": 8}
    second = _save(client, tenant, assessment, token, "deliveries_total", 1200, version=1)
    assert (second.status_code, second.json["version"]) == (200, 2)
    assert stored_answer(assessment, "deliveries_total").value == 1200


def test_without_the_csrf_header_nothing_is_saved(app, client, enterprise_with_profile,
                                                  draft_assessment, sign_in, stored_answer):
    tenant = enterprise_with_profile()
    assessment = draft_assessment(tenant)
    sign_in(owner_of(app, tenant))
    response = client.post(autosave_url(tenant, assessment),
                           json={"key": "deliveries_total", "value": 5, "version": None})
    assert response.status_code == 400
    assert stored_answer(assessment, "deliveries_total") is None


def test_a_stale_save_gets_409_with_both_values_and_overwrites_nothing(
        app, client, other_client, enterprise_with_profile, draft_assessment, make_user,
        sign_in, page_token, stored_answer):
    from tests import factories

    colleague = make_user(name="Li Hua")
    tenant = enterprise_with_profile(members=[(colleague, "admin")])
    assessment = draft_assessment(tenant)
    sign_in(owner_of(app, tenant))
    factories.sign_in(other_client, colleague)
    url = page_url(tenant, assessment, "lean")
    mine, theirs = page_token(client, url), page_token(other_client, url)
    # both opened the page when the field was empty (version None); the colleague saves first
    assert _save(other_client, tenant, assessment, theirs, "deliveries_total", 900).status_code \
        == 200
    stale = _save(client, tenant, assessment, mine, "deliveries_total", 1000)
    assert stale.status_code == 409
    current = stale.json["current"]
    assert (current["value"], current["version"], current["by"], current["mine"]) == \
        (900, 1, "Li Hua", False)
    assert stored_answer(assessment, "deliveries_total").value == 900
    # keeping mine: save again on top of their version
    kept = _save(client, tenant, assessment, mine, "deliveries_total", 1000, version=1)
    assert kept.status_code == 200
    assert stored_answer(assessment, "deliveries_total").value == 1000


def test_my_own_save_from_another_tab_is_a_conflict_marked_as_mine(
        app, client, other_client, enterprise_with_profile, draft_assessment, page_token,
        stored_answer):
    from tests import factories

    tenant = enterprise_with_profile()
    owner = owner_of(app, tenant)
    assessment = draft_assessment(tenant)
    factories.sign_in(client, owner)
    factories.sign_in(other_client, owner)  # the same person in a second tab or device
    url = page_url(tenant, assessment, "lean")
    first_tab, second_tab = page_token(client, url), page_token(other_client, url)
    assert _save(other_client, tenant, assessment, second_tab, "deliveries_total", 900
                 ).status_code == 200
    stale = _save(client, tenant, assessment, first_tab, "deliveries_total", 1000,
                  **ENGLISH)
    assert stale.status_code == 409
    assert stale.json["current"]["mine"] is True
    assert "in another tab or window" in stale.json["message"]
    assert stored_answer(assessment, "deliveries_total").value == 900


def test_a_rule_broken_by_the_field_is_422_with_the_message_for_the_field(
        app, client, enterprise_with_profile, draft_assessment, sign_in, page_token,
        save_answer, stored_answer):
    tenant = enterprise_with_profile()
    assessment = draft_assessment(tenant)
    save_answer(tenant, assessment, "deliveries_total", 100)
    sign_in(owner_of(app, tenant))
    token = page_token(client, page_url(tenant, assessment, "lean"))
    refused = _save(client, tenant, assessment, token, "deliveries_on_time", 120)
    assert refused.status_code == 422
    assert refused.json["errors"] == {"deliveries_on_time": ["准时交货次数不能大于总交货次数"]}
    assert stored_answer(assessment, "deliveries_on_time") is None
    not_a_number = _save(client, tenant, assessment, token, "deliveries_on_time", "abc",
                         **ENGLISH)
    assert not_a_number.status_code == 422
    assert "whole number" in not_a_number.json["errors"]["deliveries_on_time"][0]


def test_unknown_is_saved_as_a_state_not_as_zero(client, owner_on_page, stored_answer):
    tenant, assessment, token = owner_on_page("lean")
    response = _save(client, tenant, assessment, token, "units_output", "12", state="unknown")
    assert response.status_code == 200
    answer = stored_answer(assessment, "units_output")
    assert (answer.state, answer.value) == ("unknown", None)


def test_an_energy_row_error_names_its_row(client, owner_on_page, stored_answer):
    tenant, assessment, token = owner_on_page("energy")
    rows = [{"carrier": "diesel", "quantity": "10", "unit": "t"},
            {"carrier": "natural_gas", "quantity": "3", "unit": "kWh"}]
    refused = _save(client, tenant, assessment, token, "energy", rows)
    assert refused.status_code == 422
    assert list(refused.json["rows"]["energy"]) == ["1"]
    assert "unit" in refused.json["rows"]["energy"]["1"]
    rows[1]["unit"] = "m3"
    assert _save(client, tenant, assessment, token, "energy", rows).status_code == 200
    assert stored_answer(assessment, "energy").value[1] == \
        {"carrier": "natural_gas", "quantity": 3, "unit": "m3"}
    options = _save(client, tenant, assessment, token, "options", {"gwp_set": "AR4"})
    assert options.status_code == 422 and "gwp_set" in options.json["options"]


def test_the_form_without_javascript_lists_conflicts_and_saves_nothing(
        app, client, enterprise_with_profile, draft_assessment, make_user, sign_in,
        save_answer, fetch):
    colleague = make_user(name="Li Hua")
    tenant = enterprise_with_profile(members=[(colleague, "admin")])
    assessment = draft_assessment(tenant)
    sign_in(owner_of(app, tenant))
    url = page_url(tenant, assessment, "lean")
    html = client.get(url).get_data(as_text=True)  # opened with everything empty
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    save_answer(tenant, assessment, "deliveries_total", 900, user=colleague)
    response = client.post(url, headers=ENGLISH, data={
        "csrf_token": token, "deliveries_total": "1000", "deliveries_total__version": "",
        "units_sold": "50", "units_sold__version": ""})
    assert response.status_code == 409
    page = text(response)
    assert "Some answers were changed after you opened the page" in page
    assert "Saved meanwhile by Li Hua" in page and "900" in page
    assert re.search(r'name="deliveries_total"[^>]*value="1000"', page)  # mine, in the field
    # their version is now the one the form is based on: sending it again keeps mine
    assert re.search(r'name="deliveries_total__version"[^>]*value="1"', page)
    stored = {a.key: a.value for a in fetch(Answer, Answer.assessment_id == assessment.id)}
    assert stored == {"deliveries_total": 900}  # units_sold not saved either


def test_the_form_without_javascript_says_when_the_other_save_was_my_own(
        app, client, enterprise_with_profile, draft_assessment, sign_in, save_answer):
    tenant = enterprise_with_profile()
    owner = owner_of(app, tenant)
    assessment = draft_assessment(tenant)
    sign_in(owner)
    url = page_url(tenant, assessment, "lean")
    html = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    save_answer(tenant, assessment, "deliveries_total", 900, user=owner)  # "another tab"
    response = client.post(url, headers=ENGLISH, data={
        "csrf_token": token, "deliveries_total": "1000", "deliveries_total__version": ""})
    assert response.status_code == 409
    page = text(response)
    assert "Saved meanwhile by you, in another tab or window" in page


# -- not applicable, per indicator -------------------------------------------------------
def _na_state(fetch, assessment):
    return [(s.not_applicable, s.na_reason, s.version)
            for s in fetch(IndicatorState, IndicatorState.assessment_id == assessment.id,
                           IndicatorState.code == FOOTPRINT)]


def test_not_applicable_saves_and_returns_its_version(client, owner_on_page, fetch):
    tenant, assessment, token = owner_on_page("global")
    first = _not_applicable(client, tenant, assessment, token, True, " 无海外业务 ")
    assert (first.status_code, first.json) == (200, {"version": 1})
    assert _na_state(fetch, assessment) == [(True, "无海外业务", 1)]
    undone = _not_applicable(client, tenant, assessment, token, False, version=1)
    assert (undone.status_code, undone.json) == (200, {"version": 2})
    assert _na_state(fetch, assessment) == [(False, "", 2)]


def test_not_applicable_without_a_reason_is_422_for_the_reason_field(
        client, owner_on_page, fetch):
    tenant, assessment, token = owner_on_page("global")
    refused = _not_applicable(client, tenant, assessment, token, True, "  ", **ENGLISH)
    assert refused.status_code == 422
    assert refused.json["errors"] == {
        "na__global__footprint__reason": ["Say why this indicator does not apply to your "
                                          "enterprise."]}
    assert _na_state(fetch, assessment) == []


def test_a_stale_not_applicable_save_is_409_with_the_current_state(
        client, owner_on_page, fetch):
    tenant, assessment, token = owner_on_page("global")
    assert _not_applicable(client, tenant, assessment, token, True, "无海外业务"
                           ).status_code == 200
    stale = _not_applicable(client, tenant, assessment, token, False, version=None)
    assert stale.status_code == 409
    assert stale.json["current"] == {"not_applicable": True, "reason": "无海外业务",
                                     "version": 1}
    assert _na_state(fetch, assessment) == [(True, "无海外业务", 1)]


def test_not_applicable_without_the_csrf_header_is_refused(
        app, client, enterprise_with_profile, draft_assessment, sign_in, fetch):
    tenant = enterprise_with_profile()
    assessment = draft_assessment(tenant)
    sign_in(owner_of(app, tenant))
    response = client.post(f"/t/{tenant.slug}/assessments/{assessment.id}/not-applicable",
                           json={"code": FOOTPRINT, "not_applicable": True,
                                 "reason": "无海外业务", "version": None})
    assert response.status_code == 400
    assert _na_state(fetch, assessment) == []
