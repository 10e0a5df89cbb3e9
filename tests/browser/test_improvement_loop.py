"""The improvement loop in the browser, in Chinese: an enterprise's finalised year leads to a
plan (a proposal adopted, given an owner and a due date, marked done), next year's assessment
starts from last year's answers (沿用上年), the target indicator's answer is changed so that it
improves, the year is submitted and finalised, and the new results page shows what the
action did: its indicator's value and level then and now. A second action, marked done on an
indicator that did not move, is flagged.

Year N is seeded through the factories in the live server's app context (the answering of a
questionnaire is the assessment journey's subject); everything after it is clicked.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.select import Select

from tests.browser.journey import (
    box,
    button,
    click,
    click_and_load,
    css,
    flashes,
    open_page,
    sign_up,
    tick,
    type_value,
    value_of,
    wait_until_saved,
)

pytestmark = pytest.mark.browser

THEN, NOW = 2023, 2024
TARGET = "lean.on_time_delivery_rate"  # 900 of 1000 deliveries on time in year N
FLAT = "digital.strategy"  # level 2 in both years: done, but it did not move
DUE = "2024-06-30"


def seed_finalised_year(live_server: Any, base_url: str) -> None:
    """Year N, answered and finalised through the services (as the factories do)."""
    from sqlmodel import select

    from tenants.extensions import db
    from tenants.models import Tenant
    from tests.factories.assessments import PREVIOUS_ANSWERS, make_assessment

    app = live_server.app
    slug = base_url.rsplit("/t/", 1)[1]
    with app.app_context():
        tenant = db.session.exec(select(Tenant).where(Tenant.slug == slug)).one()
        db.session.expunge(tenant)
    make_assessment(app, tenant, THEN, PREVIOUS_ANSWERS, finalise=True)


def assessment_url_of(driver: WebDriver, base_url: str, year: int) -> str:
    driver.get(f"{base_url}/assessments/")
    for link in driver.find_elements(By.CSS_SELECTOR, "main a[href*='/assessments/']"):
        href = link.get_attribute("href") or ""
        row = link.find_element(By.XPATH, "./ancestor::tr[1]") if re.search(
            r"/assessments/[0-9a-f-]{36}$", href) else None
        if row is not None and str(year) in row.text:
            return href
    raise AssertionError(f"no {year} assessment listed")


def absent(where: WebDriver | WebElement, selector: str) -> bool:
    """Whether nothing matches ``selector`` now (without sitting out the implicit wait)."""
    driver = where if isinstance(where, WebDriver) else where.parent
    driver.implicitly_wait(0)
    try:
        return not where.find_elements(By.CSS_SELECTOR, selector)
    finally:
        driver.implicitly_wait(5)


def status_button(driver: WebDriver, status: str) -> Any:
    return driver.find_element(By.XPATH, (
        "//section[contains(@class,'plan-status')]"
        f"//form[input[@name='status' and @value='{status}']]//button"))


def mark(driver: WebDriver, *statuses: str) -> None:
    for status in statuses:
        click_and_load(driver, status_button(driver, status))
        assert css(driver, ".flash-success"), flashes(driver)


def open_action(driver: WebDriver, title: str) -> None:
    for link in driver.find_elements(By.CSS_SELECTOR, "table.plan-actions a"):
        if link.text.strip() == title:
            click_and_load(driver, link)
            return
    raise AssertionError(f"no action {title!r} in the plan")


def build_plan(driver: WebDriver, owner_name: str) -> tuple[str, str]:
    """From the results page: build the plan, adopt the target's and the flat indicator's
    proposals, give the first an owner and a due date, mark both done. Returns the titles."""
    click_and_load(driver, button(driver, "制定改进计划"))
    assert "/plan" in driver.current_url, flashes(driver)
    titles = []
    for code in (TARGET, FLAT):
        checkbox = css(driver, f"input[name='keys'][value='indicator:{code}']")
        titles.append(checkbox.find_element(By.XPATH, "./ancestor::label[1]//strong").text)
        click(driver, checkbox)
    click_and_load(driver, css(driver, "form[action$='/plan/adopt'] button"))
    listed = css(driver, "table.plan-actions").text
    assert titles[0] in listed and titles[1] in listed, listed
    # the target's action: an owner and a due date, then planned → done
    open_action(driver, titles[0])
    action_url = driver.current_url
    Select(css(driver, "section.plan-edit select[name='owner_id']")).select_by_visible_text(
        owner_name)
    due = css(driver, "section.plan-edit input[name='due_date']")
    if due.get_attribute("type") == "date":
        # Chromium's date widget takes digits segment by segment in the order its locale
        # shows them (headless it is month/day/year whatever the page's language); each
        # segment moves on by itself once full
        year, month, day = DUE.split("-")
        for order in (month + day + year, year + month + day):
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); "
                                  "arguments[0].focus();", due)
            due.send_keys(order)
            if due.get_attribute("value") == DUE:
                break
    else:
        due.clear()
        due.send_keys(DUE)
    assert due.get_attribute("value") == DUE
    click_and_load(driver, css(driver, "section.plan-edit form button.primary"))
    driver.get(action_url)
    facts = css(driver, "dl.facts").text
    assert owner_name in facts and DUE in facts, facts
    mark(driver, "planned", "done")
    assert "已完成" in css(driver, ".page-head").text
    # the second action: done without an owner (its indicator will not move)
    click_and_load(driver, button(driver, "返回改进计划"))
    open_action(driver, titles[1])
    mark(driver, "planned", "done")
    click_and_load(driver, button(driver, "返回改进计划"))
    plan = css(driver, "table.plan-actions").text
    assert plan.count("已完成") == 2, plan
    assert owner_name in plan and DUE in plan, plan
    return titles[0], titles[1]


def start_next_year_copied(driver: WebDriver, base_url: str) -> str:
    """Start year N+1 from the list, accepting the offer to copy last year's answers."""
    driver.get(f"{base_url}/assessments/")
    assert "沿用上年" in css(driver, ".carry-over-offer").text
    type_value(driver, "year", NOW)
    tick(driver, "carry_over")
    click_and_load(driver, css(driver, "form.row-form button"))
    assert re.search(r"/assessments/[0-9a-f-]{36}$", driver.current_url), flashes(driver)
    assert css(driver, ".carried-summary").text
    return driver.current_url


