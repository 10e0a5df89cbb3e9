"""A manufacturer's whole self-assessment in the browser, in Chinese (the default language):
sign up, the profile, every questionnaire page (an energy row, one indicator not applicable
with its reason), leaving a page half-way and finding the answers kept by the autosave,
submitting, a returned review with a comment, fixing and finalising, and a results page
whose overall score is the one ``python -m indicators evaluate`` computes from the export.
"""

from __future__ import annotations

import email
import json
import re
import subprocess
import sys
import uuid
from email import policy
from pathlib import Path
from typing import Any

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.select import Select

from tests.browser.conftest import fill
from tests.browser.journey import (
    PASSWORD,
    box,
    button,
    choose_level,
    click,
    click_and_load,
    css,
    fill_profile,
    flashes,
    open_page,
    sign_up,
    start_assessment,
    tick,
    type_value,
    value_of,
    wait_until_saved,
)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
YEAR = 2023

# What the manufacturer types, page by page: plain fields by their form names.
TYPED: dict[str, dict[str, Any]] = {
    "collaboration": {"partners_online_active": 45, "partners_total": 60},
    "lean": {"units_sold": 98000, "units_produced": 100000, "operating_cost": 39000,
             "period_expenses": 6500, "operating_revenue": 52000, "outbound_amount": 41000,
             "average_inventory": 6800, "deliveries_on_time": 1860, "deliveries_total": 2000,
             "units_qualified": 99100, "units_output": 100000, "payments_on_time": 30500,
             "payments_due": 32000},
    "digital": {"digital_investment": 420, "orders_online": 7600, "orders_total": 9000,
                "security_investment": 55, "it_investment": 900, "security_incidents": 1},
    "green": {"output_value": 56000, "green_product_sales": 9000, "product_sales": 50000,
              "green_purchases": 4000, "purchases_total": 30000, "recycled_material_input": 800,
              "raw_material_input": 12000, "suppliers_sharing_carbon": 12,
              "customers_sharing_carbon": 5, "suppliers_active": 150, "customers_active": 90},
    "global": {"overseas_revenue": 7800},
    # the page that is left half-way: these are typed, then the page is closed
    "talent": {"scm_staff": 38, "total_staff": 460, "training_participations": 150,
               "trainings_held": 12, "scm_hires": 4, "scm_internal_promotions": 3},
}
LEVELS = {"collaboration": {"collaboration__organization": 3},
          "digital": {"digital__strategy": 3},
          "global": {"global__rule_participation": 2},
          "resilience": {"resilience__supply_control": 3, "resilience__production_control": 4,
                         "resilience__logistics_control": 3, "resilience__risk_warning": 2}}
ONLINE_AREAS = ("procurement", "production", "sales", "warehousing", "settlement", "quality")
RESOURCE_SHARES = {"production_capacity": 30, "warehousing": 40, "testing": 20,
                   "information_systems": 50}
NOT_APPLICABLE = ("global.footprint", "境外没有研发、产能和物流布局，只有少量直接出口。")


def fill_page(driver: WebDriver, code: str) -> None:
    """Type a page's answers, let the autosave confirm them, then press the page's save
    button as a careful person would, and see it confirmed."""
    open_page(driver, code)
    containers = []
    for name, value in TYPED.get(code, {}).items():
        type_value(driver, name, value)
        containers.append(box(driver, name))
    for name, level in LEVELS.get(code, {}).items():
        choose_level(driver, name, level)
        containers.append(box(driver, name))
    if code == "collaboration":
        for area in ONLINE_AREAS:
            tick(driver, "online_business_areas", area)
        tick(driver, "resource_sharing__rd_design__none")
        for sub, share in RESOURCE_SHARES.items():
            type_value(driver, f"resource_sharing__{sub}", share)
        containers += [box(driver, "online_business_areas"), box(driver, "resource_sharing")]
    if code == "global":
        na_code, reason = NOT_APPLICABLE
        na_box = css(driver, f".q-na[data-code='{na_code}']")
        tick(driver, "na__global__footprint")
        type_value(driver, "na__global__footprint__reason", reason)
        containers.append(na_box)
    wait_until_saved(driver, containers)
    click_and_load(driver, css(driver, ".q-submit button"))
    assert css(driver, ".flash-success").text.startswith("本页已保存。"), flashes(driver)


