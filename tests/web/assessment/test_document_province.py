"""The contract document the app builds carries the enterprise profile's province, so that
purchased electricity uses the provincial (or regional) grid factor."""

from __future__ import annotations

from tests.factories import owner_of
from tests.web.assessment.factories import acting


def test_the_document_carries_the_profiles_province_and_picks_its_grid_factor(
        app, enterprise_with_profile, draft_assessment):
    from assessment.assessments import queries
    from assessment.assessments.documents import build_document, evaluate_document, framework_of

    tenant = enterprise_with_profile(province="53")  # Yunnan
    assessment = draft_assessment(tenant, year=2022)
    with acting(app, tenant, owner_of(app, tenant)):
        stored = queries.assessment(assessment.id)
        document = build_document(stored, [], [])
        assert document["province"] == "530000"
        document["energy"] = [{"carrier": "electricity", "quantity": 100, "unit": "MWh"}]
        out = evaluate_document(framework_of(stored), document).to_contract()
    # 100,000 kWh × 0.1073 (Yunnan 2022) / 1000 = 10.73 t
    assert out["emissions"]["scope2"] == 10.73
    grid = next(f for f in out["factors"] if f["applies_to"] == "scope2")
    assert grid["id"] == "grid.national_average.province.530000.2022"


def test_an_explicit_province_wins_and_none_is_left_out(app, enterprise_with_profile,
                                                        draft_assessment):
    from assessment.assessments import queries
    from assessment.assessments.documents import build_document

    tenant = enterprise_with_profile(province="13")
    assessment = draft_assessment(tenant)
    with acting(app, tenant, owner_of(app, tenant)):
        stored = queries.assessment(assessment.id)
        assert build_document(stored, [], [])["province"] == "130000"
        assert build_document(stored, [], [], province="44")["province"] == "440000"
