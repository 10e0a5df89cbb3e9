"""Plausibility warnings: each rule with the unit slip it is meant to catch and a normal value
that must pass, in both languages. Warnings never make a document invalid."""

from __future__ import annotations

import io
import json

import pytest

from indicators import evaluate
from indicators.cli import main


def warnings_of(document):
    doc = {"framework": "scm-2024", "year": 2023, **document}
    return evaluate(doc).to_contract()["warnings"]


def codes(document):
    return [(w["code"], w["key"]) for w in warnings_of(document)]


def energy(*entries, output=10000, **inputs):
    return {"inputs": {"output_value": output, **inputs}, "energy": list(entries)}


# (carrier, unit, normal quantity, slipped quantity, the cause the message names)
QUANTITY_SLIPS = [
    # 5,000 MWh for 10,000 万元 = 500 kWh/万元; the kWh figure entered as MWh = 500,000
    ("electricity", "MWh", 5000, 5000000, "looks like kWh entered as MWh"),
    ("electricity", "万千瓦时", 500, 500000, "looks like MWh entered as 10^4 kWh"),
    ("raw_coal", "t", 2000, 2000000, "looks like kg entered as t"),
    ("coke", "t", 5000, 5000000, "looks like kg entered as t"),
    ("diesel", "t", 50, 500000, "looks like kg entered as t"),
    ("lng", "t", 100, 1000000, "looks like kg entered as t"),
    ("natural_gas", "10^4 m3", 50, 500000, "looks like m3 entered as 10^4 m3"),
    ("blast_furnace_gas", "10^4 m3", 3000, 3000000, "looks like m3 entered as 10^4 m3"),
    ("steam", "GJ", 20000, 20000000, "looks like MJ entered as GJ"),
]


@pytest.mark.parametrize(("carrier", "unit", "normal", "slip", "cause"), QUANTITY_SLIPS)
def test_a_quantity_a_thousand_times_too_large_is_warned(carrier, unit, normal, slip, cause):
    assert warnings_of(energy({"carrier": carrier, "quantity": normal, "unit": unit})) == []
    [warning] = warnings_of(energy({"carrier": carrier, "quantity": slip, "unit": unit}))
    assert (warning["code"], warning["key"], warning["severity"]) == (
        "quantity_too_high", "energy[0].quantity", "warning")
    assert cause in warning["message"]["en"]
    assert "per 10,000 yuan of output" in warning["message"]["en"]
    assert "每万元产值" in warning["message"]["zh"] and "疑似" in warning["message"]["zh"]


def test_mwh_entered_as_kwh_is_warned_in_both_languages():
    # 5,000 kWh for 10,000 万元 = 0.5 kWh/万元: below 2, MWh were meant
    [warning] = warnings_of(energy({"carrier": "electricity", "quantity": 5000, "unit": "kWh"}))
    assert (warning["code"], warning["key"]) == ("quantity_too_low", "energy[0].quantity")
    assert warning["message"] == {
        "zh": "电力每万元产值 0.5 千瓦时，超出合理范围（2–30,000 千瓦时/万元）：疑似把以兆瓦时计的"
              "数量按千瓦时填写，或产值以元而非万元填写。",
        "en": "Electricity of 0.5 kWh per 10,000 yuan of output is outside the plausible range "
              "(2-30,000 kWh per 10,000 yuan): looks like MWh entered as kWh, or the output "
              "value given in yuan instead of 10,000 yuan."}
    # A normal consumption in kWh passes: 5,000,000 kWh = 500 kWh/万元
    assert warnings_of(energy({"carrier": "electricity", "quantity": 5000000,
                               "unit": "kWh"})) == []


def test_a_small_quantity_of_a_fuel_is_normal():
    # 10 kg of diesel for a forklift at a 10,000 万元 plant: no lower bound for fuels, and a
    # list without electricity is partial, so its small total is not held against the output
    assert warnings_of(energy({"carrier": "diesel", "quantity": 10, "unit": "kg"})) == []


