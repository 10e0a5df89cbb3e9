"""recommend(): ranking on hand-made contract dicts, industry matching, bad arguments."""

from __future__ import annotations

from typing import Any

import pytest

from indicators.catalogue import load_catalogue
from indicators.catalogue.contract import INDICATORS
from indicators.problems import InvalidInput
from indicators.recommendations import Recommendation, recommend


def contract(scores: dict[str, float | None], **extra: Any) -> dict[str, Any]:
    """An evaluate output with the given indicator scores (None = missing)."""
    indicators = {
        code: (
            {
                "value": None,
                "unit": "",
                "status": "missing",
                "score": None,
                "level": None,
                "details": {},
            }
            if score is None
            else {
                "value": 1.0,
                "unit": "",
                "status": "ok",
                "score": score,
                "level": 3,
                "details": {},
            }
        )
        for code, score in scores.items()
    }
    return {
        "framework": {"id": "scm-2024", "version": "1.0.0"},
        "indicators": indicators,
        "dimensions": {},
        "overall": {},
        **extra,
    }


def measures_of(recs: list[Recommendation]) -> list[int]:
    return [int(r.ref.split("-")[1]) for r in recs if r.kind == "measure"]


def test_weakest_indicator_comes_first() -> None:
    recs = recommend(
        contract(
            {
                "lean.on_time_delivery_rate": 55.0,
                "global.rule_participation": 10.0,
                "digital.strategy": 30.0,
            }
        ),
        "C34",
    )
    first_indicators = [r.motives[0].indicator for r in recs]
    assert first_indicators[0] == "global.rule_participation"
    assert first_indicators.index("digital.strategy") < first_indicators.index(
        "lean.on_time_delivery_rate"
    )
    assert [r.priority for r in recs] == list(range(1, len(recs) + 1))
    # global.rule_participation is improved by measures 7 and 17, enterprise measures
    assert {7, 17} <= set(measures_of(recs))
    assert recs[0].kind == "measure" and recs[0].ref in ("measure-07", "measure-17")


def test_strong_and_unscored_indicators_bring_nothing() -> None:
    recs = recommend(
        contract(
            {"lean.inventory_turnover": 95.0, "talent.training": None, "digital.strategy": 20.0}
        ),
        "C36",
        limit=50,
    )
    motivating = {m.indicator for r in recs for m in r.motives}
    assert motivating == {"digital.strategy"}
    assert recommend(contract({"lean.inventory_turnover": 95.0}), "C36") == []


def test_score_ties_go_to_the_heavier_dimension() -> None:
    scores = {"global.overseas_revenue_ratio": 40.0, "talent.recruit_develop": 40.0}
    recs = recommend(contract(scores), "C36", dimension_weights={"global": 5, "talent": 20})
    assert recs[0].motives[0].indicator == "talent.recruit_develop"
    recs = recommend(contract(scores), "C36", dimension_weights={"global": 20, "talent": 5})
    assert recs[0].motives[0].indicator == "global.overseas_revenue_ratio"
    # without weights the contract's order decides
    recs = recommend(contract(scores) | {"framework": {}}, "C36", dimension_weights={})
    assert recs[0].motives[0].indicator == "global.overseas_revenue_ratio"


def test_energy_weakness_brings_energy_technologies_of_the_industrys_sector() -> None:
    recs = recommend(contract({"green.energy_intensity": 15.0}), "C31", limit=20)
    techs = [r for r in recs if r.kind == "technology"]
    assert techs, "an energy-weak steelmaker gets technologies"
    catalogue = {t.id: t for t in load_catalogue().technologies}
    assert all(catalogue[r.ref].addresses_energy() for r in techs)
    assert catalogue[techs[0].ref].sector.code == "steel"
    # the industry by its name (readers see no division codes)
    assert "黑色金属冶炼和压延加工业" in techs[0].reason_zh and "钢铁" in techs[0].reason_zh
    assert "C31" not in techs[0].reason_zh
    # measure 13 (cleaner production) is the guide's measure for energy intensity
    assert recs[0].ref == "measure-13"
    assert any(r.kind == "equipment" for r in recs)


