"""The energy page shows the grid factor the engine will actually use: the enterprise
profile's province, the chosen basis (province, region, national) and the reporting year,
with its data year and the announcement in words; and it offers the SAR GWP set beside AR5
and AR6. Each case is checked against ``evaluate``'s own factor trace."""

from __future__ import annotations

import pytest

from assessment.assessments.models import Answer
from tests.factories import owner_of
from tests.web.assessment.factories import acting, page_url
from tests.web.helpers import ENGLISH, text

CHINESE = {"Accept-Language": "zh-CN"}


def _engine_factor(app, tenant, assessment, options):
    """The scope-2 factor evaluate() uses for this assessment's document."""
    from assessment.assessments import queries
    from assessment.assessments.documents import build_document, evaluate_document, framework_of

    with acting(app, tenant, owner_of(app, tenant)):
        stored = queries.assessment(assessment.id)
        document = build_document(stored, [], [])
        document["energy"] = [{"carrier": "electricity", "quantity": 100, "unit": "MWh"}]
        document["inputs"] = {"output_value": 1000}
        if options:
            document["options"] = options
        out = evaluate_document(framework_of(stored), document).to_contract()
    return next(f for f in out["factors"] if f["applies_to"] == "scope2")


@pytest.mark.parametrize(("province", "year", "options", "value", "area_en", "area_zh"), [
    ("53", 2022, None, "0.1073", "Yunnan", "云南省"),  # the province's own 2022 factor
    ("53", 2022, {"grid_factor_basis": "region"}, "0.3869", "China Southern grid", "南方"),
    ("53", 2022, {"grid_factor_basis": "national"}, "0.5366", "China (national average)",
     "全国（平均）"),
    ("54", 2023, None, "0.2472", "Southwest China", "西南"),  # no Tibet factor: its region's
    ("11", 2023, None, "0.5580", "Beijing", "北京市"),  # no 2023 provincial: Beijing's 2022
])
def test_the_page_shows_the_factor_the_engine_uses(
        app, client, enterprise_with_profile, draft_assessment, sign_in, fetch, province, year,
        options, value, area_en, area_zh):
    tenant = enterprise_with_profile(province=province)
    assessment = draft_assessment(tenant, year=year)
    if options:
        from assessment.assessments import answering, queries
        from tenants import queries as platform_queries

        with acting(app, tenant, owner_of(app, tenant)):
            from tenants.extensions import db

            user = db.session.merge(owner_of(app, tenant))
            member = platform_queries.membership(tenant.id, user.id)
            answering.save_answer(queries.assessment(assessment.id), member, user, "options",
                                  options)
        assert fetch(Answer, Answer.assessment_id == assessment.id)[0].value == options
    engine = _engine_factor(app, tenant, assessment, options)
    assert f"{engine['value']:.4f}" == value
    sign_in(owner_of(app, tenant))
    url = page_url(tenant, assessment, "energy")
    english = text(client.get(url, headers=ENGLISH))
    box = english.split('class="q-grid"', 1)[1].split("</div>", 1)[0]
    assert f"{value} tCO2/MWh" in box and area_en in box
    assert f"data year {engine['year']}" in box
    assert f"Announcement of the {engine['year']} electricity CO2 emission factors" in box
    chinese = text(client.get(url, headers=CHINESE))
    box_zh = chinese.split('class="q-grid"', 1)[1].split("</div>", 1)[0]
    assert area_zh in box_zh
    assert f"《关于发布{engine['year']}年电力二氧化碳排放因子的公告》" in box_zh
    if engine["fallback"]:
        assert "notice" in box  # the engine's own words on why another level or year
    else:
        assert "notice" not in box


def test_the_basis_and_the_sar_set_are_offered(app, client, enterprise_with_profile,
                                               draft_assessment, sign_in):
    tenant = enterprise_with_profile(province="53")
    assessment = draft_assessment(tenant, year=2022)
    sign_in(owner_of(app, tenant))
    page = text(client.get(page_url(tenant, assessment, "energy"), headers=CHINESE))
    gwp = page.split('name="options-gwp_set"', 1)[1].split("</select>", 1)[0]
    assert 'value="AR5" selected' in gwp and 'value="AR6"' in gwp and 'value="SAR"' in gwp
    assert "第二次评估报告" in gwp
    basis = page.split('name="options-grid_factor_basis"', 1)[1].split("</select>", 1)[0]
    assert 'value="province" selected' in basis and 'value="region"' in basis \
        and 'value="national"' in basis
