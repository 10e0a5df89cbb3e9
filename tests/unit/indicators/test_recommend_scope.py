"""Recommendations follow each technology's 适用范围 (scopes.yaml), never its section alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from indicators.catalogue import list_divisions, load_catalogue
from indicators.catalogue.scopes import load_scopes
from indicators.problems import InvalidFramework
from indicators.recommendations import _technologies_for, recommend

WEAK = {"green.energy_intensity": 10.0, "green.carbon_intensity": 10.0}
DIVISIONS = [d.code for d in list_divisions()]


def contract(scores: dict[str, float]) -> dict[str, Any]:
    return {
        "framework": {"id": "scm-2024", "version": "1.0.0"},
        "indicators": {
            code: {"value": 1.0, "unit": "", "status": "ok", "score": s, "level": 1,
                   "details": {}}
            for code, s in scores.items()
        },
    }


def names(division: str, limit: int = 40) -> dict[str, str]:
    """ref -> Chinese name of every technology recommended to an energy- and carbon-weak
    enterprise of ``division``, with a long list so that nothing is cut."""
    catalogue = {t.id: t for t in load_catalogue().technologies}
    return {
        r.ref: catalogue[r.ref].name_zh
        for r in recommend(contract(WEAK), division, limit=limit)
        if r.kind == "technology"
    }


def every_candidate(division: str) -> list[str]:
    """Every technology the ranking considers for the division (before the per-indicator
    cut), for both indicators."""
    divisions = {d.code: d for d in list_divisions()}
    scopes = load_scopes()
    found = []
    for tech in load_catalogue().technologies:
        scope = scopes.of(tech.id)
        if scope.applies_to(division):
            found.append(tech.id)
    found_energy = [t.id for t in _technologies_for("green.energy_intensity",
                                                    divisions[division])]
    assert set(found_energy) <= set(found)
    return found


def test_every_technology_has_a_scope_and_the_manufacturing_divisions_exist() -> None:
    scopes = load_scopes()
    assert {t.id for t in load_catalogue().technologies} == set(scopes.by_technology)
    assert len(DIVISIONS) == 31 and DIVISIONS[0] == "C13" and DIVISIONS[-1] == "C43"


@pytest.mark.parametrize("division", DIVISIONS)
def test_no_division_gets_a_technology_whose_scope_excludes_it(division: str) -> None:
    scopes = load_scopes()
    recommended = names(division)
    assert recommended, f"{division} gets at least one technology"
    for ref in recommended:
        scope = scopes.of(ref)
        assert scope.applies_to(division), (division, ref)
        # a scope that names industries names this one
        if scope.industries:
            assert division in scope.industries, (division, ref, scope.industries)


def test_property_over_all_divisions_and_both_indicators() -> None:
    """For every division and either weak indicator alone, each technology's scope
    includes the division; and a scope naming only other industries never reaches it."""
    divisions = {d.code: d for d in list_divisions()}
    scopes = load_scopes()
    for code, div in divisions.items():
        for indicator in ("green.energy_intensity", "green.carbon_intensity"):
            for tech in _technologies_for(indicator, div):
                scope = scopes.of(tech.id)
                assert scope.general or code in (scope.industries or ()) or (
                    not scope.industries
                    and any(e.applies_to(code) for e in scope.equipment)
                ), (code, indicator, tech.id)


def test_motor_vehicle_makers_no_longer_get_locomotives_or_gas_turbines() -> None:
    got = set(names("C36").values()) | {
        t.name_zh for t in load_catalogue().technologies if t.id in every_candidate("C36")
    }
    assert "内燃机车新能源改造技术" not in got
    assert "超超临界煤气发电汽轮机装置" not in got


def test_pharmaceuticals_no_longer_get_urea_synthesis_or_refinery_heaters() -> None:
    got = set(names("C27").values()) | {
        t.name_zh for t in load_catalogue().technologies if t.id in every_candidate("C27")
    }
    assert "高效尿素合成工艺技术" not in got
    assert "炼油加热炉节能降碳成套技术" not in got


def test_paper_gets_the_magnetic_levitation_vacuum_pump() -> None:
    assert "智能磁悬浮透平真空泵技术" in names("C22").values()


def test_textiles_get_the_magnetic_levitation_air_compressor() -> None:
    assert "智能磁悬浮空气压缩机技术" in names("C17").values()


def test_steel_and_chemicals_still_get_their_own_technologies() -> None:
    assert any(ref.startswith("steel-") for ref in names("C31"))
    assert "高效尿素合成工艺技术" in {
        t.name_zh for t in load_catalogue().technologies if t.id in every_candidate("C26")
    }


def test_a_general_scope_applies_to_every_division() -> None:
    scope = load_scopes().of("energy_management-05")  # 工业企业、公共服务机构能源系统
    assert scope.general
    assert all(scope.applies_to(code) for code in DIVISIONS)


def test_data_centre_technologies_only_for_an_enterprise_that_runs_one() -> None:
    scope = load_scopes().of("data_centre-02")
    assert not any(scope.applies_to(code) for code in DIVISIONS)
    assert scope.applies_to("C39", facilities=("data_centre",))
    recs = recommend(contract({"green.energy_intensity": 10.0}), "C39", limit=40,
                     facilities=("data_centre",))
    assert any(r.ref.startswith("data_centre-") for r in recs)


def test_english_summary_states_the_scope() -> None:
    recs = recommend(contract({"green.energy_intensity": 10.0}), "C22", limit=40)
    pump = next(r for r in recs if r.ref == "machinery-22")
    assert "Scope:" in pump.summary_en
    assert "Manufacture of paper" in pump.summary_en and "pulp drying" in pump.summary_en
    assert "C22" not in pump.summary_en  # names, not division codes
    assert "造纸" in pump.reason_zh or "C22" in pump.reason_zh


def test_a_broken_scope_file_names_its_faults(tmp_path: Path) -> None:
    bad = tmp_path / "scopes.yaml"
    bad.write_text(
        "equipment_classes: {boiler: {divisions: all, name_zh: 锅炉, name_en: boilers}}\n"
        "technologies:\n"
        "  steel-01: {industries: [X1]}\n"
        "  steel-02: {equipment: [furnace]}\n"
        "  steel-03: {}\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidFramework) as caught:
        load_scopes(bad)
    text = "\n".join(caught.value.problems)
    assert "technologies.steel-01.industries[0]" in text
    assert "technologies.steel-02.equipment[0]" in text
    assert "technologies.steel-03" in text and "names neither" in text
    assert "technologies.steel-04: no scope given" in text
