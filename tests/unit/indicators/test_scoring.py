"""Scores, levels, weighted aggregation, coverage and relative (cohort) scoring."""

from __future__ import annotations

import pytest

from indicators import evaluate
from indicators.evaluation.relative import percentile_score
from indicators.evaluation.scoring import band_score, value_for_score


def test_level_from_score_bands(scm):
    assert [scm.level_for(s) for s in (0, 19.9, 20, 39.9, 40, 60, 79.9, 80, 100)] == [
        1, 1, 2, 2, 3, 4, 4, 5, 5]


def test_bands_clamp_and_interpolate(scm):
    ind = scm.indicator("lean.on_time_delivery_rate")
    values = tuple(v for v, _ in ind.bands)
    assert band_score(ind.bands, values, 50)[0] == 0
    assert band_score(ind.bands, values, 100)[0] == 100
    assert band_score(ind.bands, values, 92.5)[0] == pytest.approx(55.0)


def test_value_for_score_inverts_the_bands(scm):
    ind = scm.indicator("lean.cost_expense_ratio")  # lower is better
    value = value_for_score(ind, 80, current=95)
    assert value == pytest.approx(85)
    target = scm.indicator("lean.sales_production_ratio")
    assert value_for_score(target, 80, current=90) == pytest.approx(95)
    assert value_for_score(target, 80, current=115) == pytest.approx(105)


def test_dimension_score_is_the_weighted_mean_of_ok_indicators(document):
    out = evaluate(document(deliveries_on_time=965, deliveries_total=1000,
                            units_qualified=990, units_output=1000)).to_contract()
    # on time 96.5 % scores 80.0; quality 99.0 % scores 70 + 1.0/1.5 × 20 = 83.3
    scores = [out["indicators"][c]["score"] for c in
              ("lean.on_time_delivery_rate", "lean.quality_pass_rate")]
    assert out["dimensions"]["lean"]["score"] == round(sum(scores) / 2, 1)
    assert out["dimensions"]["lean"]["coverage"] == round(2 / 6, 2)


def test_overall_is_the_dimension_weighted_mean(full_document):
    result = evaluate(full_document())
    dims = result.dimensions
    expected = sum(d.weight * d.score for d in dims.values()) / sum(d.weight for d in dims.values())
    assert result.overall.score == round(expected, 1)
    assert result.overall.coverage == 1.0
    assert result.overall.level == result.framework.level_for(result.overall.score)


def test_missing_is_never_scored_as_zero(full_document):
    full = evaluate(full_document()).dimensions["lean"]
    fewer = evaluate(full_document(deliveries_on_time=None, deliveries_total=None)
                     ).dimensions["lean"]
    assert fewer.coverage < 1.0
    on_time = evaluate(full_document()).indicators["lean.on_time_delivery_rate"].score
    others = (full.exact_score * 6 - on_time) / 5
    assert fewer.score == round(others, 1)


def test_not_applicable_does_not_lower_coverage(full_document):
    missing = evaluate(full_document(overseas_rd_share=None, overseas_capacity_share=None,
                                     overseas_procurement_share=None,
                                     overseas_logistics_share=None))
    declared_doc = full_document(overseas_rd_share=None, overseas_capacity_share=None,
                                 overseas_procurement_share=None, overseas_logistics_share=None)
    declared_doc["not_applicable"] = ["global.footprint"]
    declared = evaluate(declared_doc)
    assert missing.dimensions["global"].coverage == 0.67
    assert declared.dimensions["global"].coverage == 1.0
    assert declared.overall.coverage == 1.0 > missing.overall.coverage


def test_a_dimension_with_nothing_applicable_has_no_score(document):
    codes = ["global.overseas_revenue_ratio", "global.footprint", "global.rule_participation"]
    out = evaluate(document(not_applicable=codes)).to_contract()
    assert out["dimensions"]["global"] == {"score": None, "level": None, "coverage": None}


def test_empty_document_scores_nothing():
    out = evaluate({}).to_contract()
    assert out["overall"] == {"score": None, "level": None, "coverage": 0.0}
    assert all(i["status"] == "missing" for i in out["indicators"].values())


@pytest.mark.parametrize(
    ("code", "value", "cohort", "expected"),
    [("lean.inventory_turnover", 5, [1, 2, 3, 4, 6, 7, 8, 9], 50.0),
     ("lean.inventory_turnover", 5, [5, 5, 5, 5, 5], 50.0),
     ("lean.inventory_turnover", 10, [1, 2, 3, 4, 5], 100.0),
     ("lean.cost_expense_ratio", 80, [85, 90, 95, 70, 60], 60.0),
     ("lean.sales_production_ratio", 101, [90, 110, 99, 102, 100], 70.0)],
)
def test_percentile_is_direction_aware(scm, code, value, cohort, expected):
    assert percentile_score(scm.indicator(code), value, tuple(cohort)) == expected


def test_relative_indicator_scored_by_cohort(document):
    doc = document(resource_sharing={"warehousing": 30})
    cohort = {"collaboration.resource_sharing_index": [5, 10, 20, 40, 50]}
    result = evaluate(doc, cohorts=cohort)
    r = result.indicators["collaboration.resource_sharing_index"]
    assert (r.method, r.score, r.note) == ("relative", 60.0, None)


def test_relative_indicator_falls_back_and_says_so(document):
    doc = document(resource_sharing={"warehousing": 30})
    alone = evaluate(doc).indicators["collaboration.resource_sharing_index"]
    assert alone.method == "bands" and alone.score == 60.0
    assert "cohort" in alone.note[1]
    small = evaluate(doc, cohorts={"collaboration.resource_sharing_index": [1, 2]})
    r = small.indicators["collaboration.resource_sharing_index"]
    assert r.method == "bands" and "2 values" in r.note[1]
    trace = small.trace["dimensions"]["collaboration"]["indicators"][3]
    assert trace["note"]["en"] == r.note[1]


def test_any_quantitative_indicator_can_be_benchmarked(document):
    doc = document(outbound_amount=6000, average_inventory=1000)
    result = evaluate(doc, cohorts={"lean.inventory_turnover": [2, 4, 8, 10, 12]})
    r = result.indicators["lean.inventory_turnover"]
    assert (r.method, r.score) == ("relative", 40.0)
