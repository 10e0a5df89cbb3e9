"""Measuring a page's layout in the browser: horizontal overflow of the document, buttons
narrower than their labels, dropdowns that cut off the chosen option.

The measures run as one script in the page, at a viewport width set through the DevTools
protocol (``Emulation.setDeviceMetricsOverride``), so that one loaded page is measured at
every width without reloading it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

WIDTHS = (390, 768, 1400)  # a phone, a tablet standing, a desktop window
HEIGHTS = {390: 844, 768: 1024, 1400: 900}
TOPBAR_HEIGHT = 70  # one line of the top bar (a closed menu on a phone); two lines are ~100
# Files, downloads and actions: links the crawl does not follow.
SKIPPED = re.compile(r"\.(pdf|zip|json|csv|xlsx)$|/evidence/[0-9a-f-]{36}$|/switch$|/logout$")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

# One script: the document's widths, the outermost elements that stick out of the window
# (outside any scrolling box), and every visible button, link styled as a button and
# dropdown whose content box is narrower than its label on one line.
MEASURE = r"""
const doc = document.documentElement, viewport = doc.clientWidth;
const describe = (el) => {
  let name = el.tagName.toLowerCase();
  if (el.id) name += '#' + el.id;
  if (typeof el.className === 'string' && el.className.trim())
    name += '.' + el.className.trim().split(/\s+/).join('.');
  const text = (el.innerText || el.value || '').trim().replace(/\s+/g, ' ');
  return text ? name + ' "' + text.slice(0, 40) + '"' : name;
};
const visible = (el) => el.getClientRects().length > 0 && el.getBoundingClientRect().width > 0;
// a 1-pixel box is hidden from the eye on purpose (.sr-only: read by screen readers only)
const forReadersOnly = (el) => {
  const box = el.getBoundingClientRect();
  return box.width <= 1 && box.height <= 1;
};
const scrolls = (el) => {
  // an absolutely placed box escapes a scrolling ancestor that is not its containing block
  if (['absolute', 'fixed'].includes(getComputedStyle(el).position)) return false;
  for (let a = el.parentElement; a && a !== doc; a = a.parentElement) {
    const overflow = getComputedStyle(a).overflowX;
    if (overflow !== 'visible' && overflow !== 'clip') return true;
  }
  return false;
};
const wide = [];
if (doc.scrollWidth > viewport) {
  for (const el of document.body.querySelectorAll('*')) {
    if (!visible(el) || scrolls(el)) continue;
    const right = el.getBoundingClientRect().right + window.scrollX;
    const parent = el.parentElement;
    const parentRight = parent.getBoundingClientRect().right + window.scrollX;
    if (right > viewport + 1 && (parent === document.body || parentRight <= viewport + 1))
      wide.push(describe(el) + ' right edge at ' + Math.round(right) + ' px');
    if (wide.length >= 6) break;
  }
}
const probe = document.createElement('span');
probe.style.cssText = 'position:absolute;left:-99999px;top:0;visibility:hidden;white-space:pre;';
document.body.appendChild(probe);
const natural = (el, text) => {
  const cs = getComputedStyle(el);
  probe.style.font = cs.font;
  probe.style.letterSpacing = cs.letterSpacing;
  probe.style.textTransform = cs.textTransform;
  probe.textContent = text;
  return probe.getBoundingClientRect().width;
};
const inner = (el) => {
  const cs = getComputedStyle(el);
  return el.getBoundingClientRect().width - parseFloat(cs.paddingLeft)
    - parseFloat(cs.paddingRight) - parseFloat(cs.borderLeftWidth)
    - parseFloat(cs.borderRightWidth);
};
const narrow = [];
for (const el of document.querySelectorAll(
    'button, .button, input[type=submit], input[type=button], summary.button')) {
  if (!visible(el) || forReadersOnly(el)) continue;
  const label = (el.tagName === 'INPUT' ? el.value : el.innerText).trim().replace(/\s+/g, ' ');
  if (!label) continue;
  const need = natural(el, label), has = inner(el);
  if (need > has + 1 || el.scrollWidth > el.clientWidth + 1)
    narrow.push(describe(el) + ': label ' + Math.round(need) + ' px in ' + Math.round(has) + ' px');
}
const cut = [];
for (const el of document.querySelectorAll('select')) {
  if (!visible(el) || el.multiple || el.selectedIndex < 0) continue;
  const label = el.options[el.selectedIndex].text.trim();
  // the dropdown's arrow takes about 20 px of the content box
  // a dropdown as wide as the window allows cannot show a longer label whole
  const need = natural(el, label), has = inner(el) - 20;
  if (label && need > has + 1 && el.getBoundingClientRect().width < viewport - 100)
    cut.push(describe(el).split(' "')[0] + ' "' + label.slice(0, 40) + '": '
             + Math.round(need) + ' px in ' + Math.round(has) + ' px');
}
probe.remove();
const bar = document.querySelector('header.topbar');
return {viewport: viewport, scrollWidth: doc.scrollWidth, wide: wide, narrow: narrow, cut: cut,
        topbar: bar ? Math.round(bar.getBoundingClientRect().height) : 0};
