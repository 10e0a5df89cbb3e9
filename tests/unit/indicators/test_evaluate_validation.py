"""Every validation rule of the input document: all problems collected, each naming its key."""

from __future__ import annotations

import pytest

from indicators import InvalidInput, evaluate


def problems_of(doc, **kwargs):
    with pytest.raises(InvalidInput) as caught:
        evaluate(doc, **kwargs)
    return {p.key: p for p in caught.value.problems}


@pytest.mark.parametrize(
    ("inputs", "key", "code"),
    [
        ({"no_such_input": 1}, "inputs.no_such_input", "unknown_input"),
        ({"deliveries_total": "10"}, "inputs.deliveries_total", "not_a_number"),
        ({"deliveries_total": True}, "inputs.deliveries_total", "not_a_number"),
        ({"operating_revenue": False}, "inputs.operating_revenue", "not_a_number"),
        ({"deliveries_total": 2.5}, "inputs.deliveries_total", "not_whole"),
        ({"deliveries_total": -1}, "inputs.deliveries_total", "negative"),
        ({"operating_revenue": -0.01}, "inputs.operating_revenue", "negative"),
        ({"overseas_rd_share": 101}, "inputs.overseas_rd_share", "percent_out_of_range"),
        ({"digital.strategy": 6}, "inputs.digital.strategy", "level_out_of_range"),
        ({"digital.strategy": 0}, "inputs.digital.strategy", "level_out_of_range"),
        ({"digital.strategy": 2.5}, "inputs.digital.strategy", "level_out_of_range"),
        ({"digital.strategy": True}, "inputs.digital.strategy", "not_a_number"),
        ({"online_business_areas": ["mining"]}, "inputs.online_business_areas[0]",
         "unknown_value"),
        ({"online_business_areas": ["sales", "sales"]}, "inputs.online_business_areas[1]",
         "duplicate"),
        ({"online_business_areas": "sales"}, "inputs.online_business_areas", "not_a_list"),
        ({"resource_sharing": {"gold": 10}}, "inputs.resource_sharing.gold", "unknown_value"),
        ({"resource_sharing": {"testing": 120}}, "inputs.resource_sharing.testing",
         "percent_out_of_range"),
        ({"resource_sharing": {"testing": "x"}}, "inputs.resource_sharing.testing",
         "not_a_number"),
        ({"resource_sharing": [1]}, "inputs.resource_sharing", "not_an_object"),
        ({"lean.on_time_delivery_rate": 90}, "inputs.lean.on_time_delivery_rate",
         "unknown_input"),
    ],
)
def test_input_rules(inputs, key, code):
    found = problems_of({"inputs": inputs})
    assert key in found and found[key].code == code
    assert found[key].message_zh and found[key].message_en


@pytest.mark.parametrize(
    ("sub", "total"),
    [("deliveries_on_time", "deliveries_total"), ("units_qualified", "units_output"),
     ("partners_online_active", "partners_total"), ("orders_online", "orders_total"),
     ("payments_on_time", "payments_due"), ("scm_staff", "total_staff"),
     ("overseas_revenue", "operating_revenue"), ("suppliers_sharing_carbon", "suppliers_active"),
     ("customers_sharing_carbon", "customers_active"),
     ("green_product_sales", "product_sales"), ("green_purchases", "purchases_total"),
     ("recycled_material_input", "raw_material_input"),
     ("security_investment", "it_investment")],
)
def test_sub_count_above_its_total(sub, total):
    found = problems_of({"inputs": {sub: 11, total: 10}})
    assert found[f"inputs.{sub}"].code == "exceeds_total"
    evaluate({"inputs": {sub: 10, total: 10}})  # equal is fine


def test_every_problem_is_collected_at_once():
    doc = {"inputs": {"x": 1, "deliveries_total": -1, "digital.strategy": 9,
                      "online_business_areas": ["nope"]},
           "not_applicable": ["no.such"], "year": "2023", "extra": 1}
    found = problems_of(doc)
    assert set(found) == {"inputs.x", "inputs.deliveries_total", "inputs.digital.strategy",
                          "inputs.online_business_areas[0]", "not_applicable[0]", "year",
                          "extra"}