def improve_and_confirm(driver: WebDriver) -> None:
    """On the lean page: the carried marks, the on-time deliveries changed (its mark goes),
    the rest of the page confirmed unchanged."""
    open_page(driver, "lean")
    assert css(box(driver, "deliveries_on_time"), ".q-carried").text.startswith("沿用上年")
    assert value_of(driver, "deliveries_on_time") == "900"
    type_value(driver, "deliveries_on_time", 990)
    wait_until_saved(driver, [box(driver, "deliveries_on_time")])
    click_and_load(driver, css(driver, ".q-submit button"))
    assert css(driver, ".flash-success").text.startswith("本页已保存。"), flashes(driver)
    assert absent(box(driver, "deliveries_on_time"), ".q-carried")
    assert box(driver, "deliveries_total").find_elements(By.CSS_SELECTOR, ".q-carried")
    click_and_load(driver, button(driver, "确认本页全部无变化"))
    assert css(driver, ".flash-success"), flashes(driver)
    assert absent(driver, "form.questionnaire .q-carried")


def submit_acknowledging(driver: WebDriver, assessment_url: str) -> None:
    """Submit: the other pages' carried fields are listed and acknowledged."""
    driver.get(assessment_url)
    click_and_load(driver, button(driver, "提交审阅"))
    listed = css(driver, ".carried-list").text
    assert "准时交货" not in listed, listed  # changed and confirmed: not listed
    tick(driver, "carried_acknowledged")
    click_and_load(driver, button(driver, "提交审阅"))
    assert css(driver, ".flash-success").text == "评估已提交审阅。", flashes(driver)


def finalise(driver: WebDriver, assessment_url: str) -> None:
    driver.get(assessment_url)
    click_and_load(driver, button(driver, "审阅"))
    click_and_load(driver, button(driver, "定稿"))
    click_and_load(driver, button(driver, "定稿"))
    assert "/results" in driver.current_url, flashes(driver)


def effect_rows(driver: WebDriver, within: str) -> dict[str, str]:
    """The effect table's rows by action title (the title cell spans its indicators)."""
    rows = {}
    for row in driver.find_elements(By.CSS_SELECTOR, f"{within} table.plan-effect tbody tr"):
        rows[row.find_elements(By.TAG_NAME, "td")[0].text.split("\n")[0]] = row.text
    return rows


def test_a_plan_is_carried_out_and_next_year_shows_its_effect(live_server, browser,
                                                               tmp_path):
    try:
        journey(live_server, browser)
    except Exception:
        browser.save_screenshot(str(tmp_path / "failed.png"))
        raise


def journey(live_server: Any, browser: WebDriver) -> None:
    base_url, _email = sign_up(browser, live_server, "赵计划", "浙江示例改进制造有限公司")
    seed_finalised_year(live_server, base_url)
    # year N's results offer the plan
    then_url = assessment_url_of(browser, base_url, THEN)
    browser.get(f"{then_url}/results")
    assert "定稿" in css(browser, ".results-final").text
    target_title, flat_title = build_plan(browser, "赵计划")
    # year N+1 from last year's answers; the target improves, the rest confirmed/acknowledged
    now_url = start_next_year_copied(browser, base_url)
    improve_and_confirm(browser)
    submit_acknowledging(browser, now_url)
    finalise(browser, now_url)
    # the new results show the action's measured effect: value and level then and now
    panel = css(browser, "section.results-plan").text
    assert f"{THEN} 年改进计划的效果" in panel, panel
    rows = effect_rows(browser, "section.results-plan")
    improved = rows[target_title]
    # 900 of 1000 on time then (90 %, level 3), 990 now (99 %, level 5)
    assert "准时交货率 90 · 3 级 99 · 5 级 有改善" in improved, improved
    assert "已标记完成，但目标指标没有变化" not in improved, improved
    flat = rows[flat_title]
    assert "已标记完成，但目标指标没有变化" in flat and "无变化" in flat, flat
    assert panel.count("已标记完成，但目标指标没有变化") == 1, panel
    # the old plan's page says the same
    click_and_load(browser, button(browser, f"打开 {THEN} 年改进计划",
                                   within="section.results-plan"))
    section = css(browser, "section.plan-effect-section").text
    assert f"{NOW} 年实测效果" in section, section
    assert "有改善" in effect_rows(browser, "section.plan-effect-section")[target_title]
