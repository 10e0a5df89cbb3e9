"""scm-2024 2.0.0: calibrated scoring. 1.0.0 stays loadable and scores exactly as before."""

from __future__ import annotations

import json
import math
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import InvalidInput, evaluate, load_framework, rescore
from indicators.evaluation.calibration import load_calibration
from tests.unit.indicators.conftest import FULL_INPUTS

V1 = load_framework("scm-2024", "1.0.0")
V2 = load_framework("scm-2024", "2.0.0")
STORED_V1 = Path(__file__).parent / "stored" / "scm-2024-1.0.0-full.json"
SHARES = ("overseas_rd_share", "overseas_capacity_share", "overseas_procurement_share",
          "overseas_logistics_share")


def indicator(code: str, framework: Any = V2, cohorts: Any = None, calibration: Any = None,
              **doc: Any) -> dict[str, Any]:
    result = evaluate({"framework": "scm-2024", **doc}, framework=framework, cohorts=cohorts,
                      calibration=calibration)
    entry: dict[str, Any] = result.to_contract()["indicators"][code]
    return entry


# --- versions ----------------------------------------------------------------------------

def test_new_documents_use_2_0_0_and_1_0_0_still_loads() -> None:
    assert load_framework("scm-2024").version == "2.0.0"
    assert V1.version == "1.0.0" and V1.base is None
    assert V2.base == ("scm-2024", "1.0.0")
    assert evaluate({"inputs": {}}).to_contract()["framework"] == {"id": "scm-2024",
                                                                   "version": "2.0.0"}


def test_a_stored_result_of_1_0_0_is_unchanged() -> None:
    """The contract output of the complete enterprise under 1.0.0, written before 2.0.0
    existed (stored/scm-2024-1.0.0-full.json), is reproduced to the last figure."""
    stored = json.loads(STORED_V1.read_text(encoding="utf-8"))
    document = {"framework": "scm-2024", "inputs": FULL_INPUTS}
    assert _as_stored(rescore(document, "scm-2024", "1.0.0").to_contract()) == stored
    # and 1.0.0 ignores the industry a 2.0.0 document may carry
    with_industry = {**document, "industry": "C31"}
    assert _as_stored(rescore(with_industry, "scm-2024", "1.0.0").to_contract()) == stored


def _as_stored(contract: dict[str, Any]) -> dict[str, Any]:
    """Today's output in the shape the stored file was written in: the contract has since
    gained ``warnings`` and ``factors`` and reports values at full precision (the stored
    file has them to two decimals). Scores, levels and coverage are compared as they are."""
    shaped = {key: value for key, value in contract.items()
              if key not in ("warnings", "factors")}
    shaped["indicators"] = {
        code: {**entry, "value": round(entry["value"], 2)
               if isinstance(entry.get("value"), float) else entry.get("value")}
        for code, entry in contract["indicators"].items()}
    return shaped


def test_2_0_0_changes_only_scores_not_values() -> None:
    doc = {"framework": "scm-2024", "inputs": FULL_INPUTS}
    old = evaluate(doc, framework=V1).to_contract()["indicators"]
    new = evaluate(doc, framework=V2).to_contract()["indicators"]
    assert {c: e["value"] for c, e in old.items()} == {c: e["value"] for c, e in new.items()}
    assert old["lean.inventory_turnover"]["score"] != new["lean.inventory_turnover"]["score"]


# --- band calibration: the cited average lands in the middle levels -------------------------

@pytest.mark.parametrize(
    ("code", "inputs", "cited", "figure"),
    [
        # NBS 2023: finished goods turned over in 19.3 days -> 365 / 19.3 = 18.91 times a year
        ("lean.inventory_turnover",
         {"outbound_amount": 365, "average_inventory": 19.3}, "19.3", 365 / 19.3),
        # Guangdong 产品销售率 95.94 %
        ("lean.sales_production_ratio",
         {"units_sold": 9594, "units_produced": 10000}, "95.94", 95.94),
        # NBS 2023: operating cost 84.76 % + period expenses 8.56 % of revenue = 93.32 %
        ("lean.cost_expense_ratio",
         {"operating_cost": 8476, "period_expenses": 856, "operating_revenue": 10000},
         "84.76", 93.32),
    ],
)
def test_the_cited_average_lands_in_levels_2_to_4(
    code: str, inputs: dict[str, Any], cited: str, figure: float
) -> None:
    entry = indicator(code, inputs=inputs)
    assert entry["value"] == pytest.approx(figure, abs=0.01)
    assert 2 <= entry["level"] <= 4, entry
    assert cited in V2.indicator(code).rationale  # the statistic is cited beside the bands
    # 1.0.0 put the first two at the top level, which is what 2.0.0 corrects
    if code != "lean.cost_expense_ratio":
        assert indicator(code, framework=V1, inputs=inputs)["level"] == 5


def test_the_calibration_rule_puts_a_cited_sector_average_at_level_3() -> None:
    calibration = load_calibration()
    multiples = dict(calibration.rule)
    assert multiples[1.0] == 50