@pytest.mark.parametrize(
    ("industry", "sector"),
    [
        ("C32", "nonferrous"),
        ("C26", "petrochemical"),
        ("C30", "building_materials"),
        ("C35", "machinery"),
        # paper: the catalogue's light-industry entries are for plastics and fermentation;
        # the technology whose scope names paper (magnetic-levitation vacuum pump) comes first
        ("C22", "machinery"),
    ],
)
def test_the_industry_decides_which_sector_comes_first(industry: str, sector: str) -> None:
    recs = recommend(contract({"green.energy_intensity": 15.0}), industry, limit=20)
    first_tech = next(r for r in recs if r.kind == "technology")
    assert (
        next(t for t in load_catalogue().technologies if t.id == first_tech.ref).sector.code
        == sector
    )


def test_carbon_weakness_brings_carbon_technologies_only() -> None:
    recs = recommend(contract({"green.carbon_intensity": 5.0}), "C31", limit=20)
    catalogue = {t.id: t for t in load_catalogue().technologies}
    techs = [catalogue[r.ref] for r in recs if r.kind == "technology"]
    assert techs and all(t.addresses_carbon() for t in techs)
    # equipment is an energy-efficiency list: carbon weakness alone does not bring it
    assert not any(r.kind == "equipment" for r in recs)


def test_fuel_heavy_energy_use_puts_boilers_first() -> None:
    scores = {"green.energy_intensity": 15.0}
    coal = {"total_tce": 100, "by_carrier": {"raw_coal": 80, "electricity": 20}}
    power = {"total_tce": 100, "by_carrier": {"raw_coal": 10, "electricity": 90}}
    equip = [
        r.ref
        for r in recommend(contract(scores, energy=coal), "C13", limit=20)
        if r.kind == "equipment"
    ]
    assert equip[0] == "boilers"
    equip = [
        r.ref
        for r in recommend(contract(scores, energy=power), "C13", limit=20)
        if r.kind == "equipment"
    ]
    assert equip[0] == "motors"


def test_plastics_makers_get_plastics_machinery() -> None:
    recs = recommend(contract({"green.energy_intensity": 15.0}), "C29", limit=20)
    assert "plastics_machinery" in [r.ref for r in recs]
    recs = recommend(contract({"green.energy_intensity": 15.0}), "C31", limit=20)
    assert "plastics_machinery" not in [r.ref for r in recs]


def test_an_item_wanted_by_two_indicators_appears_once_naming_both() -> None:
    # measure 13 improves both energy and carbon intensity
    recs = recommend(
        contract({"green.energy_intensity": 10.0, "green.carbon_intensity": 20.0}),
        "C30",
        limit=30,
    )
    refs = [r.ref for r in recs]
    assert len(refs) == len(set(refs))
    m13 = next(r for r in recs if r.ref == "measure-13")
    assert [m.indicator for m in m13.motives] == [
        "green.energy_intensity",
        "green.carbon_intensity",
    ]
    assert "单位产值综合能耗" in m13.reason_zh and "单位产值碳排放" in m13.reason_zh
    assert "Energy use" in m13.reason_en and "Carbon emissions" in m13.reason_en


def test_limit_cuts_the_list() -> None:
    weak = {code: 10.0 for code in INDICATORS}
    assert len(recommend(contract(weak), "C36", limit=3)) == 3
    assert len(recommend(contract(weak), "C36")) == 10


def test_authorities_measures_are_not_recommended() -> None:
    weak = {code: 10.0 for code in INDICATORS}
    recs = recommend(contract(weak), "C36", limit=500)
    assert not {25, 26, 27} & set(measures_of(recs))
    assert set(measures_of(recs)) == set(range(1, 25)) - {22}


