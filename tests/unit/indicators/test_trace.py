"""The explanation trace adds up; what-if gains are consistent with re-evaluation."""

from __future__ import annotations

import pytest

from indicators import evaluate


def test_contributions_sum_to_dimension_and_overall(full_document):
    result = evaluate(full_document())
    trace = result.trace
    total = 0.0
    for code, dim in trace["dimensions"].items():
        parts = sum(i["contribution"] for i in dim["indicators"])
        assert parts == pytest.approx(dim["score"], abs=0.05), code
        assert parts == pytest.approx(dim["exact_score"], abs=1e-3), code
        total += dim["contribution"]
    assert total == pytest.approx(trace["overall"]["score"], abs=0.05)


def test_trace_entry_walks_inputs_to_contribution(document):
    result = evaluate(document(deliveries_on_time=965, deliveries_total=1000))
    entry = result.trace["dimensions"]["lean"]["indicators"][3]
    assert entry["inputs"] == {"deliveries_on_time": 965, "deliveries_total": 1000}
    assert entry["formula"] == "deliveries_on_time / deliveries_total × 100"
    assert entry["band"] == {"from": [95.0, 70.0], "to": [98.0, 90.0], "clamped": False}
    assert (entry["value"], entry["score"], entry["weight_share"], entry["contribution"]) == (
        96.5, 80.0, 1.0, 80.0)


def test_trace_shows_money_inputs_as_numbers_and_energy_source():
    doc = {"inputs": {"output_value": 1000},
           "energy": [{"carrier": "diesel", "quantity": 10, "unit": "t"}]}
    entry = evaluate(doc).trace["dimensions"]["green"]["indicators"][0]
    assert entry["source"] == "energy"
    assert isinstance(entry["inputs"]["energy_tce"], float)


def test_what_if_weakest_first_with_value_needed(full_document):
    result = evaluate(full_document())
    gains = result.what_if(limit=30)
    scores = [g["score"] for g in gains]
    assert scores == sorted(scores)
    assert all(g["level"] < 5 and g["next_level"] == g["level"] + 1 for g in gains)
    assert len(result.what_if(limit=2)) == 2


@pytest.mark.parametrize(
    ("code", "inputs_for"),
    [("lean.on_time_delivery_rate",
      lambda v: {"deliveries_on_time": round(v * 100), "deliveries_total": 10000}),
     ("lean.cost_expense_ratio",
      lambda v: {"operating_cost": v * 100 - 1000, "period_expenses": 1000,
                 "operating_revenue": 10000})],
)
def test_reaching_the_value_needed_gives_the_promised_gain(full_document, code, inputs_for):
    base = {"deliveries_on_time": 920}
    result = evaluate(full_document(**base))
    gain = next(g for g in result.what_if(limit=30) if g["code"] == code)
    again = evaluate(full_document(**{**base, **inputs_for(gain["value_needed"])}))
    assert again.indicators[code].level == gain["next_level"]
    assert again.indicators[code].score == pytest.approx(gain["score_needed"], abs=0.1)
    dim = result.dimensions[gain["dimension"]]
    assert again.dimensions[gain["dimension"]].score == pytest.approx(
        dim.score + gain["dimension_gain"], abs=0.1)
    assert again.overall.score == pytest.approx(
        result.overall.score + gain["overall_gain"], abs=0.1)


def test_what_if_for_a_level_indicator(full_document):
    gain = next(g for g in evaluate(full_document()).what_if(limit=30)
                if g["code"] == "global.rule_participation")
    assert (gain["value_needed"], gain["score_needed"]) == (2, 25.0)
    assert gain["overall_gain"] > 0


def test_what_if_accounts_for_the_incident_penalty(full_document):
    result = evaluate(full_document(security_incidents=2))
    gain = next(g for g in result.what_if(limit=30) if g["code"] == "digital.security")
    # 5 % share scores 50, minus 20 → 30 (level 2); level 3 needs 40 → band 60 → 6.67 %.
    assert gain["score"] == 30.0 and gain["value_needed"] == pytest.approx(6.67)


def test_what_if_with_a_cohort(document):
    doc = document(resource_sharing={"warehousing": 10})
    cohort = [5, 10, 20, 40, 50, 60]
    result = evaluate(doc, cohorts={"collaboration.resource_sharing_index": cohort})
    gain = result.what_if()[0]
    assert gain["code"] == "collaboration.resource_sharing_index"
    assert gain["value_needed"] in cohort and gain["value_needed"] > 10
