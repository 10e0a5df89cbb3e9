"""A questionnaire that guides: one validation for every field (the resource-sharing grid
included, on autosave and on the page form alike), a save banner that says what was saved and
what was not, plausibility warnings beside the field as soon as it is saved, the stepper and
the previous / next page links, examples and typical ranges."""

from __future__ import annotations

import re

import pytest

from tests.factories import owner_of
from tests.web.assessment.factories import autosave_url, page_url
from tests.web.helpers import ENGLISH, field_error, flashes, text


def _page_form(client, url, **values):
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)}
    data.update(re.findall(r'name="([^"]+__version)"[^>]*value="([^"]*)"', html))
    data.update(values)
    return data


@pytest.fixture
def owner_on(app, client, enterprise_with_profile, draft_assessment, sign_in, page_token):
    """The owner of a new draft, signed in on one of its pages: (tenant, assessment, token)."""

    def open_page(page: str):
        tenant = enterprise_with_profile()
        assessment = draft_assessment(tenant)
        sign_in(owner_of(app, tenant))
        return tenant, assessment, page_token(client, page_url(tenant, assessment, page))

    return open_page


def _autosave(client, tenant, assessment, token, key, value, version=None, **headers):
    return client.post(autosave_url(tenant, assessment),
                       json={"key": key, "value": value, "state": "answered",
                             "version": version},
                       headers={"X-CSRFToken": token, **headers})


# -- the resource-sharing grid: autosave ------------------------------------------------------
@pytest.mark.parametrize(("share", "message"), [
    ("150", "Enter a percent from 0 to 100."),
    ("-5", "Enter a percent from 0 to 100."),
    ("12,5", "Use a point for decimals, for example 12.5"),
    ("abc", "Enter a number, for example 12.5."),
])
def test_the_grid_refuses_a_wrong_share_on_autosave_naming_the_cell(
        client, owner_on, stored_answer, share, message):
    tenant, assessment, token = owner_on("collaboration")
    response = _autosave(client, tenant, assessment, token, "resource_sharing",
                         {"warehousing": share, "testing": "20"}, **ENGLISH)
    assert response.status_code == 422
    [shown] = response.json["errors"]["resource_sharing__warehousing"]
    assert shown.startswith("How far each kind of resource is open to partners · Warehousing: ")
    assert message in shown
    assert stored_answer(assessment, "resource_sharing") is None  # nothing saved, not 125


@pytest.mark.parametrize(("share", "stored"), [("12.5", 12.5), ("100", 100), ("0", 0),
                                               ("１２.５", 12.5)])
def test_the_grid_saves_a_share_from_0_to_100(client, owner_on, stored_answer, share, stored):
    tenant, assessment, token = owner_on("collaboration")
    response = _autosave(client, tenant, assessment, token, "resource_sharing",
                         {"warehousing": share, "testing": None})
    assert response.status_code == 200, response.json
    assert stored_answer(assessment, "resource_sharing").value == {
        "warehousing": stored, "testing": None}


def test_a_blank_share_is_left_out_and_a_blank_grid_is_no_answer(client, owner_on,
                                                                  stored_answer):
    tenant, assessment, token = owner_on("collaboration")
    saved = _autosave(client, tenant, assessment, token, "resource_sharing",
                      {"warehousing": "  ", "testing": "30"})
    assert saved.status_code == 200
    assert stored_answer(assessment, "resource_sharing").value == {"testing": 30}
    cleared = _autosave(client, tenant, assessment, token, "resource_sharing", {},
                        version=saved.json["version"])
    assert cleared.status_code == 200
    assert stored_answer(assessment, "resource_sharing").value is None


def test_a_plain_percent_field_follows_the_same_rules(client, owner_on, stored_answer):
    tenant, assessment, token = owner_on("global")
    for raw in ("150", "12,5", "-1"):
        refused = _autosave(client, tenant, assessment, token, "overseas_rd_share", raw)
        assert refused.status_code == 422
        assert list(refused.json["errors"]) == ["overseas_rd_share"]
    assert _autosave(client, tenant, assessment, token, "overseas_rd_share", "12.5"
                     ).status_code == 200
    assert stored_answer(assessment, "overseas_rd_share").value == 12.5


