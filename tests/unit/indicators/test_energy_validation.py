"""validate_energy: every rule names its key, and every problem is collected at once."""

from __future__ import annotations

import math

import pytest

from indicators.energy import calculate_energy, validate_energy
from indicators.problems import InvalidInput

DIESEL = {"carrier": "diesel", "quantity": 10, "unit": "t"}


def problems_of(energy=None, process=None, options=None, previous=None):
    return {(p.key, p.code) for p in validate_energy(energy, process, options, previous)}


def test_a_good_document_has_no_problems():
    energy = [DIESEL, {"carrier": "electricity", "quantity": 5, "unit": "万千瓦时",
                       "source": "green_certificate"},
              {"carrier": "steam", "quantity": 3, "unit": "t", "kgce_per_unit": 120}]
    options = {"gwp_set": "AR6", "electricity_basis": "calorific", "grid_series": "fossil_only",
               "unrelated_option": "left to the rest of the evaluation"}
    assert validate_energy(energy, [{"gas": "SF6", "tonnes": 0.5}], options) == []
    assert validate_energy(None, None, None) == []


@pytest.mark.parametrize(("entry", "key", "code"), [
    ({"carrier": "coal", "quantity": 1, "unit": "t"}, "energy[0].carrier", "unknown_carrier"),
    ({"carrier": 7, "quantity": 1, "unit": "t"}, "energy[0].carrier", "unknown_carrier"),
    ({"quantity": 1, "unit": "t"}, "energy[0].carrier", "required"),
    ({"carrier": "diesel", "quantity": 1, "unit": "kWh"}, "energy[0].unit", "unit_not_allowed"),
    ({"carrier": "natural_gas", "quantity": 1, "unit": "t"}, "energy[0].unit",
     "unit_not_allowed"),
    ({"carrier": "diesel", "quantity": 1, "unit": "barrel"}, "energy[0].unit", "unknown_unit"),
    ({"carrier": "diesel", "quantity": 1}, "energy[0].unit", "required"),
    ({"carrier": "diesel", "unit": "t"}, "energy[0].quantity", "required"),
    ({"carrier": "diesel", "quantity": -1, "unit": "t"}, "energy[0].quantity", "negative"),
    ({"carrier": "diesel", "quantity": "10", "unit": "t"}, "energy[0].quantity", "not_a_number"),
    ({"carrier": "diesel", "quantity": True, "unit": "t"}, "energy[0].quantity", "not_a_number"),
    ({"carrier": "diesel", "quantity": None, "unit": "t"}, "energy[0].quantity", "not_a_number"),
    ({"carrier": "diesel", "quantity": math.nan, "unit": "t"}, "energy[0].quantity",
     "not_a_number"),
    ({"carrier": "diesel", "quantity": math.inf, "unit": "t"}, "energy[0].quantity",
     "not_a_number"),
    ({**DIESEL, "amount": 3}, "energy[0].amount", "unknown_key"),
    ({**DIESEL, "kgce_per_unit": 0}, "energy[0].kgce_per_unit", "not_positive"),
    ({**DIESEL, "kgce_per_unit": False}, "energy[0].kgce_per_unit", "not_a_number"),
    ({"carrier": "steam", "quantity": 1, "unit": "t"}, "energy[0].kgce_per_unit",
     "kgce_per_unit_required"),
    ({**DIESEL, "source": "grid"}, "energy[0].source", "not_allowed"),
    ({"carrier": "electricity", "quantity": 1, "unit": "kWh", "source": "solar"},
     "energy[0].source", "bad_value"),
])
def test_each_energy_rule_names_its_key(entry, key, code):
    assert problems_of([entry]) == {(key, code)}


def test_the_entry_index_is_in_the_key():
    assert problems_of([DIESEL, DIESEL, {**DIESEL, "quantity": -2}]) == {
        ("energy[2].quantity", "negative")}


