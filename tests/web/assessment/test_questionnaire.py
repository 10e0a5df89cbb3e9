"""The questionnaire pages, generated from the framework, saved as a whole without JS."""

from __future__ import annotations

import re

from assessment.assessments.models import Answer, Assessment, IndicatorState
from tests.factories import owner_of
from tests.web.assessment.factories import page_url
from tests.web.helpers import ENGLISH, field_error, text


def _page_form(client, url, **values):
    """The page's CSRF token and hidden versions as a browser would send them, plus
    ``values``."""
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)}
    data.update(re.findall(r'name="([^"]+__version)"[^>]*value="([^"]*)"', html))
    data.update(values)
    return data


def test_an_owner_starts_an_assessment_and_sees_it_listed(app, client, enterprise_with_profile,
                                                          sign_in, post, fetch):
    tenant = enterprise_with_profile()
    sign_in(owner_of(app, tenant))
    response = post(f"/t/{tenant.slug}/assessments/", {"year": "2023"})
    assert response.status_code == 302
    [assessment] = fetch(Assessment, Assessment.tenant_id == tenant.id)
    assert response.headers["Location"].endswith(f"/assessments/{assessment.id}")
    listing = text(client.get(f"/t/{tenant.slug}/assessments/", headers=ENGLISH))
    assert "2023" in listing and "Draft" in listing
    again = post(f"/t/{tenant.slug}/assessments/", {"year": "2023"}, headers=ENGLISH)
    assert again.status_code == 409
    assert "already an assessment for 2023" in field_error(again, "year")


def test_the_nav_links_to_profile_and_assessments_for_enterprises_only(
        app, client, make_tenant, sign_in):
    enterprise = make_tenant("enterprise")
    sign_in(owner_of(app, enterprise))
    page = text(client.get(f"/t/{enterprise.slug}/"))
    assert f"/t/{enterprise.slug}/profile/" in page and f"/t/{enterprise.slug}/assessments/" in page


def test_a_page_shows_each_indicator_from_the_framework(app, client, enterprise_with_profile,
                                                        draft_assessment, sign_in):
    tenant = enterprise_with_profile()
    assessment = draft_assessment(tenant)
    sign_in(owner_of(app, tenant))
    lean = text(client.get(page_url(tenant, assessment, "lean")))
    assert "准时交货率" in lean and "准时交货次数 ÷ 总交货次数 × 100" in lean
    assert "准时交货次数" in lean and "(次)" in lean
    english = text(client.get(page_url(tenant, assessment, "collaboration"), headers=ENGLISH))
    assert "Supply-chain collaboration organisation" in english
    # a qualitative indicator offers the five level descriptors as its choices
    assert english.count(' name="collaboration__organization"') == 5
    assert "No dedicated supply-chain department" in english and "Leading" in english
    # an input answered on an earlier page is shown read-only, with a link to that page
    digital = text(client.get(page_url(tenant, assessment, "digital")))
    assert 'name="operating_revenue"' not in digital
    assert page_url(tenant, assessment, "lean") in digital and "营业收入" in digital


def test_a_sub_count_above_its_total_is_shown_next_to_it_and_nothing_is_saved(
        app, client, enterprise_with_profile, draft_assessment, sign_in, fetch):
    tenant = enterprise_with_profile()
    assessment = draft_assessment(tenant)
    sign_in(owner_of(app, tenant))
    url = page_url(tenant, assessment, "lean")
    response = client.post(url, data=_page_form(client, url, deliveries_on_time="120",
                                                deliveries_total="100", units_sold="5"))
    assert response.status_code == 422
    assert field_error(response, "deliveries_on_time") == "准时交货次数不能大于总交货次数"
    assert fetch(Answer, Answer.assessment_id == assessment.id) == []
    english = client.post(url, headers=ENGLISH, data=_page_form(
        client, url, deliveries_on_time="120", deliveries_total="100"))
    assert field_error(english, "deliveries_on_time") == \
        "Deliveries on time may not exceed deliveries in total"


def test_a_value_that_is_not_a_number_is_refused_with_the_rest(app, client,
                                                               enterprise_with_profile,
                                                               draft_assessment, sign_in, fetch):
    tenant = enterprise_with_profile()
    assessment = draft_assessment(tenant)
    sign_in(owner_of(app, tenant))
    url = page_url(tenant, assessment, "lean")
    response = client.post(url, headers=ENGLISH, data=_page_form(
        client, url, deliveries_total="lots", operating_cost="-5", units_sold="10"))
    assert response.status_code == 422
    assert "whole number" in field_error(response, "deliveries_total")
    assert "negative" in field_error(response, "operating_cost")
    assert fetch(Answer, Answer.assessment_id == assessment.id) == []


def test_a_valid_page_is_saved_with_progress(app, client, enterprise_with_profile,
                                             draft_assessment, sign_in, fetch):
    tenant = enterprise_with_profile()
    assessment = draft_assessment(tenant)
    sign_in(owner_of(app, tenant))
    url = page_url(tenant, assessment, "lean")
    response = client.post(url, data=_page_form(client, url, deliveries_on_time="95",
                                                deliveries_total="1,000"))
    assert response.status_code == 302
    stored = {a.key: a.value for a in fetch(Answer, Answer.assessment_id == assessment.id)}
    assert stored == {"deliveries_on_time": 95, "deliveries_total": 1000}
    page = text(client.get(url, headers=ENGLISH))
    assert "This page: 2 of 13 answered" in page
    overview = text(client.get(f"/t/{tenant.slug}/assessments/{assessment.id}"))
    assert "2/13" in overview


