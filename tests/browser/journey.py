"""Steps a person takes in the browser, shared by the assessment journey and the conflict
test: signing up, the profile, starting an assessment, typing into questionnaire fields and
waiting for the page's autosave to confirm them."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from email import message_from_bytes as email_message
from email import policy as email_policy
from pathlib import Path
from typing import Any

from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from assessment.profiles.rules import uscc_check_character
from tests.browser.conftest import fill

PASSWORD = "a-long-password-1"
WAIT = 10


def wait_for(driver: WebDriver, condition: Callable[[WebDriver], Any], timeout: float = WAIT
             ) -> Any:
    return WebDriverWait(driver, timeout,
                         ignored_exceptions=(StaleElementReferenceException,)).until(condition)


def css(driver: WebDriver | WebElement, selector: str) -> WebElement:
    return driver.find_element(By.CSS_SELECTOR, selector)


def click(driver: WebDriver, element: WebElement) -> None:
    """Click as a person would, after bringing the element to the middle of the window
    (the top bar is sticky and would otherwise cover elements scrolled to the top)."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def click_and_load(driver: WebDriver, element: WebElement) -> None:
    """Click a link or a submit button and wait until the next page has replaced this one."""
    old = css(driver, "html")
    click(driver, element)
    wait_for(driver, lambda _driver: _replaced(old))


def _replaced(element: WebElement) -> bool:
    """Whether ``element`` has left the document. Chromium 156 sometimes answers a question
    about a node of the page being replaced with "Node ... does not belong to the document"
    rather than a stale-element error; both mean the same here."""
    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise
    return False


def button(driver: WebDriver, text: str, within: str = "main") -> WebElement:
    """The button (or link styled as one) whose visible text is ``text``."""
    for element in driver.find_elements(By.CSS_SELECTOR, f"{within} button, {within} a"):
        if element.text.strip() == text:
            return element
    raise AssertionError(f"no button {text!r} on {driver.current_url}")


def flashes(driver: WebDriver) -> str:
    return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".flash"))


def valid_credit_code() -> str:
    first17 = "91330100MA2" + uuid.uuid4().hex[:6].upper().translate(
        str.maketrans("ABCDEF", "ABCDEG"))
    return first17 + uscc_check_character(first17)


