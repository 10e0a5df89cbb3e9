"""The catalogue data: counts against the source's own numbering, seed lines, coverage."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from indicators import load_framework
from indicators.catalogue import (
    division,
    find_division,
    group_of,
    list_divisions,
    list_groups,
    load_catalogue,
    load_equipment,
    load_industries,
    load_measures,
    load_technologies,
    sectors_for,
)
from indicators.catalogue.contract import DIMENSIONS, INDICATORS
from indicators.catalogue.loader import (
    EQUIPMENT_FILE,
    GUIDE_LINES,
    INDUSTRIES_FILE,
    MEASURES_FILE,
    TECHNOLOGIES_FILE,
    chinese_numeral,
)
from indicators.problems import InvalidFramework, InvalidInput

# shared/ sits beside the checkout (as in CI); the seed is the source of the data files.
SHARED = Path(__file__).resolve().parents[3].parent / "shared"
SEED = SHARED / "seeds" / "000_e6766f8c52c2b1dc.txt"
needs_seed = pytest.mark.skipif(not SEED.exists(), reason="seed document not available")


def seed_line(n: int) -> str:
    return SEED.read_text(encoding="utf-8").split("\n")[n - 1]


# --- measures ----------------------------------------------------------------------------


def test_the_guide_has_27_measures_numbered_in_order() -> None:
    _, measures = load_measures()
    assert [m.number for m in measures] == list(range(1, 28))
    assert [m.numeral for m in measures][:3] == ["一", "二", "三"]
    assert measures[26].numeral == "二十七"


def test_six_directions_one_per_dimension_except_talent() -> None:
    sections, _ = load_measures()
    directions = [s.code for s in sections if s.kind == "direction"]
    assert directions == ["collaboration", "lean", "digital", "green", "global", "resilience"]


# Which measures improve which indicator is the framework's (scm-2024.yaml `measures`).


def _measures_by_indicator() -> dict[str, tuple[int, ...]]:
    framework = load_framework("scm-2024")
    return {code: ind.measures for code, ind in framework.indicators.items()}


def test_every_indicator_is_improved_by_at_least_one_measure() -> None:
    mapping = _measures_by_indicator()
    assert sorted(mapping) == sorted(INDICATORS)
    assert [code for code, numbers in mapping.items() if not numbers] == []
    assert len(INDICATORS) == 30 and len(DIMENSIONS) == 7


def test_every_measure_of_the_framework_exists_in_the_catalogue() -> None:
    catalogue = load_catalogue()
    known = {m.number for m in catalogue.measures}
    for code, numbers in _measures_by_indicator().items():
        assert set(numbers) <= known, code
        assert len(set(numbers)) == len(numbers), code
        for n in numbers:
            assert catalogue.measure(n).number == n


def test_every_indicator_has_a_measure_an_enterprise_can_act_on() -> None:
    catalogue = load_catalogue()
    for code, numbers in _measures_by_indicator().items():
        audiences = {catalogue.measure(n).audience for n in numbers}
        assert audiences & {"enterprise", "ecosystem"}, code


def test_measure_dimensions_match_the_indicators_the_framework_maps_to_it() -> None:
    improves: dict[int, set[str]] = {}
    for code, numbers in _measures_by_indicator().items():
        for n in numbers:
            improves.setdefault(n, set()).add(code.split(".")[0])
    _, measures = load_measures()
    for m in measures:
        assert set(m.dimensions) == improves.get(m.number, set()), m.number


def test_reconciled_mapping_decisions() -> None:
    mapping = _measures_by_indicator()
    # 11's energy wording is about the products' life-cycle use, not the plant's own energy.
    assert 11 not in mapping["green.energy_intensity"]
    assert 11 in mapping["green.carbon_intensity"]
    used = {n for numbers in mapping.values() for n in numbers}
    assert used == set(range(1, 28)) - {22, 25}


@needs_seed
def test_measure_lines_start_at_the_guides_own_heading() -> None:
    _, measures = load_measures()
    for m in measures:
        assert GUIDE_LINES[0] <= m.lines[0] <= m.lines[1] <= GUIDE_LINES[1]
        first = seed_line(m.lines[0]).strip()
        assert first.startswith(f"（{m.numeral}）{m.title_zh}"), (m.number, first)


def test_chinese_text_has_no_gaps_left_by_yaml_folding() -> None:
    _, measures = load_measures()
    assert all(" " not in m.summary_zh for m in measures)


def test_chinese_numerals() -> None:
    assert [chinese_numeral(n) for n in (1, 10, 11, 19, 20, 21, 27)] == [
        "一",
        "十",
        "十一",
        "十九",
        "二十",
        "二十一",
        "二十七",
    ]


# --- technologies ------------------------------------------------------------------------

# The catalogue's own numbering, section by section (seed lines 1446-4564).
CATALOGUE_COUNTS = {
    "steel": 7,
    "nonferrous": 5,
    "petrochemical": 12,
    "building_materials": 5,
    "machinery": 32,
    "light_industry": 3,
    "coal": 3,
    "energy_cascade": 6,
    "microgrid": 7,
    "hydrogen": 15,
    "energy_management": 11,
    "decarbonisation": 12,
    "data_centre": 34,
    "base_station": 12,
    "digital_green": 9,
}


def test_technology_counts_equal_the_catalogues_numbering() -> None:
    sectors, technologies = load_technologies()
    assert {s.code: s.count for s in sectors} == CATALOGUE_COUNTS
    assert len(technologies) == sum(CATALOGUE_COUNTS.values()) == 173
    for code, count in CATALOGUE_COUNTS.items():
        numbers = [t.number for t in technologies if t.sector.code == code]
        assert numbers == list(range(1, count + 1)), code


@needs_seed
def test_each_technology_starts_at_its_number_in_the_seed_within_its_sector() -> None:
    sectors, technologies = load_technologies()
    for t in technologies:
        assert 1427 <= t.sector.lines[0] <= t.lines[0] <= t.lines[1] <= t.sector.lines[1] <= 4565
        first = seed_line(t.lines[0]).strip()
        assert first.split()[0] == str(t.number), (t.id, first)
        # the catalogue's name, as joined from its wrapped cell, starts at that line
        head = first[len(str(t.number)) :].strip() or seed_line(t.lines[0] + 1).strip()
        assert t.name_zh.startswith(head[:4]), (t.id, head)
    for s in sectors:
        assert seed_line(s.lines[0]).strip() == s.heading_zh


def test_technologies_are_tagged_and_named_in_both_languages() -> None:
    _, technologies = load_technologies()
    assert {t.addresses for t in technologies} == {"energy", "carbon", "both"}
    assert all(t.name_en.isascii() and t.name_zh and t.applies_to_zh for t in technologies)
    # the hydrogen and decarbonisation sections are about carbon by definition
    assert all(
        t.addresses_carbon()
        for t in technologies
        if t.sector.code in ("hydrogen", "decarbonisation")
    )
    # silicon carbide is a material, not a carbon-reduction claim
    assert load_catalogue().technologies_in("machinery")[11].addresses == "energy"


# --- equipment -----------------------------------------------------------------------------


def test_equipment_categories_and_model_counts() -> None:
    equipment = load_equipment()
    assert [e.id for e in equipment] == [
        "motors",
        "boilers",
        "transformers",
        "fans",
        "compressors",
        "pumps",
        "plastics_machinery",
        "engines",
        "refrigeration",
    ]
    assert sum(e.models_listed for e in equipment) == 172
    transformers = next(e for e in equipment if e.id == "transformers")
    assert (transformers.models_listed, transformers.numbered_to) == (15, 16)
    assert all(4565 <= e.lines[0] <= e.lines[1] <= 4970 for e in equipment)


@needs_seed
def test_equipment_lines_start_at_the_category_heading() -> None:
    for e in load_equipment():
        assert seed_line(e.lines[0]).strip() == f"（{e.numeral}）{e.name_zh}"


# --- industries ----------------------------------------------------------------------------


def test_every_manufacturing_division_13_to_43_is_present_with_both_names() -> None:
    divisions = list_divisions()
    assert [d.code for d in divisions] == [f"C{n}" for n in range(13, 44)]
    for d in divisions:
        assert d.name_zh and not d.name_zh.isascii()
        assert d.name_en and d.name_en.isascii()
    assert division("C31").name_zh == "黑色金属冶炼和压延加工业"
    assert division("C36").name_zh == "汽车制造业"


def test_division_accepts_codes_with_or_without_the_section_letter() -> None:
    assert division("36") is division("C36") is division(" c36 ")
    assert find_division("C12") is None
    assert find_division("C44") is None
    assert find_division("steel") is None


def test_unknown_division_is_invalid_input_on_industry() -> None:
    with pytest.raises(InvalidInput) as caught:
        division("C99")
    (problem,) = caught.value.problems
    assert problem.key == "industry"
    assert "C13-C43" in problem.message_en and "C13-C43" in problem.message_zh


def test_groups_and_sectors() -> None:
    groups = {g.code for g in list_groups()}
    assert {group_of(f"C{n}") for n in range(13, 44)} == groups
    assert group_of("31") == "metals" and group_of("C39") == "electronics"
    assert sectors_for("C31")[0] == "steel"
    assert sectors_for("C32")[0] == "nonferrous"
    assert sectors_for("C30")[0] == "building_materials"
    assert "petrochemical" in sectors_for("C26")
    cross = load_industries().cross_sector
    for d in list_divisions():
        assert d.sectors, d.code
        assert sectors_for(d.code)[-len(cross) :] == cross


# --- broken files ----------------------------------------------------------------------------


def _broken_copy(tmp_path: Path, source: Path, edit: object) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    target = tmp_path / source.name
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


def test_broken_measures_file_names_path_and_every_fault(tmp_path: Path) -> None:
    def edit(data: dict) -> None:
        data["measures"][4]["indicators"] = ["lean.on_time_delivery_rate"]
        data["measures"][5]["dimensions"].append("nonsense")
        data["measures"][6]["lines"] = [100, 200]
        del data["measures"][20]["title_zh"]

    path = _broken_copy(tmp_path, MEASURES_FILE, edit)
    with pytest.raises(InvalidFramework) as caught:
        load_measures(path)
    assert caught.value.path == str(path)
    text = "\n".join(caught.value.problems)
    # The mapping lives in the framework: a list here would drift from it unseen.
    assert "measures[4].indicators: not read here" in text
    assert any(p.startswith("measures[5].dimensions[") and "nonsense" in p
               for p in caught.value.problems)
    assert "measures[6].lines" in text
    assert "measures[20].title_zh" in text


def test_missing_measure_is_caught(tmp_path: Path) -> None:
    path = _broken_copy(tmp_path, MEASURES_FILE, lambda d: d["measures"].pop())
    with pytest.raises(InvalidFramework, match="27 measures, found 26"):
        load_measures(path)


def test_broken_technologies_file(tmp_path: Path) -> None:
    def edit(data: dict) -> None:
        data["technologies"].pop(3)  # steel-04 lost: numbering and total break
        data["technologies"][0]["addresses"] = "water"

    path = _broken_copy(tmp_path, TECHNOLOGIES_FILE, edit)
    with pytest.raises(InvalidFramework) as caught:
        load_technologies(path)
    text = "\n".join(caught.value.problems)
    assert caught.value.path == str(path)
    assert "sectors[steel]" in text and "source.total" in text
    assert "technologies[0].addresses" in text


def test_broken_equipment_and_industries_files(tmp_path: Path) -> None:
    def bad_equipment(data: dict) -> None:
        data["categories"][6]["applies_to"] = ["C99"]

    with pytest.raises(InvalidFramework, match=r"categories\[6\]\.applies_to\[0\]"):
        load_equipment(_broken_copy(tmp_path, EQUIPMENT_FILE, bad_equipment))

    def bad_industries(data: dict) -> None:
        data["divisions"][5]["sectors"] = ["textiles"]
        del data["divisions"][-1]

    with pytest.raises(InvalidFramework) as caught:
        load_industries(_broken_copy(tmp_path, INDUSTRIES_FILE, bad_industries))
    text = "\n".join(caught.value.problems)
    assert "divisions[5].sectors[0]: unknown technology sector 'textiles'" in text
    assert "found 30" in text


def test_unparseable_yaml_is_reported_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "measures.yaml"
    path.write_text("measures: [unclosed\n", encoding="utf-8")
    with pytest.raises(InvalidFramework) as caught:
        load_measures(path)
    assert caught.value.path == str(path)
    assert "not valid YAML" in caught.value.problems[0]
