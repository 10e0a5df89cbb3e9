"""Beside each numeric field, the questionnaire shows the typical range of the enterprise's
industry (the benchmarks' interquartile range of the other opted-in enterprises' finalised
answers), in Chinese and in English, and nothing where fewer than 5 enterprises answered."""

from __future__ import annotations

import re

from tests.factories import owner_of
from tests.integration.benchmarks.conftest import make_peer
from tests.web.assessment.factories import page_url
from tests.web.helpers import ENGLISH, text

# P25 = 12 + 3 × 0.25 = 12.75 (shown 12.8), P75 = 18 + 12 × 0.75 = 27.0
SIX = [30, 10, 18, 12, 40, 15]


def _guide(html: str, key: str) -> str:
    found = re.search(rf'id="{key}-guide">(.*?)</div>', html, re.S)
    return found.group(1) if found else ""


def _open(app, client, enterprise_with_profile, draft_assessment, sign_in):
    tenant = enterprise_with_profile()  # C36
    assessment = draft_assessment(tenant, 2023)
    sign_in(owner_of(app, tenant))
    return page_url(tenant, assessment, "collaboration")


def test_the_industry_range_is_shown_beside_the_field_in_both_languages(
        app, client, enterprise_with_profile, draft_assessment, sign_in):
    url = _open(app, client, enterprise_with_profile, draft_assessment, sign_in)
    for value in SIX:
        make_peer(app, {"overall": 50.0}, year=2023, division="C36",
                  answers={"partners_total": value, "partners_online_active": 3})
    make_peer(app, {"overall": 50.0}, year=2023, division="C38",
              answers={"partners_total": 5000})

    chinese = _guide(text(client.get(url)), "partners_total")
    assert ("同行业（汽车制造业）企业的典型范围：12.8–27.0 家（2023 年，6 家企业的四分位区间）"
            in chinese)
    english = _guide(text(client.get(url, headers=ENGLISH)), "partners_total")
    assert ("Typical in your industry (Manufacture of motor vehicles): 12.8–27.0 enterprises "
            "(2023, interquartile range of 6 enterprises)" in english)
    # every enterprise answered 3: the range says so, no minimum or maximum of anyone's
    assert "3.0–3.0" in _guide(text(client.get(url)), "partners_online_active")


def test_nothing_is_shown_under_five_enterprises(
        app, client, enterprise_with_profile, draft_assessment, sign_in):
    url = _open(app, client, enterprise_with_profile, draft_assessment, sign_in)
    for value in SIX[:4]:
        make_peer(app, {"overall": 50.0}, year=2023, answers={"partners_total": value})
    make_peer(app, {"overall": 50.0}, year=2023, opt_in=False, answers={"partners_total": 1})
    html = text(client.get(url))
    assert "同行业" not in html and "q-industry-range" not in html
    assert "Typical in your industry" not in text(client.get(url, headers=ENGLISH))


def test_one_query_gives_the_ranges_of_the_whole_page(
        app, client, enterprise_with_profile, draft_assessment, sign_in):
    import sqlalchemy as sa

    from tenants.extensions import db

    url = _open(app, client, enterprise_with_profile, draft_assessment, sign_in)
    for value in SIX:
        make_peer(app, {"overall": 50.0}, year=2023,
                  answers={"partners_total": value, "partners_online_active": value})
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if re.search(r'answer\."?key"? IN', statement) and "result_figure" in statement:
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        html = text(client.get(url))
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert _guide(html, "partners_total") and _guide(html, "partners_online_active")
    assert html.count('class="q-industry-range"') == 2
    assert len(statements) == 1
