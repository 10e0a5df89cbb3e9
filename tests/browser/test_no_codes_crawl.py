"""Words, not codes: a headless Chromium crawls every page each persona can reach, in Chinese
and in English, and fails on any visible internal code or maintainer's note.

The personas come from the demo (loaded into the live server's database): the demo
enterprise's owner, an administrator and an assessor added to it, a member enterprise's owner
(linked to the association and the consultancy), the association's owner and the
consultancy's owner and reviewer. Every same-site link is followed (GET only; downloads,
exports and sign-out are not pages), each URL shape at most twice, with every ``<details>``
opened so that traces and comments are read too. Anonymous pages (landing, sign-in, sign-up,
privacy notice) are crawled as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.conftest import chromium, fill
from tests.browser.journey import click_and_load, css
from tests.browser.visible_codes import findings

pytestmark = pytest.mark.browser

DEMO_MEMBERS = 5  # members 1 and 4 are consultancy clients (assessment/demo.py)
DOMAIN = "demo.chaingauge.example.com"
PER_SHAPE = 2
MAX_PAGES = 90
# Not pages a person reads: files, machine answers, actions reached by GET.
SKIP = re.compile(r"/logout|/export|\.pdf|\.xlsx|\.csv|\.zip|\.json|/download|/static/|"
                  r"/language|/api/|/render|/progress|/evidence/[0-9a-f-]{36}$|/healthz|"
                  r"/sessions/[0-9a-f-]{36}/end|/verify/|/reset/|/invitations/")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _shape(path: str) -> str:
    """The URL with its ids and numbers replaced: pages of one shape share a template."""
    return re.sub(r"/\d+(?=/|$)", "/N", _UUID.sub("ID", path))


@pytest.fixture(scope="module")
def personas(live_server: Any) -> dict[str, tuple[str, str]]:
    """Persona → (e-mail, password), after loading the demo into the live server."""
    from sqlmodel import select

    from assessment import demo
    from tenants.context import set_tenant
    from tenants.db import db
    from tenants.models import Membership, Role, Tenant
    from tests.factories import PASSWORD, make_user

    app = live_server.app
    with app.test_request_context(), db.commit_scope():
        demo.load(DEMO_MEMBERS)
    users = [(make_user(app, f"{local}@example.com", name=local), role)
             for local, role in (("crawl.admin", Role.admin), ("crawl.assessor", Role.assessor))]
    with app.app_context():
        enterprise = db.session.exec(select(Tenant).where(Tenant.slug == "demo-enterprise")).one()
        set_tenant(db.session, enterprise.id)
        for user, role in users:
            db.session.add(Membership(tenant_id=enterprise.id, user_id=user.id, role=role))
        db.commit()
    password = app.config["DEMO_PASSWORD"]
    return {
        "enterprise owner": (f"enterprise.owner@{DOMAIN}", password),
        "enterprise admin": ("crawl.admin@example.com", PASSWORD),
        "enterprise assessor": ("crawl.assessor@example.com", PASSWORD),
        "member enterprise": (f"demo-m01.owner@{DOMAIN}", password),
        "association": (f"association.owner@{DOMAIN}", password),
        "consultancy": (f"consultancy.owner@{DOMAIN}", password),
        "consultancy reviewer": (f"consultancy.reviewer@{DOMAIN}", password),
    }


@pytest.fixture(params=["zh-CN", "en"])
def reader(request: pytest.FixtureRequest) -> Iterator[tuple[WebDriver, str]]:
    driver = chromium(request.param)
    driver.implicitly_wait(0)
    try:
        yield driver, request.param
    finally:
        driver.quit()


def _visible_text(driver: WebDriver) -> str:
    driver.execute_script("document.querySelectorAll('details').forEach(d => d.open = true);")
    return str(driver.execute_script("return document.body.innerText;"))


def _links(driver: WebDriver, origin: str) -> list[str]:
    hrefs = driver.execute_script(
        "return Array.from(document.querySelectorAll('a[href]')).map(a => a.href);")
    out = []
    for href in hrefs or []:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIP.search(path):
            out.append(path)
    return out


def _switch_to(driver: WebDriver, lang: str) -> None:
    """The stored preference of a demo user may differ from the browser's: use the switch."""
    wanted = "en" if lang == "en" else "zh-CN"
    if css(driver, "html").get_attribute("lang") != wanted:
        click_and_load(driver, css(driver, "form.lang button"))
    assert css(driver, "html").get_attribute("lang") == wanted


def _crawl(driver: WebDriver, origin: str, start: str, lang: str) -> dict[str, Any]:
    """Every reachable page's findings: {path: {kind: hits}}; also the pages crawled."""
    seen_shapes: dict[str, int] = {}
    queue, visited, problems = [start], set(), {}
    while queue and len(visited) < MAX_PAGES:
        path = queue.pop(0)
        shape = _shape(path.split("?")[0])
        if path in visited or seen_shapes.get(shape, 0) >= PER_SHAPE:
            continue
        visited.add(path)
        seen_shapes[shape] = seen_shapes.get(shape, 0) + 1
        driver.get(origin + path)
        if "/login" in driver.current_url and "/login" not in path:
            continue  # signed out by a page (should not happen): nothing to read
        found = findings(_visible_text(driver))
        # an English report previewed from a Chinese page speaks English on purpose
        english_report = "lang=en" in path.split("?", 1)[-1]
        if lang != "en" and not english_report and "Source:" in driver.find_element(
                By.TAG_NAME, "body").text:
            found.setdefault("English on a Chinese page", set()).add("Source:")
        if found:
            problems[path] = found
        queue.extend(p for p in _links(driver, origin) if p not in visited)
    return {"problems": problems, "pages": visited}


def _report(problems: dict[str, dict[str, set[str]]]) -> str:
    lines = []
    for path, found in sorted(problems.items()):
        for kind, hits in sorted(found.items()):
            lines.append(f"{path}: {kind}: {', '.join(sorted(hits)[:6])}")
    return "\n".join(lines)


@pytest.mark.parametrize("persona", ["enterprise owner", "enterprise admin",
                                     "enterprise assessor", "member enterprise",
                                     "association", "consultancy", "consultancy reviewer"])
def test_no_persona_sees_a_code(live_server, personas, reader, persona):
    driver, lang = reader
    email, password = personas[persona]
    driver.get(f"{live_server.url}/login")
    fill(driver, {"email": email, "password": password})
    click_and_load(driver, css(driver, "main form button"))
    assert "/login" not in driver.current_url, f"{persona} could not sign in"
    _switch_to(driver, lang)
    start = urlsplit(driver.current_url).path
    crawled = _crawl(driver, live_server.url, start, lang)
    assert len(crawled["pages"]) >= 3, crawled["pages"]
    assert not crawled["problems"], f"{persona} ({lang}) sees codes:\n" + \
        _report(crawled["problems"])


def test_the_public_pages_show_no_code(live_server, personas, reader):
    driver, _lang = reader
    problems = {}
    for path in ("/", "/login", "/signup", "/privacy", "/password/forgot"):
        driver.get(live_server.url + path)
        found = findings(_visible_text(driver))
        if found:
            problems[path] = found
    assert not problems, _report(problems)