@pytest.mark.parametrize(
    ("doc", "key"),
    [([1, 2], "(document)"), ("text", "(document)"), ({"inputs": []}, "inputs"),
     ({"not_applicable": "global.footprint"}, "not_applicable"),
     ({"year": True}, "year"), ({"year": 1800}, "year"), ({"framework": 3}, "framework"),
     ({"energy": {}}, "energy"), ({"process_emissions": 1}, "process_emissions"),
     ({"options": []}, "options"), ({"previous_year": 2022}, "previous_year"),
     ({"framework": "no-such-framework"}, "framework")],
)
def test_document_shape(doc, key):
    assert key in problems_of(doc)


def test_energy_problems_are_delegated_and_named():
    found = problems_of({"energy": [{"carrier": "diesel", "quantity": -1, "unit": "t"},
                                    {"carrier": "unobtainium", "quantity": 1, "unit": "t"}]})
    assert "energy[0].quantity" in found and "energy[1].carrier" in found


def test_unknown_option_is_reported():
    found = problems_of({"options": {"gwp_set": "AR6", "colour": "red"}})
    assert set(found) == {"options.colour"}


def test_known_options_and_previous_year_are_accepted():
    evaluate({"options": {"gwp_set": "AR6"},
              "previous_year": {"year": 2022, "output_value": 100, "energy_tce": 10},
              "inputs": {"output_value": 100, "energy_tce": 9}, "year": 2023})


def test_previous_year_problems_come_from_the_energy_validator():
    found = problems_of({"previous_year": {"year": 2022}})
    assert "previous_year.output_value" in found


@pytest.mark.parametrize(
    ("cohorts", "key"),
    [({"no.such": [1]}, "cohorts.no.such"),
     ({"digital.strategy": [1, 2]}, "cohorts.digital.strategy"),
     ({"lean.inventory_turnover": [1, "2"]}, "cohorts.lean.inventory_turnover[1]"),
     ({"lean.inventory_turnover": [True]}, "cohorts.lean.inventory_turnover[0]"),
     ({"lean.inventory_turnover": 3}, "cohorts.lean.inventory_turnover"),
     ([1], "cohorts")],
)
def test_cohort_rules(cohorts, key):
    assert key in problems_of({"inputs": {}}, cohorts=cohorts)


def test_integral_float_counts_are_accepted(indicator):
    assert indicator("lean.on_time_delivery_rate", deliveries_on_time=9.0,
                     deliveries_total=10.0)["value"] == 90.0


def test_nan_is_not_a_number():
    found = problems_of({"inputs": {"operating_revenue": float("nan")}})
    assert found["inputs.operating_revenue"].code == "not_finite"


def test_sub_count_message_names_both_inputs_by_their_framework_names():
    found = problems_of({"inputs": {"deliveries_on_time": 1200, "deliveries_total": 1000}})
    problem = found["inputs.deliveries_on_time"]
    assert problem.message_zh == "准时交货次数不能大于总交货次数（1200 > 1000）"
    assert problem.message_en == (
        "Deliveries on time may not exceed deliveries in total (1200 > 1000)")
    assert problem.params == {"total": "deliveries_total"}
    # An acronym keeps its capitals inside the sentence.
    found = problems_of({"inputs": {"security_investment": 11, "it_investment": 10}})
    assert found["inputs.security_investment"].message_en == (
        "Network and data security investment may not exceed IT investment (11 > 10)")


@pytest.mark.parametrize(("sub", "total"), [
    ("deliveries_on_time", "deliveries_total"), ("units_qualified", "units_output"),
    ("overseas_revenue", "operating_revenue"), ("scm_staff", "total_staff"),
])
def test_rule_messages_carry_names_not_keys(sub, total):
    problem = problems_of({"inputs": {sub: 11, total: 10}})[f"inputs.{sub}"]
    for text in (problem.message_zh, problem.message_en):
        assert sub not in text and total not in text