def test_output_value_in_yuan_instead_of_ten_thousand_yuan():
    normal = {"inputs": {"output_value": 10000, "energy_tce": 500, "emissions_tco2e": 1200}}
    assert warnings_of(normal) == []
    # 100,000,000 元 entered as 万元: 500 / 1e8 = 5e-06 tce/万元
    slipped = {"inputs": {"output_value": 100000000, "energy_tce": 500,
                          "emissions_tco2e": 1200}}
    found = warnings_of(slipped)
    assert [(w["code"], w["key"]) for w in found] == [
        ("energy_intensity_too_low", "inputs.output_value"),
        ("carbon_intensity_too_low", "inputs.output_value")]
    assert "looks like the output value in yuan instead of 10,000 yuan" in found[0]["message"]["en"]
    assert "产值疑似以元而非万元填写" in found[0]["message"]["zh"]
    assert "5.000e-06" in found[0]["message"]["en"]


def test_energy_in_kgce_entered_as_tce():
    # 500,000 "tce" for 10,000 万元 = 50 tce/万元 (above 20): kgce were meant
    found = warnings_of({"inputs": {"output_value": 10000, "energy_tce": 500000,
                                    "emissions_tco2e": 1200000}})
    assert ("energy_intensity_too_high", "inputs.energy_tce") in [
        (w["code"], w["key"]) for w in found]
    message = next(w for w in found if w["code"] == "energy_intensity_too_high")["message"]
    assert "looks like kgce entered as tce" in message["en"]
    assert "千克标准煤按吨标准煤" in message["zh"]


def test_emissions_in_kg_entered_as_tonnes():
    # 1,200,000 "t" for 10,000 万元 = 120 tCO2e/万元 (above 60), and 2,400 t per tce
    found = codes({"inputs": {"output_value": 10000, "energy_tce": 500,
                              "emissions_tco2e": 1200000}})
    assert found == [("carbon_intensity_too_high", "inputs.emissions_tco2e"),
                     ("emissions_per_energy_out_of_range", "inputs.emissions_tco2e")]


def test_emissions_per_tce_out_of_range_alone():
    # 500 tce and 10 tCO2e: 0.02 t per tce (below 0.1) although each intensity is plausible
    found = warnings_of({"inputs": {"output_value": 10000, "energy_tce": 500,
                                    "emissions_tco2e": 10}})
    assert [(w["code"], w["key"]) for w in found] == [
        ("emissions_per_energy_out_of_range", "inputs.emissions_tco2e")]
    assert "0.02 tCO2e per tce" in found[0]["message"]["en"]
    assert "每吨标准煤排放 0.02 tCO2e" in found[0]["message"]["zh"]


def test_n2o_in_kg_entered_as_tonnes():
    normal = {"inputs": {"output_value": 1000},
              "process_emissions": [{"gas": "N2O", "tonnes": 0.5}]}
    assert warnings_of(normal) == []
    # 500 t N2O × 265 = 132,500 tCO2e for 1,000 万元 = 132.5 tCO2e/万元 (above 50)
    slipped = {"inputs": {"output_value": 1000},
               "process_emissions": [{"gas": "N2O", "tonnes": 500}]}
    found = warnings_of(slipped)
    assert (found[0]["code"], found[0]["key"]) == ("process_emissions_too_high",
                                                   "process_emissions[0].tonnes")
    assert "looks like kg entered as tonnes" in found[0]["message"]["en"]
    assert "疑似把以千克计的数量按吨填写" in found[0]["message"]["zh"]


@pytest.mark.parametrize(("entry", "cause_en"), [
    # natural gas per m3 with the figure per 10^4 m3 (12,143 instead of 1.2143)
    ({"carrier": "natural_gas", "quantity": 1000, "unit": "m3", "kgce_per_unit": 12143},
     "looks like a coefficient per 10^4 m3 given per m3"),
    # raw coal per kg with the figure per tonne (714.3 instead of 0.7143)
    ({"carrier": "raw_coal", "quantity": 1000, "unit": "kg", "kgce_per_unit": 714.3},
     "looks like a coefficient per 10^3 kg given per kg"),
    # natural gas per 10^4 m3 with the figure per m3 (1.33 instead of 13,300)
    ({"carrier": "natural_gas", "quantity": 10, "unit": "10^4 m3", "kgce_per_unit": 1.33},
     "looks like a coefficient per a unit 10^4 times smaller given per 10^4 m3"),
])
def test_an_override_coefficient_far_from_its_default(entry, cause_en):
    [warning] = warnings_of(energy(entry))
    assert (warning["code"], warning["key"]) == ("coefficient_far_from_default",
                                                 "energy[0].kgce_per_unit")
    assert cause_en in warning["message"]["en"]
    assert "默认值" in warning["message"]["zh"] and "疑似" in warning["message"]["zh"]