# -- the resource-sharing grid: the page form (without JavaScript) ---------------------------
@pytest.mark.parametrize(("share", "message"), [
    ("150", "请输入 0 到 100 之间的百分数"),
    ("12,5", "小数请用小数点"),
    ("-3", "请输入 0 到 100 之间的百分数"),
])
def test_the_page_form_refuses_a_wrong_share_beside_its_cell(client, owner_on, stored_answer,
                                                             share, message):
    tenant, assessment, _token = owner_on("collaboration")
    url = page_url(tenant, assessment, "collaboration")
    response = client.post(url, data=_page_form(client, url,
                                                resource_sharing__warehousing=share,
                                                partners_total="10"))
    assert response.status_code == 422
    assert message in field_error(response, "resource_sharing__warehousing")
    assert stored_answer(assessment, "resource_sharing") is None
    assert stored_answer(assessment, "partners_total") is None  # all or nothing


def test_the_page_form_saves_a_share_with_a_point(client, owner_on, stored_answer):
    tenant, assessment, _token = owner_on("collaboration")
    url = page_url(tenant, assessment, "collaboration")
    response = client.post(url, data=_page_form(client, url,
                                                resource_sharing__warehousing="12.5",
                                                resource_sharing__testing__none="y"))
    assert response.status_code == 302
    assert stored_answer(assessment, "resource_sharing").value == {"warehousing": 12.5,
                                                                  "testing": None}


# -- the save banner ------------------------------------------------------------------------
def test_after_a_refused_page_save_the_banner_says_what_is_saved_and_what_is_not(
        client, owner_on, stored_answer):
    tenant, assessment, token = owner_on("lean")
    # autosave stored two fields while the user typed
    assert _autosave(client, tenant, assessment, token, "deliveries_total", "1000"
                     ).status_code == 200
    assert _autosave(client, tenant, assessment, token, "units_output", "500").status_code \
        == 200
    url = page_url(tenant, assessment, "lean")
    response = client.post(url, data=_page_form(
        client, url, deliveries_total="1000", units_output="500",
        deliveries_on_time="12,5",  # refused
        operating_revenue="800"), headers=ENGLISH)  # fine, but held back with the page
    assert response.status_code == 422
    shown = flashes(response)
    assert "Nothing was saved" not in " ".join(shown)
    assert "Not saved: Deliveries on time." in shown[0]
    assert any("Not saved yet either, though nothing is wrong with them: Operating revenue."
               in f for f in shown)
    assert any("Already saved (as you typed, or earlier): " in f and "Deliveries in total"
               in f and "Units output" in f for f in shown)
    assert stored_answer(assessment, "operating_revenue") is None
    assert stored_answer(assessment, "deliveries_total").value == 1000


def test_the_banner_of_a_page_save_names_what_it_saved(client, owner_on):
    tenant, assessment, _token = owner_on("lean")
    url = page_url(tenant, assessment, "lean")
    saved = client.post(url, data=_page_form(client, url, deliveries_total="1000"),
                        headers=ENGLISH, follow_redirects=True)
    assert "The page is saved. Saved now: Deliveries in total." in flashes(saved)
    again = client.post(url, data=_page_form(client, url, deliveries_total="1000"),
                        follow_redirects=True)
    assert "本页已保存。自上次保存以来没有更改（答案在填写时也会自动保存）。" in flashes(again)