def confirmation_link(live_server: Any, to: str) -> str:
    """The confirmation link mailed to ``to`` (the live server writes mail as files)."""
    directory = Path(live_server.app.config["MAIL_FILE_DIR"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for path in directory.glob("*.eml"):
            message = email_message(path.read_bytes(), policy=email_policy.default)
            if message["To"] == to:
                match = re.search(r"https?://\S*/verify/\S+", message.get_content())
                assert match, "no confirmation link in the mail"
                return live_server.url + "/verify/" + match.group(0).split("/verify/", 1)[1]
        time.sleep(0.1)
    raise AssertionError(f"no mail to {to}")


def sign_up(driver: WebDriver, live_server: Any, name: str, organisation: str
            ) -> tuple[str, str]:
    """A newcomer creates an account and an enterprise and opens the confirmation link
    mailed to them (which signs them in); returns the tenant's base URL and the account's
    e-mail address."""
    base_url = live_server.url
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    driver.get(f"{base_url}/signup")
    fill(driver, {"email": email, "name": name, "password": PASSWORD,
                  "organisation": organisation})
    click(driver, css(driver, "input[name='privacy']"))  # consent to the privacy notice
    click_and_load(driver, css(driver, "form[action='/signup'] button"))
    assert email in css(driver, "main").text  # "we have sent a message to ..."
    driver.get(confirmation_link(live_server, email))
    WebDriverWait(driver, 10).until(lambda d: "/t/" in d.current_url)
    match = re.search(r"(/t/[^/]+)/", driver.current_url)
    assert match, driver.current_url
    return base_url + match.group(1), email


def sign_in(driver: WebDriver, base_url: str, email: str) -> None:
    driver.get(f"{base_url}/login")
    fill(driver, {"email": email, "password": PASSWORD})
    click_and_load(driver, css(driver, "main form button"))
    assert "/t/" in driver.current_url, flashes(driver)


def fill_profile(driver: WebDriver, legal_name: str) -> None:
    """Open the profile from the main navigation and save it."""
    click_and_load(driver, css(driver, "nav.mainnav a[href$='/profile/']"))
    fill(driver, {"legal_name": legal_name, "credit_code": valid_credit_code(),
                  "employees": "460", "revenue_wan": "52000"})
    Select(driver.find_element(By.NAME, "industry_division")).select_by_value("C34")
    Select(driver.find_element(By.NAME, "province")).select_by_value("33")
    click_and_load(driver, css(driver, "form.profile-form button"))
    assert css(driver, ".flash-success"), flashes(driver)


def start_assessment(driver: WebDriver, year: int) -> str:
    """Start an assessment from the assessments list; returns the assessment page's URL."""
    click_and_load(driver, css(driver, "nav.mainnav a[href$='/assessments/']"))
    fill(driver, {"year": year})
    click_and_load(driver, css(driver, "form.row-form button"))
    assert re.search(r"/assessments/[0-9a-f-]{36}$", driver.current_url), flashes(driver)
    return driver.current_url


def open_page(driver: WebDriver, code: str) -> None:
    """Go to a questionnaire page through the page links (the assessment page's table or
    the questionnaire's own page navigation)."""
    # one selector for both places: find_elements on a missing one would sit out the
    # driver's implicit wait
    link = css(driver, f"nav.q-nav a[href$='/pages/{code}'], "
                       f"table.q-pages a[href$='/pages/{code}']")
    click_and_load(driver, link)
    wait_for(driver, lambda d: d.execute_script("return document.readyState") == "complete")


# -- typing into the questionnaire --------------------------------------------------------
def box(driver: WebDriver, name: str) -> WebElement:
    return css(driver, f".q-field[data-name='{name}']")


def type_value(driver: WebDriver, name: str, value: Any) -> None:
    element = driver.find_element(By.NAME, name)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.clear()
    element.send_keys(str(value))


def choose_level(driver: WebDriver, name: str, level: int) -> None:
    click(driver, css(driver, f"input[name='{name}'][value='{level}']"))


def tick(driver: WebDriver, name: str, value: str | None = None) -> None:
    selector = f"input[name='{name}']" + (f"[value='{value}']" if value else "")
    element = css(driver, selector)
    if not element.is_selected():
        click(driver, element)


def saved(driver: WebDriver, container: WebElement) -> bool:
    status = container.find_element(By.CSS_SELECTOR, ".q-status")
    return "saved" in (status.get_attribute("class") or "").split()


def wait_until_saved(driver: WebDriver, containers: list[WebElement]) -> None:
    """Wait for the autosave to confirm every container (a field, a not-applicable box, an
    energy section) and for no save to be in flight anywhere on the page."""
    saving = driver.find_element(By.CSS_SELECTOR, "form.questionnaire").get_attribute(
        "data-msg-saving")

    def settled(d: WebDriver) -> bool:
        try:
            busy = [s for s in d.find_elements(By.CSS_SELECTOR, ".q-status")
                    if s.text == saving]
            return not busy and all(saved(d, c) for c in containers)
        except WebDriverException:  # a node replaced while being read: look again
            return False

    try:
        wait_for(driver, settled)
    except Exception:  # say which field did not save, and what it shows instead
        shown = {c.get_attribute("data-name") or c.get_attribute("data-code") or "section":
                 c.find_element(By.CSS_SELECTOR, ".q-status").text for c in containers
                 if not saved(driver, c)}
        errors = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "p.error") if e.text]
        raise AssertionError(f"not saved: {shown}; errors: {errors}") from None


def value_of(driver: WebDriver, name: str) -> str:
    return driver.find_element(By.NAME, name).get_attribute("value") or ""