def test_not_applicable_requires_a_reason(app, client, enterprise_with_profile,
                                          draft_assessment, sign_in, fetch):
    tenant = enterprise_with_profile()
    assessment = draft_assessment(tenant)
    sign_in(owner_of(app, tenant))
    url = page_url(tenant, assessment, "global")
    refused = client.post(url, headers=ENGLISH,
                          data=_page_form(client, url, na__global__footprint="y"))
    assert refused.status_code == 422
    assert "Say why" in field_error(refused, "na__global__footprint__reason")
    assert fetch(IndicatorState, IndicatorState.assessment_id == assessment.id) == []
    saved = client.post(url, data=_page_form(client, url, na__global__footprint="y",
                                             na__global__footprint__reason="无海外业务"))
    assert saved.status_code == 302
    [state] = fetch(IndicatorState, IndicatorState.assessment_id == assessment.id)
    assert (state.code, state.not_applicable, state.na_reason) == \
        ("global.footprint", True, "无海外业务")
    page = text(client.get(url, headers=ENGLISH))
    assert "Global supply-chain footprint" in page
    # the four shares of the indicator now count as done
    assert "This page: 4 of" in page


def test_unknown_is_distinct_from_zero(app, client, enterprise_with_profile, draft_assessment,
                                       sign_in, fetch):
    from assessment.assessments.documents import build_document, evaluate_document, framework_of

    tenant = enterprise_with_profile()
    assessment = draft_assessment(tenant)
    sign_in(owner_of(app, tenant))
    url = page_url(tenant, assessment, "lean")
    assert client.post(url, data=_page_form(
        client, url, deliveries_on_time="0", deliveries_total="100",
        units_qualified__unknown="y", units_output="50")).status_code == 302
    answers = fetch(Answer, Answer.assessment_id == assessment.id)
    by_key = {a.key: a for a in answers}
    assert (by_key["units_qualified"].state, by_key["units_qualified"].value) == ("unknown", None)
    [stored] = fetch(Assessment, Assessment.id == assessment.id)
    evaluation = evaluate_document(framework_of(stored), build_document(stored, answers, []))
    results = evaluation.to_contract()["indicators"]
    assert results["lean.quality_pass_rate"]["status"] == "missing"
    assert results["lean.on_time_delivery_rate"]["status"] == "ok"
    assert results["lean.on_time_delivery_rate"]["value"] == 0
    page = text(client.get(url, headers=ENGLISH))
    assert re.search(r'name="units_qualified__unknown"[^>]*checked|checked[^>]*'
                     r'name="units_qualified__unknown"', page)


def test_energy_rows_are_added_checked_per_row_and_removed(app, client, enterprise_with_profile,
                                                            draft_assessment, sign_in, fetch):
    tenant = enterprise_with_profile()
    assessment = draft_assessment(tenant)
    sign_in(owner_of(app, tenant))
    url = page_url(tenant, assessment, "energy")
    rows = {"energy-0-carrier": "diesel", "energy-0-quantity": "10", "energy-0-unit": "t",
            "energy-1-carrier": "electricity", "energy-1-quantity": "5000",
            "energy-1-unit": "t", "energy-1-source": "grid",
            "options-gwp_set": "AR5", "options-electricity_basis": "calorific"}
    refused = client.post(url, headers=ENGLISH, data=_page_form(client, url, **rows))
    assert refused.status_code == 422
    assert "not allowed for electricity" in field_error(refused, "energy-1-unit")
    assert fetch(Answer, Answer.assessment_id == assessment.id) == []
    rows["energy-1-unit"] = "kWh"
    rows["process-0-gas"], rows["process-0-tonnes"] = "CH4", "2"
    assert client.post(url, data=_page_form(client, url, **rows)).status_code == 302
    stored = {a.key: a.value for a in fetch(Answer, Answer.assessment_id == assessment.id)}
    assert stored["energy"] == [
        {"carrier": "diesel", "quantity": 10, "unit": "t"},
        {"carrier": "electricity", "quantity": 5000, "unit": "kWh", "source": "grid"}]
    assert stored["process_emissions"] == [{"gas": "CH4", "tonnes": 2}]
    page = text(client.get(url, headers=ENGLISH))
    # The factor the engine uses: Jiangsu (the profile's province) has no 2023 provincial
    # factor held, so its latest earlier one (2022: 0.5978), and its announcement.
    assert "0.5978" in page and "Jiangsu" in page
    assert "Announcement of the 2022 electricity CO2 emission factors" in page
    assert 'name="energy-2-carrier"' in page  # one empty row to add a carrier
    rows["energy-0-remove"] = "y"
    assert client.post(url, data=_page_form(client, url, **rows)).status_code == 302
    [energy] = fetch(Answer, Answer.assessment_id == assessment.id, Answer.key == "energy")
    assert [e["carrier"] for e in energy.value] == ["electricity"]
    assert energy.version == 2


def test_the_grid_factor_says_when_it_falls_back_to_the_latest_year(
        app, client, enterprise_with_profile, draft_assessment, sign_in):
    tenant = enterprise_with_profile()
    assessment = draft_assessment(tenant, year=2030)
    sign_in(owner_of(app, tenant))
    page = text(client.get(page_url(tenant, assessment, "energy"), headers=ENGLISH))
    # Jiangsu, the profile's province: its latest provincial factor is 2022's (0.5978)
    assert "no provincial factor for 2030 is held" in page and "2022" in page and "0.5978" in page
