"""Every formula kind on hand-worked cases, with its edges."""

from __future__ import annotations

import pytest

from indicators import InvalidInput, evaluate


def test_contract_example_on_time_delivery(indicator):
    out = indicator("lean.on_time_delivery_rate", deliveries_on_time=965, deliveries_total=1000)
    # 96.5 lies between the anchors (95, 70) and (98, 90): 70 + 1.5/3 × 20 = 80.
    assert out == {"value": 96.5, "unit": "%", "status": "ok", "score": 80.0, "level": 5,
                   "details": {}}


def test_sub_count_equal_to_total_is_the_top(indicator):
    out = indicator("lean.on_time_delivery_rate", deliveries_on_time=7, deliveries_total=7)
    assert (out["value"], out["score"], out["level"]) == (100.0, 100.0, 5)


def test_zero_denominator_is_not_computable_with_a_reason(indicator):
    out = indicator("lean.on_time_delivery_rate", deliveries_on_time=0, deliveries_total=0)
    assert out["status"] == "not_computable"
    assert out["value"] is None and out["score"] is None and out["level"] is None
    assert "deliveries_total" in out["reason"]["en"] and "为 0" in out["reason"]["zh"]


def test_all_inputs_missing(indicator):
    out = indicator("lean.on_time_delivery_rate")
    assert out["status"] == "missing"
    assert out["reason"]["en"] == "inputs missing: deliveries_on_time, deliveries_total"


def test_one_input_missing_names_it(indicator):
    out = indicator("lean.on_time_delivery_rate", deliveries_total=10)
    assert out["status"] == "missing" and out["reason"]["en"].endswith("deliveries_on_time")


def test_cost_expense_ratio_sums_the_numerator_exactly(indicator):
    out = indicator("lean.cost_expense_ratio", operating_cost=0.1, period_expenses=0.2,
                    operating_revenue=0.3)
    assert out["value"] == 100.0  # float arithmetic would give 100.00000000000003
    # 100 lies between (97, 25) and (105, 0): 25 - 3/8 × 25 = 15.625 -> 15.6
    assert out["score"] == 15.6 and out["unit"] == "%"


def test_money_ratio_is_given_at_full_precision(indicator):
    out = indicator("digital.investment_ratio", digital_investment=1, operating_revenue=800)
    assert out["value"] == 0.125  # 1 / 800 × 100, not rounded (pages round for display)
    out = indicator("digital.investment_ratio", digital_investment=1, operating_revenue=3)
    assert out["value"] == 33.333333333333336  # float(Decimal(1) / 3 × 100)


def test_inventory_turnover_in_times(indicator):
    out = indicator("lean.inventory_turnover", outbound_amount=6000, average_inventory=1000)
    assert (out["value"], out["unit"], out["score"]) == (6.0, "times", 60.0)


@pytest.mark.parametrize(
    ("sold", "value", "score"),
    [(1000, 100.0, 100.0), (950, 95.0, 80.0), (1050, 105.0, 80.0), (900, 90.0, 50.0),
     (1100, 110.0, 50.0), (700, 70.0, 0.0), (1500, 150.0, 0.0), (975, 97.5, 90.0),
     (1025, 102.5, 90.0)],
)
def test_sales_production_ratio_closer_to_100_on_both_sides(indicator, sold, value, score):
    out = indicator("lean.sales_production_ratio", units_sold=sold, units_produced=1000)
    assert (out["value"], out["score"]) == (value, score)


def test_units_sold_may_exceed_units_produced(indicator):
    assert indicator("lean.sales_production_ratio", units_sold=12, units_produced=10)[
        "status"] == "ok"


def test_count_share_over_the_ten_business_areas(indicator):
    out = indicator("collaboration.online_business_coverage",
                    online_business_areas=["procurement", "sales", "quality"])
    assert (out["value"], out["score"], out["level"]) == (30.0, 30.0, 2)
    assert indicator("collaboration.online_business_coverage",
                     online_business_areas=[])["value"] == 0.0