"""


@dataclass(frozen=True)
class Problem:
    page: str
    language: str
    width: int
    what: str

    def __str__(self) -> str:
        return f"{self.page} [{self.language}, {self.width} px] {self.what}"


def set_width(driver: WebDriver, width: int) -> None:
    """Lay the page out in a window ``width`` CSS pixels wide (a phone below 500 px: the
    viewport meta tag applies, scrollbars overlay the page as on a phone)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": HEIGHTS.get(width, 900), "deviceScaleFactor": 1,
        "mobile": width < 500})


def reset_width(driver: WebDriver) -> None:
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def measure(driver: WebDriver, page: str, language: str, width: int) -> list[Problem]:
    """The layout problems of the loaded page at ``width``."""
    set_width(driver, width)
    found: dict[str, Any] = driver.execute_script(MEASURE)
    problems = []
    if found["scrollWidth"] > found["viewport"]:
        culprits = "; ".join(found["wide"]) or "no single element found"
        problems.append(Problem(page, language, width,
                                f"page {found['scrollWidth']} px wide in a "
                                f"{found['viewport']} px window ({culprits})"))
    if found["topbar"] > TOPBAR_HEIGHT:
        problems.append(Problem(page, language, width,
                                f"the top bar is {found['topbar']} px high (its links wrap: "
                                f"at most {TOPBAR_HEIGHT} px, one line)"))
    problems += [Problem(page, language, width, f"button narrower than its label: {n}")
                 for n in found["narrow"]]
    problems += [Problem(page, language, width, f"dropdown cuts off its choice: {c}")
                 for c in found["cut"]]
    return problems


def pattern(url: str) -> str:
    """The page a URL shows, without its ids and query values: one of each is enough for a
    layout."""
    parts = urlsplit(url)
    keys = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    path = re.sub(r"/\d+(?=/|$|\.)", "/#", UUID.sub("*", parts.path))  # years, too
    return path + ("?" + "&".join(keys) if keys else "")


def crawl(driver: WebDriver, starts: list[str], prefix: str, limit: int = 60
          ) -> tuple[list[str], list[str]]:
    """Every page reachable by links from ``starts`` whose path starts with ``prefix``, one
    URL per pattern (ids and years replaced, query values ignored), breadth first, in the
    order found; and the links that led to an error page."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(starts[0]))
    queue, seen = list(starts), {pattern(start) for start in starts}
    pages: list[str] = []
    unreachable: list[str] = []
    while queue and len(pages) < limit:
        url = queue.pop(0)
        driver.get(url)
        if driver.find_elements(By.CSS_SELECTOR, ".error-page"):
            unreachable.append(url)
            continue
        pages.append(url)
        hrefs = driver.execute_script(
            "return Array.from(document.querySelectorAll('a[href]'), a => a.href)")
        for href in hrefs:
            href = href.split("#", 1)[0]
            parts = urlsplit(href)
            if (not href.startswith(origin) or not parts.path.startswith(prefix)
                    or SKIPPED.search(parts.path)):
                continue
            key = pattern(href)
            if key not in seen:
                seen.add(key)
                queue.append(href)
    return pages, unreachable
