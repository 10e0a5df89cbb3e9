"""An association secretary runs a round in the browser: creates a campaign, uploads 40
members, 5 join through their invitation links and accept the link, the reminders go out,
the status board moves, one finalises, and the association dashboard shows it."""

from __future__ import annotations

import re
import time
import uuid
from datetime import timedelta
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By

from tests.browser.conftest import fill
from tests.browser.journey import (
    PASSWORD,
    click,
    click_and_load,
    confirmation_link,
    css,
    flashes,
    wait_for,
)
from tests.integration.campaigns.factories import csv_bytes, member_row

pytestmark = pytest.mark.browser
MEMBERS = 40
JOINING = 5


def _mails_to(live_server: Any, to: str) -> list[Any]:
    directory = Path(live_server.app.config["MAIL_FILE_DIR"])
    found = []
    for path in sorted(directory.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
        message = message_from_bytes(path.read_bytes(), policy=email_policy.default)
        if message["To"] == to:
            found.append(message)
    return found


def _link(live_server: Any, to: str, path: str) -> str:
    """The link under ``path`` in a mail to ``to`` (the invitation, the confirmation)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for message in _mails_to(live_server, to):
            match = re.search(rf"https?://\S*{path}\S+", message.get_content())
            if match:
                return live_server.url + path + match.group(0).split(path, 1)[1]
        time.sleep(0.2)
    raise AssertionError(f"no mail to {to} with {path}")


def _count(driver: Any, status: str) -> int:
    return int(css(driver, f".status-count-{status} strong").text)


def test_an_association_runs_a_round(live_server, browser, second_browser, tmp_path):
    from assessment.campaigns import reminders
    from tenants.types import utcnow

    tag = uuid.uuid4().hex[:6]
    email = f"secretary-{tag}@example.com"
    # -- the secretary signs up as an association ------------------------------------------
    browser.get(f"{live_server.url}/signup")
    fill(browser, {"email": email, "name": "协会秘书", "password": PASSWORD,
                   "organisation": f"福建省机械行业协会{tag}"})
    click(browser, css(browser, "input[name='kind'][value='association']"))
    click(browser, css(browser, "input[name='privacy']"))
    click_and_load(browser, css(browser, "form[action='/signup'] button"))
    browser.get(confirmation_link(live_server, email))
    wait_for(browser, lambda d: "/t/" in d.current_url)
    assert re.search(r"/t/[^/]+/", browser.current_url)

    # -- a campaign with a deadline ten days away ------------------------------------------
    click_and_load(browser, css(browser, "nav.mainnav a[href$='/campaigns/']"))
    assert css(browser, "h1").text == "评估活动"
    click_and_load(browser, css(browser, "a[href$='/campaigns/new']"))
    today = reminders.local_day(utcnow())
    fill(browser, {"name": f"{today.year} 年度会员评估"})
    browser.execute_script("arguments[0].value = arguments[1]",
                           css(browser, "input[name='deadline']"),
                           (today + timedelta(days=10)).isoformat())
    click_and_load(browser, css(browser, "main form button"))
    assert "活动已创建" in flashes(browser)
    board_url = browser.current_url

    # -- the member list: 40 rows ----------------------------------------------------------
    listing = tmp_path / "members.csv"
    listing.write_bytes(csv_bytes([member_row(n + 500, email=f"m{n}-{tag}@example.com")
                                   for n in range(MEMBERS)]))
    click_and_load(browser, css(browser, "a[href$='/upload']"))
    browser.find_element(By.NAME, "file").send_keys(str(listing))
    click_and_load(browser, css(browser, "main form button"))
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".upload-done"), timeout=30)
    assert "已添加 40 家企业" in css(browser, ".upload-done").text
    browser.get(board_url)
    assert _count(browser, "invited") == MEMBERS

    # -- five members join through their invitations and accept the link ------------------
    joined = []
    for n in range(JOINING):
        member_email = f"m{n}-{tag}@example.com"
        second_browser.delete_all_cookies()
        second_browser.get(_link(live_server, member_email, "/campaigns/join/"))
        assert (css(second_browser, "input[name='organisation']").get_attribute("value")
                == f"福建测试制造{n + 500}有限公司")
        fill(second_browser, {"password": PASSWORD})
        click(second_browser, css(second_browser, "input[name='privacy']"))
        click_and_load(second_browser, css(second_browser,
                                           "form input[value='signup'] ~ button, "
                                           "form button.primary"))
        second_browser.get(_link(live_server, member_email, "/verify/"))
        wait_for(second_browser, lambda d: "/t/" in d.current_url)
        member_base = re.search(r"(.*/t/[^/]+)/", second_browser.current_url).group(1)
        second_browser.get(f"{member_base}/links")
        click_and_load(second_browser, css(second_browser,
                                           "form[action*='/accept'] button"))
        joined.append(member_base.rsplit("/", 1)[1])
    browser.get(board_url)
    assert _count(browser, "invited") == MEMBERS - JOINING
    assert _count(browser, "signed_up") == JOINING

    # -- the reminders go out (the daily job, run by its command) ------------------------
    result = live_server.app.test_cli_runner().invoke(args=["campaigns", "remind"])
    assert "messages: 40" in result.output, result.output
    from tenants.jobs import wait_for_background_jobs

    wait_for_background_jobs()  # the messages go out in delivery jobs after the run
    assert len(_mails_to(live_server, f"m{JOINING}-{tag}@example.com")) == 2  # invite + 1
    browser.get(board_url)
    assert {c.text for c in browser.find_elements(
        By.CSS_SELECTOR, ".campaign-board td.num:last-child")} == {"1"}

    # -- one member finalises its assessment of the year; the board and dashboard move ----
    from tenants.extensions import db
    from tenants.models import Tenant
    from tests.factories.assessments import make_assessment

    with live_server.app.app_context():
        from sqlmodel import select

        finaliser = db.session.exec(select(Tenant).where(Tenant.slug == joined[0])).one()
        db.session.expunge(finaliser)
    make_assessment(live_server.app, finaliser, year=today.year, finalise=True)
    browser.get(board_url)
    assert _count(browser, "finalised") == 1
    assert _count(browser, "signed_up") == JOINING - 1
    click_and_load(browser, css(browser, "nav.mainnav a[href$='/dashboard/']"))
    assert finaliser.name in css(browser, "main").text
