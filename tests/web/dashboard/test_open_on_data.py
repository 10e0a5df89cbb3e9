"""The dashboard and the cohort page open on the newest year with finalised members and
offer only years with data; a breakdown group under the anonymity minimum is combined into
its coarser group, and the page and the cohort report say so instead of printing
"fewer than 5" rows."""

from __future__ import annotations

import re

from tests.factories import owner_of
from tests.web.helpers import ENGLISH, text


def _cohort(member, association):
    """2025: five finalised in Fujian (C36) and five across Jiangsu (C34) and Zhejiang (C35),
    so that a province and a division alone are too small; 2026: only members in progress."""
    for overall in (40, 50, 60, 70, 80):
        member(association, "finalised", overall=overall, province="35", division="C36")
    for overall in (45, 55):
        member(association, "finalised", overall=overall, province="32", division="C34")
    for overall in (65, 75, 85):
        member(association, "finalised", overall=overall, province="33", division="C35")
    for _ in range(3):
        member(association, "draft", year=2026)


def test_the_dashboard_opens_on_the_newest_year_with_finalised_members(
        app, client, sign_in, association, member):
    _cohort(member, association)
    sign_in(owner_of(app, association))
    body = text(client.get(f"/t/{association.slug}/dashboard/", headers=ENGLISH))
    assert "Members 2025" in body
    assert "Overall levels of 10 finalised members." in body
    select = re.search(r'<select id="year" name="year">(.*?)</select>', body, re.S).group(1)
    assert re.findall(r'<option value="(\d+)"', select) == ["2026", "2025"]
    assert re.search(r'<option value="2025" selected', select)


def test_small_groups_are_combined_on_the_page_not_suppressed(
        app, client, sign_in, association, member):
    _cohort(member, association)
    sign_in(owner_of(app, association))
    body = text(client.get(f"/t/{association.slug}/dashboard/?year=2025", headers=ENGLISH))
    assert "East China (combined: Jiangsu, Zhejiang)" in body
    assert "Equipment (combined: Manufacture of general-purpose machinery, Manufacture of " \
        "special-purpose machinery)" in body
    assert "combined with the others of their region" in body
    assert "suppressed" not in body and "&lt;5" not in body


def test_the_cohort_page_offers_only_years_with_finalised_members(
        app, client, sign_in, association, member):
    _cohort(member, association)
    sign_in(owner_of(app, association))
    body = text(client.get(f"/t/{association.slug}/reports/cohort", headers=ENGLISH))
    years = set(re.findall(r"/reports/cohort/(\d{4})\?", body))
    assert years == {"2025"}


def test_the_cohort_report_combines_small_groups_and_says_so(
        app, client, sign_in, association, member):
    _cohort(member, association)
    sign_in(owner_of(app, association))
    body = text(client.get(f"/t/{association.slug}/reports/cohort/2025?lang=en"))
    assert "East China (combined: Jiangsu, Zhejiang)" in body
    assert "combined with the others of their region" in body
    # no breakdown row prints "fewer than 5" in place of figures
    breakdowns = body.split('id="breakdowns"')[1].split('id="ranking"')[0]
    assert "<h3>By province</h3>" in breakdowns
    assert not re.search(r'<td[^>]*>\s*fewer than', breakdowns)
    assert 'class="suppressed"' not in breakdowns
    chinese = text(client.get(f"/t/{association.slug}/reports/cohort/2025?lang=zh"))
    assert "华东" in chinese and not re.search(r'<td[^>]*>\s*少于', chinese)