def fill_energy(driver: WebDriver) -> None:
    """Two energy carriers: the first row on the page, and one added with the button."""
    open_page(driver, "energy")
    table = css(driver, "table.q-rows[data-key='energy']")
    Select(css(driver, "select[name='energy-0-carrier']")).select_by_value("electricity")
    type_value(driver, "energy-0-quantity", 3_200_000)
    Select(css(driver, "select[name='energy-0-unit']")).select_by_value("kWh")
    click(driver, button(driver, "添加一行"))
    Select(css(driver, "select[name='energy-1-carrier']")).select_by_value("natural_gas")
    type_value(driver, "energy-1-quantity", 180_000)
    Select(css(driver, "select[name='energy-1-unit']")).select_by_value("m3")
    section = table.find_element(By.XPATH, "./ancestor::section")
    wait_until_saved(driver, [section])
    click_and_load(driver, css(driver, ".q-submit button"))
    assert css(driver, ".flash-success").text.startswith("本页已保存。"), flashes(driver)
    # both rows are stored and shown again, with an empty row for the next carrier
    assert Select(css(driver, "select[name='energy-1-carrier']")).first_selected_option \
        .get_attribute("value") == "natural_gas"
    assert value_of(driver, "energy-0-quantity") == "3200000"


def leave_half_way_and_return(driver: WebDriver, assessment_url: str) -> None:
    """Type on the talent page without pressing save, wait for the autosave, close the page
    (another address in the same tab), come back: the answers are there."""
    open_page(driver, "talent")
    typed = TYPED["talent"]
    for name, value in typed.items():
        type_value(driver, name, value)
    wait_until_saved(driver, [box(driver, name) for name in typed])
    talent_url = driver.current_url
    driver.get(assessment_url)
    assert "人才" in css(driver, "table.q-pages").text
    driver.get(talent_url)
    for name, value in typed.items():
        assert value_of(driver, name) == str(value), name
    # the page counts them as answered
    done, total = re.findall(r"\d+", css(driver, ".q-progress[data-scope='page']").text)
    assert done == total == str(len(typed))


def invite_reviewer(owner: WebDriver, reviewer: WebDriver, base_url: str, mail_dir: Path
                    ) -> None:
    """The owner invites a colleague as administrator; the colleague accepts in their own
    browser (the invitation link is read from the mail the server wrote)."""
    reviewer_email = f"reviewer-{uuid.uuid4().hex[:8]}@example.com"
    click(owner, css(owner, "nav.mainnav details.nav-more summary"))  # "机构" folds them
    click_and_load(owner, css(owner, "nav.mainnav a[href$='/members']"))
    invite_form = css(owner, "form[action$='/members/invite']")
    invite_form.find_element(By.NAME, "email").send_keys(reviewer_email)
    Select(invite_form.find_element(By.NAME, "role")).select_by_value("admin")
    click_and_load(owner, invite_form.find_element(By.TAG_NAME, "button"))
    assert reviewer_email in owner.find_element(By.TAG_NAME, "main").text
    link = invitation_link(mail_dir, reviewer_email)
    reviewer.get(link)
    click_and_load(reviewer, css(reviewer, "main a.button.primary"))
    assert value_of(reviewer, "email") == reviewer_email
    fill(reviewer, {"name": "李审核", "password": PASSWORD})
    click(reviewer, css(reviewer, "input[name='privacy']"))
    click_and_load(reviewer, css(reviewer, "form[action='/signup'] button"))
    assert "/t/" in reviewer.current_url, flashes(reviewer)


def invitation_link(mail_dir: Path, to: str) -> str:
    for path in mail_dir.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if message["To"] == to:
            body = message.get_body(preferencelist=("plain",))
            assert body is not None
            match = re.search(r"https?://\S+/invitations/\S+", body.get_content())
            assert match, body.get_content()
            return match.group(0)
    raise AssertionError(f"no invitation mail to {to} in {mail_dir}")


def submit(driver: WebDriver, assessment_url: str) -> None:
    driver.get(assessment_url)
    click_and_load(driver, button(driver, "提交审阅"))
    # the confirmation step says what submitting does; the same button confirms it
    assert "审阅" in css(driver, ".confirm-sentence").text
    click_and_load(driver, button(driver, "提交审阅"))
    assert css(driver, ".flash-success").text == "评估已提交审阅。", flashes(driver)