@pytest.mark.parametrize(("energy", "key", "code"), [
    ({"carrier": "diesel"}, "energy", "not_a_list"),
    (["diesel"], "energy[0]", "not_an_object"),
])
def test_energy_must_be_a_list_of_objects(energy, key, code):
    assert problems_of(energy) == {(key, code)}


@pytest.mark.parametrize(("entry", "key", "code"), [
    ({"gas": "CO", "tonnes": 1}, "process_emissions[0].gas", "unknown_gas"),
    ({"gas": "ch4", "tonnes": 1}, "process_emissions[0].gas", "unknown_gas"),
    ({"tonnes": 1}, "process_emissions[0].gas", "required"),
    ({"gas": "CH4"}, "process_emissions[0].tonnes", "required"),
    ({"gas": "CH4", "tonnes": -0.5}, "process_emissions[0].tonnes", "negative"),
    ({"gas": "CH4", "tonnes": True}, "process_emissions[0].tonnes", "not_a_number"),
    ({"gas": "CH4", "tonnes": 1, "gwp": 28}, "process_emissions[0].gwp", "unknown_key"),
])
def test_each_process_emission_rule_names_its_key(entry, key, code):
    assert problems_of(process=[entry]) == {(key, code)}


@pytest.mark.parametrize(("options", "key", "code"), [
    ({"gwp_set": "AR4"}, "options.gwp_set", "bad_option"),
    ({"electricity_basis": "primary"}, "options.electricity_basis", "bad_option"),
    ({"grid_series": "guangdong"}, "options.grid_series", "bad_option"),
    ({"electricity_equivalent_kgce_per_kwh": -0.3},
     "options.electricity_equivalent_kgce_per_kwh", "not_positive"),
    ("AR6", "options", "not_an_object"),
])
def test_each_option_rule_names_its_key(options, key, code):
    assert problems_of([DIESEL], options=options) == {(key, code)}


def test_the_equivalent_basis_needs_the_equivalent_value():
    electricity = {"carrier": "electricity", "quantity": 1, "unit": "kWh"}
    options = {"electricity_basis": "equivalent"}
    assert problems_of([electricity, electricity], options=options) == {
        ("options.electricity_equivalent_kgce_per_kwh", "required")}
    # Satisfied by the option, or by a coefficient on every electricity entry.
    assert problems_of([electricity], options={**options,
                                               "electricity_equivalent_kgce_per_kwh": 0.3}) == set()
    assert problems_of([{**electricity, "kgce_per_unit": 0.3}], options=options) == set()
    # Without electricity there is nothing to convert.
    assert problems_of([DIESEL], options=options) == set()


PREVIOUS = {"year": 2023, "output_value": 10000, "energy_tce": 1000, "emissions_tco2e": 2000}


def test_a_good_previous_year_has_no_problems():
    assert problems_of(previous=PREVIOUS) == set()
    with_list = {"year": 2023, "output_value": 10000, "energy": [DIESEL],
                 "process_emissions": [{"gas": "CH4", "tonnes": 1}]}
    assert problems_of(previous=with_list) == set()


