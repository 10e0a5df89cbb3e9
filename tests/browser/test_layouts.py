"""Layouts that hold on every screen (issue 14): every page every persona reaches, in
Chinese and in English, laid out 390 px (a phone), 768 px (a tablet) and 1400 px (a desktop
window) wide: the page is never wider than the window, no button is narrower than its label,
no dropdown cuts off its chosen option.

The pages are found by following the links of each persona's own pages (the demo data: an
enterprise with finalised years and a draft, an association with its members, a consultancy
with its clients, and an administrator of an enterprise whose assessment came back from its
reviewer), so that a new page is measured as soon as something links to it.

Screenshots of a few key pages at phone and desktop width are written to the test's
temporary directory; with ``CHAINGAUGE_SCREENSHOTS=1`` they replace the ones in
``docs/screenshots/`` that the README shows (reduced to a small palette to stay small).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import LiveServer, chromium, fill, serve, shut
from tests.browser.journey import click_and_load, css
from tests.browser.layout import WIDTHS, Problem, crawl, measure, pattern, reset_width, set_width

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
MEMBERS = 12  # enough members for the association's distributions and cohort


@dataclass(frozen=True)
class Persona:
    name: str
    email: str | None  # None: a visitor, not signed in
    start: str  # the first page, and the prefix of every page the crawl follows
    # pattern of a page (ids as "*") -> the screenshot's name
    shots: tuple[tuple[str, str], ...] = ()
    # pages measured first (one page per URL pattern is measured): a linked organisation's
    # results, and the review of the assessment waiting for review (with the reviewer's
    # forms), which no link or a later link leads to; formatted with the ids of ``demo``
    extra: tuple[str, ...] = ()


PERSONAS = (
    Persona("visitor", None, "/", (("/", "landing"),)),
    Persona("enterprise", "enterprise.owner", "/t/demo-enterprise/", (
        ("/t/demo-enterprise/", "enterprise-overview"),
        ("/t/demo-enterprise/assessments/*/results", "enterprise-results"),
        ("/t/demo-enterprise/assessments/*/pages/energy", "enterprise-energy"),
    ), ("/account/sessions",)),
    Persona("association", "association.owner", "/t/demo-association/", (
        ("/t/demo-association/dashboard/", "association-dashboard"),
        ("/t/demo-association/reports/cohort", "association-cohort-reports"),
    ), ("/t/demo-association/clients/{m01}/assessments/{m01_2025}/results",
        "/t/demo-association/clients/{m01}/assessments/{m01_2025}/review")),
    Persona("consultancy", "consultancy.owner", "/t/demo-consultancy/", (
        ("/t/demo-consultancy/clients/*/assessments/*/review", "consultancy-review"),
    ), ("/t/demo-consultancy/clients/{m05}/assessments/{m05_2026}/review",
        "/t/demo-consultancy/clients/{m02}/assessments/{m02_2025}/results")),
    Persona("admin", "demo-m02.admin", "/t/demo-m02/", ()),
)


@dataclass(frozen=True)
class Demo:
    server: LiveServer
    ids: dict[str, str]  # "m01": a member's tenant id, "m01_2025": its assessment of 2025


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """A live server holding the demo, plus an administrator (not the owner) of the demo
    enterprise whose draft the consultancy returned with comments, and a consultancy
    client's draft submitted for review (the reviewer's forms show only then)."""
    from sqlmodel import select

    from assessment.assessments import services
    from assessment.assessments.models import Assessment
    from assessment.demo import load
    from tenants import demo as platform_demo
    from tenants.context import set_tenant
    from tenants.extensions import db
    from tenants.models import Role
    from tenants.queries import membership, tenant_by_slug, user_by_email
    from tenants.security import hash_password

    server = serve(tmp_path_factory.mktemp("layouts"))
    app = server.app
    ids: dict[str, str] = {}
    with app.test_request_context(), db.commit_scope():
        load(MEMBERS)
        admin = platform_demo.demo_user(platform_demo.demo_email("demo-m02.admin"),
                                        "企业管理员", hash_password(app.config["DEMO_PASSWORD"]))
        for member in ("m01", "m02", "m05"):
            tenant = tenant_by_slug(f"demo-{member}")
            assert tenant is not None
            ids[member] = str(tenant.id)
            set_tenant(db.session, tenant.id)
            for assessment in db.session.exec(select(Assessment)).all():
                ids[f"{member}_{assessment.year}"] = str(assessment.id)
                if member == "m05" and assessment.year == 2026:  # a client of the consultancy
                    owner = user_by_email(platform_demo.demo_email("demo-m05.owner"))
                    assert owner is not None
                    owned = membership(tenant.id, owner.id)
                    assert owned is not None
                    services.submit(assessment, owned)
            if member == "m02":
                platform_demo.demo_member(tenant, admin, Role.admin)
        set_tenant(db.session, None)
    yield Demo(server, ids)
    shut(server)


def _sign_in(driver: WebDriver, server: LiveServer, persona: Persona) -> None:
    if persona.email is None:
        return
    driver.get(f"{server.url}/login")
    fill(driver, {"email": f"{persona.email}@demo.chaingauge.example.com",
                  "password": server.app.config["DEMO_PASSWORD"]})
    click_and_load(driver, css(driver, "main form button"))
    assert "/t/" in driver.current_url, driver.current_url


def _language(driver: WebDriver, wanted: str) -> None:
    """Switch the interface to ``wanted`` ("zh-CN" or "en") with the page's own switch."""
    if css(driver, "html").get_attribute("lang") == wanted:
        return
    click_and_load(driver, css(driver, "form.lang button"))
    WebDriverWait(driver, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: css(d, "html").get_attribute("lang") == wanted)