def test_accepts_an_object_with_to_contract() -> None:
    class Evaluation:
        def to_contract(self) -> dict[str, Any]:
            return contract({"lean.quality_pass_rate": 30.0})

    recs = recommend(Evaluation(), "C27")
    assert recs and recs[0].motives[0].indicator == "lean.quality_pass_rate"


def test_as_dict_is_json_ready_and_bilingual() -> None:
    import json

    (first, *_) = recommend(contract({"green.energy_intensity": 15.0}), "C31")
    data = first.as_dict()
    json.dumps(data, ensure_ascii=False)
    assert data["priority"] == 1 and data["kind"] == "measure"
    assert data["source"]["lines"] == [5702, 5713]
    assert data["reason_zh"] and data["reason_en"] and data["title_en"] and data["summary_en"]
    assert data["indicators"] == [{"code": "green.energy_intensity", "score": 15.0}]


def test_unknown_industry_is_invalid_input_naming_industry() -> None:
    with pytest.raises(InvalidInput) as caught:
        recommend(contract({"lean.quality_pass_rate": 30.0}), "C44")
    assert [p.key for p in caught.value.problems] == ["industry"]
    problem = caught.value.problems[0]
    assert "C44" in problem.message_zh and "C44" in problem.message_en


def test_every_bad_argument_is_reported_at_once() -> None:
    with pytest.raises(InvalidInput) as caught:
        recommend({"no": "indicators"}, "textiles", limit=0)
    assert sorted(p.key for p in caught.value.problems) == ["evaluation", "industry", "limit"]


@pytest.mark.parametrize("number", range(13, 44))
def test_every_division_gets_sensible_recommendations(number: int) -> None:
    scores = {code: 70.0 for code in INDICATORS}
    scores |= {
        "green.energy_intensity": 12.0,
        "green.carbon_intensity": 18.0,
        "lean.on_time_delivery_rate": 25.0,
    }
    recs = recommend(contract(scores), str(number), limit=15)
    assert len(recs) == 15
    assert recs[0].motives[0].indicator == "green.energy_intensity"
    kinds = {r.kind for r in recs}
    assert {"measure", "technology"} <= kinds
    catalogue = {t.id: t for t in load_catalogue().technologies}
    for r in recs:
        if r.kind == "technology":
            tech = catalogue[r.ref]
            wanted = {m.indicator for m in r.motives}
            assert (ENERGY in wanted and tech.addresses_energy()) or (
                CARBON in wanted and tech.addresses_carbon()
            )
        assert r.title_zh and r.title_en and r.reason_zh and r.reason_en


ENERGY, CARBON = "green.energy_intensity", "green.carbon_intensity"


# --- the mapping comes from the evaluation's framework ------------------------------------


def test_measures_come_from_the_evaluations_framework(tmp_path: Any) -> None:
    from indicators import evaluate

    derived = tmp_path / "scm-2024-test.yaml"
    derived.write_text(
        'id: scm-2024-test\nversion: "1.0.0"\nname_zh: 测试\nname_en: Test\n'
        'base: {id: scm-2024, version: "1.0.0"}\n'
        "indicators:\n  lean.on_time_delivery_rate: {measures: [14]}\n",
        encoding="utf-8",
    )
    document = {"inputs": {"deliveries_on_time": 500, "deliveries_total": 1000}}
    base = recommend(evaluate(document), "C36")
    assert measures_of(base) == [2, 6]  # scm-2024's measures of on-time delivery
    recs = recommend(evaluate(document, framework=str(derived)), "C36")
    assert measures_of(recs) == [14]


def test_a_contract_naming_an_unknown_framework_is_invalid_input() -> None:
    for ref in ({"id": "no-such-framework", "version": "1.0.0"}, {"id": "../../etc/passwd"},
                {"id": "scm-2024", "version": "9.9.9"}):
        with pytest.raises(InvalidInput) as caught:
            recommend(contract({"lean.quality_pass_rate": 30.0}) | {"framework": ref}, "C36")
        assert [p.key for p in caught.value.problems] == ["evaluation.framework"]