def review_and_return(reviewer: WebDriver, assessment_url: str, comment: str) -> None:
    reviewer.get(assessment_url)
    click_and_load(reviewer, button(reviewer, "审阅"))
    row = css(reviewer, "tr#ind-lean\\.on_time_delivery_rate")
    click(reviewer, row.find_element(By.CSS_SELECTOR, "details.review-add summary"))
    row.find_element(By.NAME, "body").send_keys(comment)
    click_and_load(reviewer, row.find_element(By.CSS_SELECTOR, "form.review-comment-form button"))
    assert comment in css(reviewer, "tr#ind-lean\\.on_time_delivery_rate").text
    click_and_load(reviewer, button(reviewer, "附意见退回"))
    click_and_load(reviewer, button(reviewer, "附意见退回"))  # confirmed
    assert css(reviewer, ".flash-success"), flashes(reviewer)


def fix_after_return(driver: WebDriver, assessment_url: str, comment: str) -> None:
    """The owner finds the comment next to the indicator and corrects the figure."""
    driver.get(assessment_url)
    assert "退回" in css(driver, ".page-head").text
    open_page(driver, "lean")
    section = css(driver, "section#lean\\.on_time_delivery_rate")
    assert comment in section.text
    type_value(driver, "deliveries_on_time", 1920)
    wait_until_saved(driver, [box(driver, "deliveries_on_time")])
    click_and_load(driver, css(driver, ".q-submit button"))
    assert css(driver, ".flash-success").text.startswith("本页已保存。"), flashes(driver)


def finalise(reviewer: WebDriver, assessment_url: str) -> None:
    reviewer.get(assessment_url)
    click_and_load(reviewer, button(reviewer, "审阅"))
    click_and_load(reviewer, button(reviewer, "定稿"))
    assert css(reviewer, ".confirm-sentence").text  # what finalising does, in one sentence
    click_and_load(reviewer, button(reviewer, "定稿"))
    assert "/results" in reviewer.current_url


def shown_overall_score(driver: WebDriver) -> str:
    return css(driver, ".results-overall .results-score").text.strip()


def exported_document(driver: WebDriver, base_url: str) -> bytes:
    """Download the JSON export with the browser session's cookies."""
    link = css(driver, ".io-actions a[href$='export.json']").get_attribute("href")
    assert link
    session = requests.Session()
    for cookie in driver.get_cookies():
        session.cookies.set(cookie["name"], cookie["value"])
    response = session.get(link, timeout=10)
    assert response.status_code == 200, response.text[:200]
    assert response.headers["Content-Type"].startswith("application/json")
    return response.content


def test_a_manufacturer_assesses_itself_in_chinese(live_server, browser, second_browser,
                                                    tmp_path):
    try:
        journey(live_server, browser, second_browser, tmp_path)
    except Exception:
        browser.save_screenshot(str(tmp_path / "failed-owner.png"))
        second_browser.save_screenshot(str(tmp_path / "failed-reviewer.png"))
        raise


