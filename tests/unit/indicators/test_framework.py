"""The framework data: contract codes, guide texts, schema faults, derived frameworks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from indicators import InvalidFramework, evaluate, list_frameworks, load_framework, rescore
from indicators.framework.loader import FRAMEWORK_DIR
from indicators.framework.schema import validate_framework_data

# shared/ sits beside the checkout (as in CI); the seed is the source of the data files.
SHARED = Path(__file__).resolve().parents[3].parent / "shared"
SEED = SHARED / "seeds" / "000_e6766f8c52c2b1dc.txt"
CONTRACT = SHARED / "indicator-contract.md"
MEASURES = FRAMEWORK_DIR.parent / "catalogue" / "measures.yaml"
BASE_FILE = FRAMEWORK_DIR / "scm-2024.yaml"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_codes_are_exactly_the_contracts(scm):
    contract = CONTRACT.read_text(encoding="utf-8")
    codes = set(re.findall(r"^\| ([a-z]+\.[a-z_]+) \|", contract, re.M))
    dims = set(re.findall(r"^\| \*\*([a-z]+)\*\* \|", contract, re.M))
    assert len(codes) == 30 and set(scm.indicators) == codes
    assert {d.code for d in scm.dimensions} == dims


def test_names_and_explanations_are_the_guides_own(scm):
    seed_lines = SEED.read_text(encoding="utf-8").splitlines()
    for ind in scm.indicators.values():
        first, last = ind.source_lines
        passage = _squash("".join(seed_lines[first - 1:last]))
        assert _squash(ind.explanation_zh) in passage, ind.code
        assert _squash(ind.name_zh) in passage, ind.code


def test_every_level_indicator_has_five_descriptors(scm):
    qualitative = [i for i in scm.indicators.values() if i.qualitative]
    assert len(qualitative) == 7
    for ind in qualitative:
        assert sorted(ind.level_descriptors) == [1, 2, 3, 4, 5]
        assert all(d["zh"] and d["en"] for d in ind.level_descriptors.values())


def test_every_referenced_measure_exists_in_the_catalogue(scm):
    numbers = {m["number"] for m in yaml.safe_load(MEASURES.read_text("utf-8"))["measures"]}
    assert numbers == set(range(1, 28))
    for ind in scm.indicators.values():
        assert ind.measures and set(ind.measures) <= numbers, ind.code


def test_identity_and_listing(scm):
    assert (scm.id, scm.version) == ("scm-2024", "1.0.0")
    listed = [(f["id"], f["version"], f["base"]) for f in list_frameworks()]
    assert ("scm-2024", "1.0.0", "") in listed
    assert ("scm-2024", "2.0.0", "scm-2024@1.0.0") in listed
    assert load_framework("scm-2024").version == "2.0.0"  # the newest without a version
    assert load_framework("scm-2024", "1.0.0") is scm
    with pytest.raises(InvalidFramework):
        load_framework("scm-2024", "9.9.9")
    with pytest.raises(InvalidFramework):
        load_framework("no-such-framework")


def _base() -> dict:
    return yaml.safe_load(BASE_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("mutate", "fault"),
    [
        (lambda d: d.pop("version"), "version"),
        (lambda d: d["dimensions"][1]["indicators"][3].update(bands=[[90, 50], [80, 60]]),
         "dimensions[1].indicators[3].bands"),
        (lambda d: d["dimensions"][1]["indicators"][3].update(bands=[[80, 60], [90, 50]]),
         "dimensions[1].indicators[3].bands"),
        (lambda d: d["dimensions"][1]["indicators"][1].update(bands=[[70, 0], [90, 100]]),
         "dimensions[1].indicators[1].bands"),
        (lambda d: d["dimensions"][1]["indicators"][0].update(target=150),
         "dimensions[1].indicators[0].target"),
        (lambda d: d["dimensions"][0]["indicators"][0]["level_descriptors"].pop(5),
         "dimensions[0].indicators[0].level_descriptors"),
        (lambda d: d["dimensions"][0]["indicators"][1].update(measures=[28]),
         "dimensions[0].indicators[1].measures"),
        (lambda d: d["dimensions"][1]["indicators"][3]["formula"].update(numerator=["nope"]),
         "dimensions[1].indicators[3].formula.numerator"),
        (lambda d: d["dimensions"][1]["indicators"][3]["formula"].update(kind="eval"),
         "dimensions[1].indicators[3].formula.kind"),
        (lambda d: d["inputs"]["deliveries_on_time"].update(max_input="ghost"),
         "inputs.deliveries_on_time.max_input"),
        (lambda d: d["dimensions"][2].update(weight=-1), "dimensions[2].weight"),
        (lambda d: d["dimensions"][1]["indicators"][3].pop("rationale"),
         "dimensions[1].indicators[3].rationale"),
        (lambda d: d["dimensions"][1]["indicators"][3].update(colour="red"),
         "dimensions[1].indicators[3]"),
        (lambda d: d["dimensions"][1]["indicators"].append(
            dict(d["dimensions"][1]["indicators"][0])), "dimensions[1].indicators[6].code"),
        (lambda d: d.update(level_scores={1: 0, 2: 25}), "level_scores"),
    ],
)
def test_schema_faults_carry_their_yaml_path(mutate, fault):
    data = _base()
    assert validate_framework_data(data) == []
    mutate(data)
    errors = validate_framework_data(data)
    assert any(e.startswith(fault) for e in errors), errors


def test_a_broken_file_fails_loudly(tmp_path):
    data = _base()
    data["dimensions"][1]["weight"] = "heavy"
    data["version"] = 1
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InvalidFramework) as caught:
        load_framework(path)
    assert any(p.startswith("dimensions[1].weight") for p in caught.value.problems)
    assert any(p.startswith("version") for p in caught.value.problems)
    (tmp_path / "bad.yaml").write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(InvalidFramework):
        load_framework(tmp_path / "bad.yaml")


DERIVED = """\
id: scm-2024-c36
version: "1.1.0"
name_zh: 汽车制造业派生框架
name_en: Derived framework for motor vehicles
base: {id: scm-2024, version: "1.0.0"}
dimension_weights: {global: 0}
indicators:
  lean.inventory_turnover:
    weight: 3
    bands: [[0, 0], [10, 50], [20, 100]]
    rationale: 整车厂周转更快。 / Vehicle makers turn stock faster.
  global.footprint: {applicable: false}