def test_save_and_go_to_the_next_page(client, owner_on, stored_answer):
    tenant, assessment, _token = owner_on("lean")
    url = page_url(tenant, assessment, "lean")
    response = client.post(url, data=_page_form(client, url, deliveries_total="1000",
                                                then="digital"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/pages/digital")
    elsewhere = client.post(url, data=_page_form(client, url, then="https://evil.example/"))
    assert elsewhere.headers["Location"].endswith("/pages/lean")


# -- plausibility warnings ------------------------------------------------------------------
def test_an_autosave_answers_the_warnings_of_the_saved_field_without_refusing_it(
        client, owner_on, save_answer, stored_answer):
    tenant, assessment, token = owner_on("energy")
    save_answer(tenant, assessment, "output_value", 52000)
    slipped = [{"carrier": "electricity", "quantity": "3200000", "unit": "MWh"}]
    response = _autosave(client, tenant, assessment, token, "energy", slipped, **ENGLISH)
    assert response.status_code == 200
    [warning] = response.json["warnings"]["energy"]
    assert "looks like kWh entered as MWh" in warning
    assert stored_answer(assessment, "energy").value[0]["unit"] == "MWh"  # saved all the same
    # corrected: the warning list comes back empty, so the page clears it
    fixed = _autosave(client, tenant, assessment, token, "energy",
                      [{**slipped[0], "unit": "kWh"}], version=response.json["version"])
    assert fixed.status_code == 200
    assert fixed.json["warnings"]["energy"] == []
    # the page shows the warning beside the rows when it is loaded, in Chinese
    again = _autosave(client, tenant, assessment, token, "energy", slipped,
                      version=fixed.json["version"])
    assert again.status_code == 200
    page = text(client.get(page_url(tenant, assessment, "energy")))
    assert "请核对（已照常保存）：" in page and "疑似把以千瓦时计的数量按兆瓦时填写" in page


def test_a_plain_field_shows_its_warning_beside_it(client, owner_on, save_answer):
    tenant, assessment, token = owner_on("green")
    save_answer(tenant, assessment, "energy_tce", 400)
    # output value in 元 instead of 万元: energy per output looks far too low
    response = _autosave(client, tenant, assessment, token, "output_value", "520000000")
    assert response.status_code == 200
    warnings = response.json["warnings"]
    assert warnings["output_value"] and "万元" in warnings["output_value"][0]
    assert warnings["green_product_sales"] == []
    page = client.get(page_url(tenant, assessment, "green")).get_data(as_text=True)
    block = re.search(r'data-warnings-for="output_value"[^>]*>(.*?)</div>', page, re.S)
    assert block and "q-warning" in block.group(1)


# -- stepper, previous / next, guide ----------------------------------------------------------
def test_the_page_has_a_stepper_with_progress_and_previous_and_next_links(
        client, owner_on, save_answer):
    tenant, assessment, _token = owner_on("lean")
    save_answer(tenant, assessment, "deliveries_total", 1000)
    html = text(client.get(page_url(tenant, assessment, "lean"), headers=ENGLISH))
    steps = re.findall(r'<li class="q-step[^"]*" data-page="(\w+)"', html)
    assert steps[0] == "profile" and "lean" in steps and "energy" in steps
    here = steps.index("lean")
    assert re.search(r'class="q-step q-step-current" data-page="lean"', html)
    assert f"Page {here + 1} of {len(steps)}" in html
    assert re.search(r'data-page="lean">.*?1 of 13', html, re.S)
    previous = re.search(r'class="q-pager-previous" rel="prev" href="[^"]*/pages/(\w+)"', html)
    following = re.search(r'class="q-pager-next" rel="next" href="[^"]*/pages/(\w+)"', html)
    assert previous.group(1) == steps[here - 1] and following.group(1) == steps[here + 1]


def test_each_input_has_an_example_and_a_typical_range_with_its_source(client, owner_on):
    tenant, assessment, _token = owner_on("lean")
    html = text(client.get(page_url(tenant, assessment, "lean")))
    guide = re.search(r'id="deliveries_on_time-guide">(.*?)</div>', html, re.S).group(1)
    assert "示例：" in guide and "965" in guide
    assert "通常范围：" in guide and "90%–98%" in guide and "来源：" in guide


def test_not_applicable_is_folded_until_ticked(client, owner_on):
    tenant, assessment, _token = owner_on("global")
    html = text(client.get(page_url(tenant, assessment, "global")))
    box = re.search(r'<div class="q-na[^"]*" data-code="global.footprint">', html).group(0)
    assert "q-na-open" not in box
    assert 'data-na-toggle' in html and 'aria-expanded="false"' in html