def journey(live_server, browser, second_browser, tmp_path):
    base = live_server.url
    # 1. sign up
    sign_up(browser, live_server, "王工", "浙江示例精密机械有限公司")
    # 2. the profile
    fill_profile(browser, "浙江示例精密机械有限公司")
    assert "中型" in css(browser, ".size-class-current").text
    # 3. every page: the profile page of the questionnaire shows the profile
    assessment_url = start_assessment(browser, YEAR)
    open_page(browser, "profile")
    assert "浙江示例精密机械有限公司" in css(browser, "dl.facts").text
    for code in ("collaboration", "lean", "digital", "green", "global", "resilience"):
        fill_page(browser, code)
    browser.save_screenshot(str(tmp_path / "questionnaire-global.png"))
    fill_energy(browser)
    # 4. leave the talent page half-way (no save button) and come back
    leave_half_way_and_return(browser, assessment_url)
    browser.get(assessment_url)
    assert "100%" in css(browser, ".q-overall").text
    # 5. submit
    submit(browser, assessment_url)
    # 6. an administrator of the enterprise reviews and returns it with a comment
    invite_reviewer(browser, second_browser, base, Path(live_server.app.config["MAIL_FILE_DIR"]))
    comment = "准时交货次数与交货记录不符，请按 2023 年 ERP 出库单重新统计。"
    review_and_return(second_browser, assessment_url, comment)
    # 7. the owner fixes it and submits again; the reviewer finalises
    fix_after_return(browser, assessment_url, comment)
    submit(browser, assessment_url)
    finalise(second_browser, assessment_url)
    # 8. the results page shows the overall score that the engine computes from the export
    browser.get(assessment_url)
    click_and_load(browser, button(browser, "评估结果"))
    browser.save_screenshot(str(tmp_path / "results.png"))
    assert "定稿" in css(browser, ".results-final").text
    shown = shown_overall_score(browser)
    exported = tmp_path / "export.json"
    exported.write_bytes(exported_document(browser, base))
    evaluated = subprocess.run([sys.executable, "-m", "indicators", "evaluate", str(exported)],
                               capture_output=True, text=True, cwd=ROOT, timeout=60,
                               check=False)
    assert evaluated.returncode == 0, evaluated.stderr
    overall = json.loads(evaluated.stdout)["overall"]
    assert shown == f"{overall['score']:.1f}"
    # why each score is what it is: an indicator opens to its inputs, formula and band
    delivery = css(browser, "tr#ind-lean\\.on_time_delivery_rate")
    click(browser, delivery.find_element(By.CSS_SELECTOR, "details.trace summary"))
    trace = delivery.find_element(By.CSS_SELECTOR, "dl.trace-steps").text
    # in words and units, no input codes
    assert "准时交货次数：1,920 次 ÷ 总交货次数：2,000 次 × 100" in trace, trace
    assert "deliveries_on_time" not in trace, trace
    # the indicator declared not applicable says so, with the enterprise's reason
    footprint = css(browser, "tr#ind-global\\.footprint")
    assert "不适用" in footprint.text
    assert NOT_APPLICABLE[1] in footprint.text, footprint.text
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'});",
                           css(browser, "section#dim-lean"))
    browser.save_screenshot(str(tmp_path / "results-indicators.png"))


def test_in_english_the_results_explain_themselves(live_server, browser, tmp_path):
    """The same product in English: a newcomer switches language, answers one page and
    reads provisional results whose labels, names and figures are English and the engine's."""
    base = live_server.url
    sign_up(browser, live_server, "Li Wei", "Example Valves Co., Ltd.")
    click_and_load(browser, css(browser, "form.lang button"))
    assert css(browser, "html").get_attribute("lang") == "en"
    fill_profile(browser, "Example Valves Co., Ltd.")
    assert "Medium" in css(browser, ".size-class-current").text
    assessment_url = start_assessment(browser, YEAR)
    open_page(browser, "resilience")
    assert css(browser, "h1").text == "Supply-chain resilience and security"
    for name, level in LEVELS["resilience"].items():
        choose_level(browser, name, level)
    wait_until_saved(browser, [box(browser, name) for name in LEVELS["resilience"]])
    assert css(box(browser, "resilience__supply_control"), ".q-status").text == "Saved"
    browser.get(assessment_url)
    click_and_load(browser, button(browser, "Results"))
    browser.save_screenshot(str(tmp_path / "results-en.png"))
    assert "Provisional results" in css(browser, ".results-provisional").text
    assert css(browser, ".results-overall h2").text == "Overall index"
    row = css(browser, "tr#ind-resilience\\.production_control")
    assert "Production autonomy and control" in row.text
    assert "Scored" in row.text and "Self-declared" in row.text
    assert "Missing" in css(browser, "tr#ind-lean\\.on_time_delivery_rate").text
    exported = tmp_path / "export.json"
    exported.write_bytes(exported_document(browser, base))
    evaluated = subprocess.run([sys.executable, "-m", "indicators", "evaluate", str(exported)],
                               capture_output=True, text=True, cwd=ROOT, timeout=60,
                               check=False)
    assert evaluated.returncode == 0, evaluated.stderr
    assert shown_overall_score(browser) == f"{json.loads(evaluated.stdout)['overall']['score']:.1f}"