@pytest.mark.parametrize(("previous", "key", "code"), [
    ({k: v for k, v in PREVIOUS.items() if k != "output_value"}, "previous_year.output_value",
     "required"),
    ({**PREVIOUS, "output_value": -1}, "previous_year.output_value", "negative"),
    ({**PREVIOUS, "output_value": "10000"}, "previous_year.output_value", "not_a_number"),
    ({k: v for k, v in PREVIOUS.items() if k != "year"}, "previous_year.year", "required"),
    ({**PREVIOUS, "year": 2023.0}, "previous_year.year", "not_a_year"),
    ({**PREVIOUS, "year": True}, "previous_year.year", "not_a_year"),
    ({**PREVIOUS, "revenue": 1}, "previous_year.revenue", "unknown_key"),
    ({**PREVIOUS, "energy_tce": True}, "previous_year.energy_tce", "not_a_number"),
    ({**PREVIOUS, "emissions_tco2e": -5}, "previous_year.emissions_tco2e", "negative"),
    ({k: v for k, v in PREVIOUS.items() if k != "energy_tce"}, "previous_year.energy_tce",
     "one_of"),
    ({"year": 2023, "output_value": 1, "energy_tce": 5, "energy": [DIESEL]},
     "previous_year.energy_tce", "one_of"),
    ({"year": 2023, "output_value": 1, "energy": [DIESEL], "emissions_tco2e": 5},
     "previous_year.emissions_tco2e", "one_of"),
    ({**PREVIOUS, "process_emissions": []}, "previous_year.process_emissions", "not_allowed"),
    ({"year": 2023, "output_value": 1, "energy": [{**DIESEL, "unit": "kWh"}]},
     "previous_year.energy[0].unit", "unit_not_allowed"),
    ({"year": 2023, "output_value": 1, "energy": [DIESEL],
      "process_emissions": [{"gas": "XX", "tonnes": 1}]},
     "previous_year.process_emissions[0].gas", "unknown_gas"),
    ([2023, 10000], "previous_year", "not_an_object"),
])
def test_each_previous_year_rule_names_its_key(previous, key, code):
    assert problems_of(previous=previous) == {(key, code)}


def test_every_problem_is_collected_at_once():
    energy = [
        {"carrier": "coal", "quantity": 1, "unit": "t"},
        {"carrier": "diesel", "quantity": -1, "unit": "kWh", "note": "x"},
    ]
    process = [{"gas": "CO", "tonnes": "1"}]
    options = {"gwp_set": "AR4"}
    previous = {"year": 2023, "energy_tce": 10}
    problems = validate_energy(energy, process, options, previous)
    assert {p.key for p in problems} == {
        "energy[0].carrier", "energy[1].quantity", "energy[1].unit", "energy[1].note",
        "process_emissions[0].gas", "process_emissions[0].tonnes", "options.gwp_set",
        "previous_year.output_value"}
    for problem in problems:
        assert problem.message_zh and problem.message_en


def test_calculate_energy_refuses_bad_input_with_every_problem():
    with pytest.raises(InvalidInput) as caught:
        calculate_energy([{"carrier": "coal", "quantity": 1, "unit": "t"}],
                         [{"gas": "CH4", "tonnes": -1}], 2023, {"gwp_set": "AR4"})
    assert {p.key for p in caught.value.problems} == {
        "energy[0].carrier", "process_emissions[0].tonnes", "options.gwp_set"}


def test_messages_are_bilingual_and_name_the_carrier():
    [problem] = validate_energy([{"carrier": "diesel", "quantity": 1, "unit": "MWh"}], [], {})
    assert "柴油" in problem.message_zh
    assert "diesel" in problem.message_en and "MWh" in problem.message_en


def test_messages_name_things_in_words_not_keys():
    energy = [{"carrier": "steam", "quantity": 1, "unit": "t"},
              {"carrier": "natural_gas", "quantity": 1, "unit": "kWh"}]
    previous = {"year": 2023, "output_value": 1, "energy": [], "energy_tce": 1,
                "emissions_tco2e": 1}
    problems = validate_energy(energy, None, {"electricity_basis": "equivalent"}, previous)
    problems += validate_energy([{"carrier": "electricity", "quantity": 1, "unit": "kWh"}],
                                None, {"electricity_basis": "equivalent"},
                                {"year": 2023, "output_value": 1, "energy_tce": 1,
                                 "process_emissions": []})
    keys = {"kgce_per_unit", "energy_tce", "emissions_tco2e", "process_emissions",
            "natural_gas"}
    assert {p.code for p in problems} >= {"kgce_per_unit_required", "unit_not_allowed",
                                          "one_of", "not_allowed", "required"}
    for p in problems:
        assert not any(k in p.message_zh or k in p.message_en for k in keys), p
    by_key = {p.key: p for p in problems}
    assert by_key["energy[0].kgce_per_unit"].message_zh.startswith(
        "以 t 计量的蒸汽没有固定折标系数")
    assert by_key["energy[1].unit"].message_en.startswith(
        "unit kWh is not allowed for natural gas")