# --- per-industry intensity -------------------------------------------------------------------

CITED = """\
rule: [[0.25, 100], [0.5, 80], [1.0, 50], [2.0, 20], [4.0, 0]]
series:
  energy: {unit: tce/万元, name_zh: 能耗, name_en: energy}
  carbon: {unit: tCO2e/万元, name_zh: 碳排放, name_en: carbon}
divisions:
  C31:
    energy: {average: 1.2, year: 2023}
    carbon: {average: 3.0, year: 2023}
    source: {publisher: test publisher, title: test table steel, retrieved: "2026-12-03"}
  C39:
    energy: {average: 0.02, year: 2023}
    source: {publisher: test publisher, title: test table electronics, retrieved: "2026-12-03"}
groups: {}
manufacturing:
  name_zh: 全部制造业
  name_en: all manufacturing
  energy: [[0.02, 100], [0.05, 85], [0.1, 70], [0.2, 50], [0.5, 20], [1.0, 0]]
  carbon: [[0.05, 100], [0.12, 85], [0.25, 70], [0.5, 50], [1.25, 20], [2.5, 0]]
"""


@pytest.fixture
def cited(tmp_path: Path) -> Any:
    """A calibration file holding (test) statistics for steel and electronics: the shipped
    file holds none yet (see its header), so the mechanism is tested on this one."""
    path = tmp_path / "intensity.yaml"
    path.write_text(textwrap.dedent(CITED), encoding="utf-8")
    return load_calibration(path)


def energy(industry: str | None, tce: float, output: float = 10000, **kw: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"inputs": {"energy_tce": tce, "output_value": output}}
    if industry is not None:
        doc["industry"] = industry
    return indicator("green.energy_intensity", **doc, **kw)


def test_steel_and_electronics_each_on_their_own_cited_bands(cited: Any) -> None:
    steel = energy("C31", 1200, calibration=cited)  # 0.12 tce/万元
    assert steel["details"]["scored_against"]["scope"] == "division"
    assert steel["details"]["scored_against"]["code"] == "C31"
    # a steelworks at its sector average (1.2 tce/万元) scores 50, level 3
    at_average = energy("C31", 12000, calibration=cited)
    assert (at_average["score"], at_average["level"]) == (50.0, 3)
    # the same plant on the cross-industry bands of 1.0.0 scored 0
    assert energy("C31", 12000, framework=V1)["score"] == 0.0
    # an electronics plant at its own average (0.02) scores 50 too
    electronics = energy("C39", 200, calibration=cited)
    assert (electronics["score"], electronics["level"]) == (50.0, 3)
    assert electronics["details"]["scored_against"]["code"] == "C39"
    # never one band for both: the electronics figure is excellent for steel, and the steel
    # average is the bottom for electronics
    assert energy("C31", 200, calibration=cited)["score"] == 100.0
    assert energy("C39", 12000, calibration=cited)["score"] == 0.0
    assert "test table steel" in at_average["details"]["scored_against"]["source"]
    assert steel["status"] == "ok"


def test_carbon_intensity_is_calibrated_the_same_way(cited: Any) -> None:
    doc = {"inputs": {"emissions_tco2e": 30000, "output_value": 10000}, "industry": "C31"}
    entry = indicator("green.carbon_intensity", calibration=cited, **doc)
    assert (entry["score"], entry["details"]["scored_against"]["scope"]) == (50.0, "division")


def test_without_a_cited_statistic_the_industry_cohort_decides() -> None:
    # the shipped file holds no cited division: steel and electronics are each ranked among
    # their own peers
    steel_peers = [0.8, 1.0, 1.2, 1.5, 2.0]
    electronics_peers = [0.01, 0.015, 0.02, 0.03, 0.05]
    steel = energy("C31", 12000, cohorts={"green.energy_intensity": steel_peers})
    electronics = energy("C39", 200, cohorts={"green.energy_intensity": electronics_peers})
    assert steel["score"] == electronics["score"] == 50.0  # each at its industry's median
    assert steel["details"]["scored_against"] == {
        "scope": "industry_cohort", "code": "C31", "cohort_size": 5,
        "name": {"zh": "黑色金属冶炼和压延加工业",
                 "en": steel["details"]["scored_against"]["name"]["en"]}}
    assert electronics["details"]["scored_against"]["code"] == "C39"


def test_cited_bands_win_over_a_cohort(cited: Any) -> None:
    entry = energy("C31", 12000, calibration=cited,
                   cohorts={"green.energy_intensity": [10, 20, 30, 40, 50]})
    assert entry["details"]["scored_against"]["scope"] == "division"
    assert entry["score"] == 50.0


def test_otherwise_a_wider_group_and_the_result_says_which() -> None:
    small_cohort = {"green.energy_intensity": [1.0, 1.2]}  # fewer than 5 peers: not used
    entry = energy("C31", 12000, cohorts=small_cohort)
    against = entry["details"]["scored_against"]
    assert against["scope"] == "manufacturing"
    assert against["name"]["en"] == "all manufacturing (cross-industry bands)"
    result = evaluate({"inputs": {"energy_tce": 12000, "output_value": 10000},
                       "industry": "C31"})
    note = result.indicators["green.energy_intensity"].note
    assert note is not None and "wider group" in note[1] and "更宽的组别" in note[0]
    # no industry given: the same, all manufacturing
    assert energy(None, 100)["details"]["scored_against"]["scope"] == "manufacturing"


