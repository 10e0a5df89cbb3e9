"""The questionnaire guides, in a real browser: the stepper follows the autosave, previous and
next lead through the pages, "not applicable" reveals its reason only when ticked, the grid
names a wrong share before sending it (as the server would), and a plausibility warning
appears beside the energy rows as soon as they are saved."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.select import Select

from tests.browser.journey import (
    box,
    click,
    click_and_load,
    css,
    fill_profile,
    open_page,
    sign_up,
    start_assessment,
    tick,
    type_value,
    wait_for,
    wait_until_saved,
)

pytestmark = pytest.mark.browser


def _error_of(driver, element_id):
    return css(driver, f"#{element_id}-err")


def test_the_stepper_pager_not_applicable_toggle_grid_check_and_warnings(live_server, browser):
    sign_up(browser, live_server, "钱工", "示例泵业有限公司")
    fill_profile(browser, "示例泵业有限公司")
    start_assessment(browser, 2023)

    # -- the stepper: this page's step counts what the autosave stored ---------------------
    open_page(browser, "lean")
    step = css(browser, ".q-step-current")
    assert step.get_attribute("data-page") == "lean"
    assert css(step, ".q-step-count").text == "0/13"
    type_value(browser, "deliveries_total", 1000)
    wait_until_saved(browser, [box(browser, "deliveries_total")])
    wait_for(browser, lambda d: css(d, ".q-step-current .q-step-count").text == "1/13")
    assert "第 " in css(browser, ".q-step-of").text

    # -- next and previous page --------------------------------------------------------------
    following = css(browser, ".q-pager-next")
    assert following.text.startswith("下一页：")
    click_and_load(browser, following)
    after_lean = css(browser, ".q-step-current").get_attribute("data-page")
    assert after_lean != "lean"
    click_and_load(browser, css(browser, ".q-pager-previous"))
    assert css(browser, ".q-step-current").get_attribute("data-page") == "lean"

    # -- "not applicable" folded behind its box ----------------------------------------------
    open_page(browser, "global")
    reason = browser.find_element("name", "na__global__footprint__reason")
    assert not reason.is_displayed()
    tick(browser, "na__global__footprint")
    wait_for(browser, lambda _d: reason.is_displayed())
    toggle = css(browser, "input[name='na__global__footprint']")
    assert toggle.get_attribute("aria-expanded") == "true"
    click(browser, toggle)  # untick: the reason folds away again
    wait_for(browser, lambda _d: not reason.is_displayed())

    # -- the grid: a wrong share is named beside its cell, as the server would -----------------
    open_page(browser, "collaboration")
    type_value(browser, "resource_sharing__warehousing", "12,5")
    cell_error = _error_of(browser, "resource_sharing__warehousing")
    wait_for(browser, lambda _d: cell_error.is_displayed())
    assert "小数请用小数点" in cell_error.text
    type_value(browser, "resource_sharing__warehousing", "150")
    wait_for(browser, lambda _d: "0 到 100" in cell_error.text)
    type_value(browser, "resource_sharing__warehousing", "12.5")
    wait_until_saved(browser, [box(browser, "resource_sharing")])
    assert not cell_error.is_displayed()

    # -- a plausibility warning beside the energy rows, as soon as they are saved -------------
    open_page(browser, "green")
    type_value(browser, "output_value", 52000)
    wait_until_saved(browser, [box(browser, "output_value")])
    open_page(browser, "energy")
    Select(css(browser, "select[name='energy-0-carrier']")).select_by_value("electricity")
    type_value(browser, "energy-0-quantity", 3_200_000)
    Select(css(browser, "select[name='energy-0-unit']")).select_by_value("MWh")
    warnings = css(browser, ".q-warnings[data-warnings-for='energy']")
    wait_for(browser, lambda _d: warnings.is_displayed())
    assert "疑似把以千瓦时计的数量按兆瓦时填写" in warnings.text
    assert warnings.text.startswith("请核对（已照常保存）：")
    # corrected, the warning goes away
    Select(css(browser, "select[name='energy-0-unit']")).select_by_value("kWh")
    wait_for(browser, lambda _d: not warnings.is_displayed())