def test_resource_sharing_mean_over_owned_types(indicator):
    out = indicator("collaboration.resource_sharing_index",
                    resource_sharing={"warehousing": 40, "testing": 0, "chain_data": None})
    assert out["value"] == 20.0  # (40 + 0) / 2: an owned type not opened counts as 0


def test_resource_sharing_nothing_owned_is_not_computable(indicator):
    out = indicator("collaboration.resource_sharing_index",
                    resource_sharing={"warehousing": None})
    assert out["status"] == "not_computable"
    assert indicator("collaboration.resource_sharing_index", resource_sharing={})[
        "status"] == "not_computable"


def test_footprint_mean_of_the_given_shares(indicator):
    out = indicator("global.footprint", overseas_rd_share=10, overseas_procurement_share=20)
    assert out["value"] == 15.0 and out["score"] == 60.0
    assert indicator("global.footprint")["status"] == "missing"


def test_recruit_develop_is_a_sum(indicator):
    out = indicator("talent.recruit_develop", scm_hires=3, scm_internal_promotions=2)
    assert (out["value"], out["unit"], out["score"]) == (5.0, "persons/year", 55.0)
    assert indicator("talent.recruit_develop", scm_hires=3)["status"] == "missing"


def test_carbon_data_sharing_adds_suppliers_and_customers(indicator):
    out = indicator("green.carbon_data_sharing_ratio", suppliers_sharing_carbon=5,
                    customers_sharing_carbon=15, suppliers_active=80, customers_active=20)
    assert out["value"] == 20.0 and out["score"] == 60.0


def test_level_passthrough(indicator):
    out = indicator("resilience.risk_warning", **{"resilience.risk_warning": 4})
    assert (out["value"], out["unit"], out["score"], out["level"]) == (4, "1-5", 75.0, 4)


@pytest.mark.parametrize(("level", "score"), [(1, 0.0), (2, 25.0), (3, 50.0), (5, 100.0)])
def test_every_level_maps_back_to_itself(indicator, level, score):
    out = indicator("digital.strategy", **{"digital.strategy": level})
    assert (out["score"], out["level"]) == (score, level)


def test_security_details_and_incident_penalty(indicator):
    out = indicator("digital.security", security_investment=100, it_investment=1000,
                    security_incidents=2)
    # 10 % scores 80 on the bands; two incidents take 20 points off.
    assert (out["value"], out["score"], out["level"]) == (10.0, 60.0, 4)
    assert out["details"] == {"incidents": 2}
    capped = indicator("digital.security", security_investment=100, it_investment=1000,
                       security_incidents=9)
    assert capped["score"] == 40.0  # at most 40 points off


def test_training_details_trainings_held(indicator):
    out = indicator("talent.training", training_participations=100, scm_staff=50,
                    trainings_held=6)
    assert (out["value"], out["unit"], out["details"]) == (2.0, "sessions per person",
                                                          {"trainings_held": 6})


def test_training_without_staff_is_not_computable(indicator):
    assert indicator("talent.training", training_participations=0, scm_staff=0)[
        "status"] == "not_computable"


def test_energy_intensity_from_given_tce(indicator):
    out = indicator("green.energy_intensity", energy_tce=500, output_value=10000)
    assert (out["value"], out["unit"], out["score"]) == (0.05, "tce/万元", 85.0)


def test_energy_intensity_from_the_energy_list():
    doc = {"inputs": {"output_value": 1000},
           "energy": [{"carrier": "diesel", "quantity": 10, "unit": "t"}]}
    out = evaluate(doc).to_contract()
    total = out["energy"]["total_tce"]
    assert total > 0
    # Full precision: 14.571 / 1000 and 30.9969162063792 / 1000
    assert out["indicators"]["green.energy_intensity"]["value"] == 0.014571
    assert out["indicators"]["green.carbon_intensity"]["value"] == 0.0309969162063792
    assert total == 14.571
    assert set(out["emissions"]) == {"total_tco2e", "scope1", "scope2"}