def test_an_unknown_industry_is_bad_input_naming_the_key() -> None:
    with pytest.raises(InvalidInput) as caught:
        evaluate({"inputs": {}, "industry": "C99"})
    assert [p.key for p in caught.value.problems] == ["industry"]
    assert "C13-C43" in caught.value.problems[0].message_en
    with pytest.raises(InvalidInput):
        evaluate({"inputs": {}, "industry": 31})


def test_a_calibration_file_without_a_source_is_refused(tmp_path: Path) -> None:
    from indicators.problems import InvalidFramework

    path = tmp_path / "bad.yaml"
    path.write_text(CITED.replace("source: {publisher: test publisher, title: test table "
                                  "steel, retrieved: \"2026-12-03\"}", "source: {}"),
                    encoding="utf-8")
    with pytest.raises(InvalidFramework) as caught:
        load_calibration(path)
    assert any(p.startswith("divisions.C31.source") for p in caught.value.problems)


# --- global.footprint never rewards an undisclosed share ----------------------------------

share_values = st.one_of(st.none(), st.floats(min_value=0, max_value=100, allow_nan=False))


@settings(max_examples=300, deadline=None)
@given(shares=st.tuples(share_values, share_values, share_values, share_values),
       which=st.integers(min_value=0, max_value=3),
       disclosed=st.floats(min_value=0, max_value=100, allow_nan=False))
def test_footprint_never_rewards_omission(
    shares: tuple[float | None, ...], which: int, disclosed: float
) -> None:
    """Leaving a share out never scores higher than disclosing it, whatever its value."""
    omitted = dict(zip(SHARES, shares, strict=True))
    omitted[SHARES[which]] = None
    given_all = {**omitted, SHARES[which]: disclosed}
    without = indicator("global.footprint",
                        inputs={k: v for k, v in omitted.items() if v is not None})
    with_it = indicator("global.footprint", inputs=given_all)
    assert with_it["status"] == "ok"
    if without["status"] == "ok":
        assert with_it["score"] >= without["score"], (omitted, disclosed)


def test_footprint_value_stays_the_contracts_mean_of_the_given_shares() -> None:
    entry = indicator("global.footprint", inputs={"overseas_rd_share": 40})
    assert entry["value"] == 40.0
    assert entry["details"]["scored_value"] == 10.0
    assert entry["details"]["undisclosed"] == list(SHARES[1:])
    # 1.0.0 scored the one share as if it were all four: the omission paid
    assert indicator("global.footprint", framework=V1,
                     inputs={"overseas_rd_share": 40})["score"] > entry["score"]


# --- talent.training scores trainings held and participations ------------------------------

def test_training_uses_both_figures() -> None:
    base = {"training_participations": 100, "scm_staff": 50}
    few = indicator("talent.training", inputs={**base, "trainings_held": 1})
    many = indicator("talent.training", inputs={**base, "trainings_held": 12})
    assert few["value"] == many["value"] == 2.0
    assert many["score"] > few["score"]
    more_people = indicator("talent.training", inputs={**base, "training_participations": 300,
                                                      "trainings_held": 1})
    assert more_people["score"] > few["score"]
    # half and half: 2 per person scores 55 on its bands, 12 trainings 80 -> 67.5
    assert many["score"] == 67.5
    # 1.0.0 ignored the trainings held
    assert indicator("talent.training", framework=V1, inputs={**base, "trainings_held": 1})[
        "score"] == indicator("talent.training", framework=V1,
                              inputs={**base, "trainings_held": 12})["score"]


def test_training_without_trainings_held_is_missing_not_zero() -> None:
    entry = indicator("talent.training", inputs={"training_participations": 100,
                                                 "scm_staff": 50})
    assert entry["status"] == "missing" and entry["score"] is None
    assert "trainings_held" in entry["reason"]["en"]


def test_what_if_reaches_the_next_level_for_the_new_rules() -> None:
    doc = {"inputs": {"training_participations": 50, "scm_staff": 50, "trainings_held": 2,
                      "overseas_rd_share": 10, "overseas_capacity_share": 10}}
    result = evaluate(doc)
    steps = {s["code"]: s for s in result.what_if(limit=30)}
    for code, inputs in (
        ("talent.training", {"training_participations": math.ceil(
            steps["talent.training"]["value_needed"] * 50), "scm_staff": 50,
            "trainings_held": 2}),
        ("global.footprint", {"overseas_rd_share": steps["global.footprint"]["value_needed"],
                              "overseas_capacity_share":
                                  steps["global.footprint"]["value_needed"]}),
    ):
        step = steps[code]
        reached = indicator(code, inputs=inputs)
        assert reached["level"] >= step["next_level"], (code, step, reached)
