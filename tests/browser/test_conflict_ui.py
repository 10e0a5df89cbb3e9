"""Two windows on the same questionnaire page: what one saves, the other (stale) does not
overwrite. The stale window shows both values and lets its user keep theirs or take the
other; keeping saves on top of the other's version."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.browser.journey import (
    box,
    button,
    click,
    css,
    fill_profile,
    open_page,
    sign_in,
    sign_up,
    start_assessment,
    type_value,
    value_of,
    wait_for,
    wait_until_saved,
)

pytestmark = pytest.mark.browser


def conflict_box(driver, name):
    return css(box(driver, name), ".js-conflict")


def test_a_stale_window_shows_both_values_and_keeps_mine(live_server, browser, second_browser,
                                                         tmp_path):
    base = live_server.url
    _tenant, email = sign_up(browser, live_server, "赵工", "示例电机有限公司")
    fill_profile(browser, "示例电机有限公司")
    assessment_url = start_assessment(browser, 2023)
    open_page(browser, "lean")
    # the same person in another window (another device), on the same page, before any save
    sign_in(second_browser, base, email)
    second_browser.get(browser.current_url)

    # window 1 saves two figures
    type_value(browser, "units_sold", 98000)
    type_value(browser, "units_produced", 100000)
    wait_until_saved(browser, [box(browser, "units_sold"), box(browser, "units_produced")])

    # window 2, still showing the page as it was, changes both
    type_value(second_browser, "units_sold", 97500)
    wait_for(second_browser, lambda d: conflict_box(d, "units_sold").is_displayed())
    shown = conflict_box(second_browser, "units_sold")
    second_browser.save_screenshot(str(tmp_path / "conflict.png"))
    # both values in words, with their unit, as the page writes them
    assert "98000 件" in shown.text and "97500 件" in shown.text, shown.text
    # the other value was this user's own, from the other window: said so, not "someone else"
    assert "您本人，在另一个标签页或窗口中" in shown.text, shown.text
    keep = button(second_browser, "保留我的", within=".q-field[data-name='units_sold']")
    assert button(second_browser, "采用已保存的值", within=".q-field[data-name='units_sold']")

    # keeping mine saves it on top of the other's version
    click(second_browser, keep)
    wait_until_saved(second_browser, [box(second_browser, "units_sold")])
    assert not conflict_box(second_browser, "units_sold").is_displayed()
    assert value_of(second_browser, "units_sold__version") == "2"

    # taking theirs puts their value in the field and saves nothing
    type_value(second_browser, "units_produced", 99000)
    wait_for(second_browser, lambda d: conflict_box(d, "units_produced").is_displayed())
    click(second_browser, button(second_browser, "采用已保存的值",
                                 within=".q-field[data-name='units_produced']"))
    assert value_of(second_browser, "units_produced") == "100000"
    assert not conflict_box(second_browser, "units_produced").is_displayed()

    # window 1, reloaded, sees the kept value; nothing else changed
    browser.get(browser.current_url)
    assert value_of(browser, "units_sold") == "97500"
    assert value_of(browser, "units_produced") == "100000"
    history = css(box(browser, "units_sold"), "details.q-history")
    click(browser, history.find_element(By.TAG_NAME, "summary"))
    assert "(2)" in history.text and "97500" in history.text
    browser.get(assessment_url)