def test_a_given_total_next_to_a_list_is_bad_input_unless_totals_says_which_stands():
    doc = {"inputs": {"output_value": 1000, "energy_tce": 100, "emissions_tco2e": 5},
           "energy": [{"carrier": "diesel", "quantity": 10, "unit": "t"}]}
    with pytest.raises(InvalidInput) as caught:
        evaluate(doc)
    assert {(p.key, p.code) for p in caught.value.problems} == {
        ("inputs.energy_tce", "given_and_computed"),
        ("inputs.emissions_tco2e", "given_and_computed")}
    # Words, not codes: the messages are shown beside the questionnaire's fields.
    assert all("given total or the computed one stands" in p.message_en
               and "计算值为准" in p.message_zh and "options" not in p.message_en
               for p in caught.value.problems)


def test_process_emissions_alone_also_compute_emissions():
    doc = {"inputs": {"output_value": 1000, "emissions_tco2e": 5},
           "process_emissions": [{"gas": "CH4", "tonnes": 1}]}
    with pytest.raises(InvalidInput) as caught:
        evaluate(doc)
    assert [p.key for p in caught.value.problems] == ["inputs.emissions_tco2e"]
    # energy_tce alone next to process emissions is no conflict: they compute no energy, and
    # the energy block shows the figure the indicator uses.
    out = evaluate({"inputs": {"output_value": 1000, "energy_tce": 5},
                    "process_emissions": [{"gas": "CH4", "tonnes": 1}]}).to_contract()
    assert out["energy"] == {"total_tce": 5.0, "by_carrier": {}}
    assert out["indicators"]["green.energy_intensity"]["value"] == 0.005
    assert out["emissions"]["total_tco2e"] == 28.0  # 1 t CH4 × 28 (AR5)


def test_totals_given_the_given_figures_stand_everywhere():
    doc = {"inputs": {"output_value": 1000, "energy_tce": 100, "emissions_tco2e": 250},
           "energy": [{"carrier": "diesel", "quantity": 10, "unit": "t"}],
           "options": {"totals": "given"}}
    out = evaluate(doc).to_contract()
    assert out["indicators"]["green.energy_intensity"]["value"] == 0.1  # 100 / 1000
    assert out["indicators"]["green.carbon_intensity"]["value"] == 0.25  # 250 / 1000
    # The output never contradicts itself: the totals shown are the ones scored.
    assert out["energy"]["total_tce"] == 100.0
    assert out["emissions"]["total_tco2e"] == 250.0
    assert out["energy"]["by_carrier"] == {"diesel": 14.571}  # the list's breakdown


def test_totals_computed_the_list_stands():
    doc = {"inputs": {"output_value": 1000, "energy_tce": 100, "emissions_tco2e": 250},
           "energy": [{"carrier": "diesel", "quantity": 10, "unit": "t"}],
           "options": {"totals": "computed"}}
    out = evaluate(doc).to_contract()
    assert out["indicators"]["green.energy_intensity"]["value"] == 0.014571  # 14.571 / 1000
    assert out["energy"]["total_tce"] == 14.571
    assert out["emissions"]["total_tco2e"] == 30.9969162063792


def test_totals_option_takes_given_or_computed_only():
    doc = {"inputs": {"output_value": 1000}, "options": {"totals": "both"}}
    with pytest.raises(InvalidInput) as caught:
        evaluate(doc)
    assert [p.key for p in caught.value.problems] == ["options.totals"]


def test_no_energy_keys_without_an_energy_list(document):
    out = evaluate(document(energy_tce=1, output_value=10)).to_contract()
    assert "energy" not in out and "emissions" not in out


def test_declared_not_applicable(document):
    out = evaluate(document(not_applicable=["global.footprint"], overseas_rd_share=10)
                   ).to_contract()
    entry = out["indicators"]["global.footprint"]
    assert entry["status"] == "not_applicable" and entry["score"] is None
    assert entry["reason"]["en"] == "declared not applicable by the enterprise"


def test_null_input_means_not_given(indicator):
    assert indicator("lean.on_time_delivery_rate", deliveries_on_time=None,
                     deliveries_total=5)["status"] == "missing"