add_inputs:
  jit_deliveries: {type: int, name_zh: 准时化配送次数, name_en: JIT deliveries,
                   max_input: deliveries_total}
add_indicators:
  - dimension: lean
    code: lean.jit_share
    name_zh: 准时化配送占比
    name_en: JIT delivery share
    explanation_zh: 准时化配送次数占总交货次数的比例。
    explanation_en: JIT deliveries as a share of all deliveries.
    source_lines: [5602, 5611]
    formula: {kind: ratio, numerator: [jit_deliveries], denominator: [deliveries_total], scale: 100}
    unit: "%"
    direction: higher
    weight: 1
    measures: [6]
    bands: [[0, 0], [100, 100]]
    rationale: 线性。 / Linear.
"""


def test_derived_framework_overrides_and_adds(derived_file, full_document):
    path = derived_file(DERIVED)
    derived = load_framework(path)
    assert (derived.id, derived.version, derived.base) == ("scm-2024-c36", "1.1.0",
                                                         ("scm-2024", "1.0.0"))
    doc = full_document(jit_deliveries=500)
    out = evaluate(doc, framework=derived).to_contract()
    assert out["framework"] == {"id": "scm-2024-c36", "version": "1.1.0"}
    assert out["indicators"]["lean.jit_share"]["value"] == 50.0
    assert out["indicators"]["lean.inventory_turnover"]["score"] == 30.0  # 6 times on new bands
    assert out["indicators"]["global.footprint"]["status"] == "not_applicable"
    assert "switched off" in out["indicators"]["global.footprint"]["reason"]["en"]
    # global weighs 0: the overall score is the mean of the other six dimensions.
    dims = out["dimensions"]
    others = [k for k in dims if k != "global"]
    weights = {d.code: d.weight for d in derived.dimensions}
    expected = sum(weights[k] * dims[k]["score"] for k in others) / sum(weights[k] for k in others)
    assert out["overall"]["score"] == pytest.approx(expected, abs=0.06)


def test_rescoring_old_inputs_under_another_version(derived_file, full_document):
    doc = full_document()
    before = evaluate(doc, framework=load_framework("scm-2024", "1.0.0")).to_contract()
    after = rescore(doc, derived_file(DERIVED))
    assert before["framework"]["id"] == "scm-2024"
    assert after.to_contract()["framework"] == {"id": "scm-2024-c36", "version": "1.1.0"}
    assert after.to_contract()["indicators"]["lean.inventory_turnover"]["score"] != before[
        "indicators"]["lean.inventory_turnover"]["score"]
    assert rescore(doc, "scm-2024", "1.0.0").to_contract() == before


def test_the_derived_input_is_validated(derived_file):
    from indicators import InvalidInput

    derived = load_framework(derived_file(DERIVED))
    with pytest.raises(InvalidInput) as caught:
        evaluate({"inputs": {"jit_deliveries": 11, "deliveries_total": 10}}, framework=derived)
    assert [p.key for p in caught.value.problems] == ["inputs.jit_deliveries"]


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        (DERIVED.replace("lean.inventory_turnover:", "lean.ghost:"), "indicators.lean.ghost"),
        (DERIVED.replace("weight: 3", "code: lean.other"),
         "indicators.lean.inventory_turnover.code"),
        (DERIVED.replace("version: \"1.0.0\"}", "version: \"0.1\"}"), "base"),
        (DERIVED.replace("dimension_weights: {global: 0}", "dimension_weights: {space: 1}"),
         "dimension_weights.space"),
        (DERIVED.replace("bands: [[0, 0], [10, 50], [20, 100]]", "bands: [[0, 100], [20, 0]]"),
         "dimensions[1].indicators[2].bands"),
        (DERIVED.replace("  - dimension: lean", "  - dimension: moon"), "add_indicators[0]"),
    ],
)
def test_derived_framework_faults(derived_file, text, fault):
    with pytest.raises(InvalidFramework) as caught:
        load_framework(derived_file(text))
    assert any(p.startswith(fault) for p in caught.value.problems), caught.value.problems