@pytest.mark.parametrize(("carrier", "unit", "quantity", "coefficient"), [
    ("natural_gas", "m3", 10000, 1.33),        # oil-field gas
    ("natural_gas", "10^4 m3", 10, 13300),
    ("coke_oven_gas", "m3", 10000, 0.6143),
    ("raw_coal", "t", 10, 550),                # lignite-like coal
    ("electricity", "MWh", 5000, 305),         # the equivalent value (等价值) of the entry
    ("electricity", "kWh", 5000000, 0.31),
])
def test_a_measured_coefficient_within_the_published_range_passes(carrier, unit, quantity,
                                                                  coefficient):
    entry = {"carrier": carrier, "quantity": quantity, "unit": unit,
             "kgce_per_unit": coefficient}
    assert warnings_of(energy(entry)) == []


def test_steam_per_tonne_in_tce_instead_of_kgce():
    normal = {"carrier": "steam", "quantity": 1000, "unit": "t", "kgce_per_unit": 110}
    assert warnings_of(energy(normal)) == []
    [warning] = warnings_of(energy({**normal, "kgce_per_unit": 0.11}))
    assert (warning["code"], warning["key"]) == ("coefficient_out_of_range",
                                                 "energy[0].kgce_per_unit")
    assert "2.7-3.5 GJ" in warning["message"]["en"] and "2.7–3.5 GJ" in warning["message"]["zh"]


def test_the_equivalent_value_in_grams():
    base = energy({"carrier": "electricity", "quantity": 5000, "unit": "MWh"})
    ok = {**base, "options": {"electricity_basis": "equivalent",
                              "electricity_equivalent_kgce_per_kwh": 0.3}}
    assert warnings_of(ok) == []
    slipped = {**base, "options": {"electricity_basis": "equivalent",
                                   "electricity_equivalent_kgce_per_kwh": 300}}
    found = codes(slipped)
    assert ("coefficient_out_of_range", "options.electricity_equivalent_kgce_per_kwh") in found
    message = next(w for w in warnings_of(slipped)
                   if w["key"] == "options.electricity_equivalent_kgce_per_kwh")["message"]
    assert "gce/kWh entered as kgce/kWh" in message["en"] and "克标准煤" in message["zh"]


def test_warnings_never_change_the_exit_code_and_are_printed():
    doc = {"inputs": {"output_value": 10000}, "year": 2023,
           "energy": [{"carrier": "electricity", "quantity": 5000000, "unit": "MWh"}]}
    out, err = io.StringIO(), io.StringIO()
    code = main(["evaluate", "-"], stdin=io.StringIO(json.dumps(doc)), stdout=out, stderr=err)
    assert (code, err.getvalue()) == (0, "")
    data = json.loads(out.getvalue())
    # One slip, one warning: the totals it inflates are not warned about again.
    assert [w["code"] for w in data["warnings"]] == ["quantity_too_high"]
    for warning in data["warnings"]:
        assert set(warning) == {"code", "key", "severity", "message"}
        assert set(warning["message"]) == {"zh", "en"}


def test_the_library_result_exposes_the_warnings():
    result = evaluate({"year": 2023,
                       **energy({"carrier": "electricity", "quantity": 5000, "unit": "kWh"})})
    [notice] = result.warnings
    assert (notice.key, notice.code, notice.severity) == ("energy[0].quantity",
                                                          "quantity_too_low", "warning")
    assert notice.message("en").startswith("Electricity of 0.5 kWh")
    assert notice.message("zh").startswith("电力每万元产值 0.5 千瓦时")


def test_every_range_of_the_data_file_gives_its_reasoning():
    import yaml

    from indicators.energy.loader import DEFAULT_DIRECTORY

    data = yaml.safe_load((DEFAULT_DIRECTORY / "plausibility.yaml").read_text("utf-8"))
    for section in ("per_output", "intensities"):
        for name, node in data[section].items():
            assert len(node["reasoning"]) > 80, (section, name)
    assert data["emissions_per_energy"]["reasoning"] and data["override"]["reasoning"]
    assert "seeds/000_e6766f8c52c2b1dc.txt" in data["source"]
