"""A newcomer signs up in Chinese, opens the confirmation link, switches to English, signs
out and back in."""

from __future__ import annotations

import uuid

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import fill
from tests.browser.journey import confirmation_link

pytestmark = pytest.mark.browser


def _wait_for_url(browser, wanted) -> None:
    """A click that submits a form returns before the next page is there: wait for it."""
    WebDriverWait(browser, 10).until(lambda driver: wanted(driver.current_url))


def _wait_for_language(browser, lang: str) -> None:
    """The switch posts a form and reloads: wait for the new page, not the old one."""
    WebDriverWait(browser, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda driver: driver.find_element("tag name", "html").get_attribute("lang") == lang)


def test_sign_up_switch_language_sign_out_and_in(live_server, browser):
    email = f"newcomer-{uuid.uuid4().hex[:8]}@example.com"
    browser.get(f"{live_server.url}/signup")
    assert browser.find_element("tag name", "html").get_attribute("lang") == "zh-CN"
    fill(browser, {"email": email, "name": "王工", "password": "a-long-password-1",
                   "organisation": "示例精密机械有限公司"})
    browser.find_element("css selector", "input[name='privacy']").click()
    browser.find_element("css selector", "form[action='/signup'] button").click()
    WebDriverWait(browser, 10).until(
        lambda driver: email in driver.find_element("tag name", "main").text)
    assert browser.find_element("tag name", "h1").text == "请查收邮件"  # "check your e-mail"
    browser.get(confirmation_link(live_server, email))
    _wait_for_url(browser, lambda url: "/t/" in url)
    assert "示例精密机械有限公司" in browser.find_element("tag name", "h1").text

    browser.find_element("css selector", "form.lang button").click()
    _wait_for_language(browser, "en")
    browser.find_element("css selector", "nav.mainnav details.nav-more summary").click()
    assert "Members" in browser.find_element("css selector", "nav.mainnav").text

    browser.find_element("xpath", "//button[normalize-space()='Sign out']").click()
    _wait_for_url(browser, lambda url: url.endswith("/login"))
    fill(browser, {"email": email, "password": "a-long-password-1"})
    browser.find_element("css selector", "main form button").click()
    _wait_for_url(browser, lambda url: "/t/" in url)
    # the stored preference (English) follows the user back in
    _wait_for_language(browser, "en")