def _shoot(driver: WebDriver, name: str, directory: Path) -> None:
    png = driver.get_screenshot_as_png()
    (directory / f"{name}.png").write_bytes(png)
    if os.environ.get("CHAINGAUGE_SCREENSHOTS") == "1":
        from PIL import Image

        image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=64)
        SHOTS.mkdir(parents=True, exist_ok=True)
        image.save(SHOTS / f"{name}.png", optimize=True)


@pytest.mark.parametrize("persona", PERSONAS, ids=[p.name for p in PERSONAS])
def test_every_page_holds_at_every_width(demo: Demo, persona: Persona, tmp_path: Path
                                         ) -> None:
    demo_server = demo.server
    driver = chromium("zh-CN")
    try:
        _sign_in(driver, demo_server, persona)
        # The crawl asks for elements that are usually absent (an error page): it must not
        # wait the implicit five seconds for each of them.
        driver.implicitly_wait(0)
        starts = [demo_server.url + path.format(**demo.ids)
                  for path in (persona.start, *persona.extra)]
        pages, unreachable = crawl(driver, starts, persona.start)
        assert len(pages) >= 3, pages
        shots = dict(persona.shots)
        problems: list[Problem] = []
        for language in ("zh-CN", "en"):
            driver.get(pages[0])
            _language(driver, language)
            for url in pages:
                reset_width(driver)
                driver.get(url)
                page = url.removeprefix(demo_server.url)
                for width in WIDTHS:
                    problems += measure(driver, page, language, width)
                    name = shots.get(pattern(url))
                    if name and language == "zh-CN" and width in (390, 1400):
                        set_width(driver, width)
                        _shoot(driver, f"{name}-{width}", tmp_path)
        (tmp_path / "pages.json").write_text(json.dumps(
            {"pages": pages, "unreachable": unreachable}, ensure_ascii=False, indent=1))
        assert not problems, (f"{len(problems)} layout problems on {len(pages)} pages:\n"
                              + "\n".join(map(str, problems)))
        assert not unreachable, f"links to error pages: {unreachable}"
    finally:
        driver.quit()


def test_the_measures_find_what_they_must(browser: WebDriver, tmp_path: Path) -> None:
    """The checks can fail: a page with a wide block, a button squeezed to one character per
    line, a cut-off dropdown and a top bar of wrapping links shows every problem, and the
    same page with those fixed shows none."""
    page = tmp_path / "broken.html"
    page.write_text("""<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{margin:0;font:15px sans-serif} .wide{width:700px} .slim{width:30px}
header a{display:inline-block;width:300px} select{width:60px}</style></head><body>
<header class="topbar"><a>one</a><a>two</a><a>three</a><a>four</a></header>
<div class="wide">wide</div><button class="slim">生成全部报告</button>
<select><option>A rather long choice</option></select>
<div style="overflow-x:auto"><table><tr><td class="wide">inside a scrolling box</td></tr>
</table></div>
</body></html>""", encoding="utf-8")
    browser.get(page.as_uri())
    found = [p.what for p in measure(browser, "broken", "zh-CN", 390)]
    assert any(w.startswith("page 7") and "div.wide" in w for w in found), found
    assert any("button narrower than its label" in w and "生成全部报告" in w for w in found), found
    assert any("dropdown cuts off" in w for w in found), found
    assert any("top bar" in w for w in found), found
    browser.execute_script("""
        document.querySelector('body > .wide').remove();
        document.querySelector('.slim').className = '';
        document.querySelector('select').style.width = 'auto';
        document.querySelectorAll('header a').forEach(a => a.style.width = 'auto');""")
    assert measure(browser, "fixed", "zh-CN", 390) == []
