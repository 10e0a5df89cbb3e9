"""Pinned figures of a whole evaluation with an energy list and process emissions.

The evaluation skips re-validating the energy list and builds ``factors_used`` lazily; these
figures (worked by hand in the comments) must not move with such changes.
"""

from __future__ import annotations

from decimal import Decimal

from indicators import evaluate

DOCUMENT = {
    "framework": "scm-2024", "year": 2023,
    "inputs": {"output_value": 12345.67, "deliveries_on_time": 965, "deliveries_total": 1000,
               "operating_revenue": 20000.5, "operating_cost": 15000.25, "period_expenses": 1200},
    "energy": [
        {"carrier": "raw_coal", "quantity": 1200.5, "unit": "t"},
        {"carrier": "natural_gas", "quantity": 35, "unit": "万立方米", "kgce_per_unit": 12500},
        {"carrier": "diesel", "quantity": 800, "unit": "kg"},
        {"carrier": "electricity", "quantity": 2500, "unit": "MWh"},
        {"carrier": "electricity", "quantity": 400, "unit": "MWh", "source": "green_certificate"},
        {"carrier": "steam", "quantity": 900, "unit": "t", "kgce_per_unit": 110},
        {"carrier": "heat", "quantity": 1500, "unit": "GJ"},
    ],
    "process_emissions": [{"gas": "CH4", "tonnes": 2.5}, {"gas": "SF6", "tonnes": 0.01}],
}


def test_energy_and_emissions_of_a_mixed_enterprise_are_pinned():
    result = evaluate(DOCUMENT)
    out = result.to_contract()
    # raw coal 1200.5 t × 0.7143 = 857.51715; gas 35 × 12500 kgce / 1000 = 437.5;
    # diesel 800 kg × 1.4571 / 1000 = 1.16568; electricity 2900 MWh × 0.1229 = 356.41;
    # steam 900 t × 110 kgce / 1000 = 99; heat 1500 GJ × 0.03412 × 1000 / 1000 = 51.18
    assert out["energy"] == {
        "total_tce": 1802.77283,
        "by_carrier": {"raw_coal": 857.51715, "natural_gas": 437.5, "diesel": 1.16568,
                       "electricity": 356.41, "steam": 99.0, "heat": 51.18}}
    # One calorific value per carrier: CO2 = kgce × 0.0293076 GJ/kgce × carbon content / 1000
    # × oxidation rate × 44/12.
    # raw coal: 857517.15 kgce → 25131.76962534 GJ × 26.37 = 662.72476502021… tC × 0.94
    #   = 622.961279119002852 × 44/12 = 2284.191356769677124
    # gas (its own 12500 kgce per 10^4 m3): 437500 kgce → 12822.075 GJ × 15.3 = 196.1777475 tC
    #   × 0.99 = 194.215970025 × 44/12 = 712.125223425
    # diesel: 1165.68 kgce → 34.163283168 GJ × 20.2 = 0.6900983199936 tC × 0.98
    #   = 0.676296353593728 × 44/12 = 2.479753296510336
    # process: 2.5 t CH4 × 28 + 0.01 t SF6 × 23500 = 70 + 235 = 305
    # scope 1 = 2284.191356769677124 + 712.125223425 + 2.479753296510336 + 305
    #         = 3303.79633349118746
    # scope 2: 2500000 kWh × 0.5306 / 1000 = 1326.5; steam 900 t × 110 kgce / 0.03412 kgce/MJ
    # = 2901524.0328… MJ × 0.11 t/GJ / 1000 = 319.16764361078546…; heat 1500 GJ × 0.11 = 165
    # scope 2 = 1810.66764361078546…
    assert out["emissions"] == {"total_tco2e": 5114.463977101973, "scope1": 3303.7963334911874,
                                "scope2": 1810.6676436107855}
    assert result.energy_result.process == Decimal("305.00")
    indicators = out["indicators"]
    # 1802.77283 / 12345.67 = 0.14602470582803525… at full precision (rounding is for pages)
    assert indicators["green.energy_intensity"] == {
        "value": 0.14602470582803526, "unit": "tce/万元", "status": "ok", "score": 60.8,
        "level": 4,
        # scm-2024 2.0.0: no industry given, so scored against all manufacturing, and says so
        "details": {"scored_against": {"scope": "manufacturing", "code": None, "name": {
            "zh": "全部制造业（跨行业刻度）", "en": "all manufacturing (cross-industry bands)"}}}}
    # 5114.463977101973 / 12345.67 = 0.41427188456373…
    assert indicators["green.carbon_intensity"]["value"] == 0.41427188456373554
    assert indicators["green.carbon_intensity"]["score"] == 56.9
    assert indicators["lean.on_time_delivery_rate"]["value"] == 96.5
    # (15000.25 + 1200) / 20000.5 × 100 = 80.99922501937451…
    assert indicators["lean.cost_expense_ratio"]["value"] == 80.99922501937452
    assert out["warnings"] == []
    # 400 MWh × 0.1229 = 49.16 tce of 1802.77283
    assert result.energy_result.non_fossil_share == Decimal("49.16") / Decimal("1802.77283") * 100


def test_factors_used_of_the_evaluation_are_pinned():
    factors = evaluate(DOCUMENT).energy_result.factors_used
    summary = [(f["what"], f.get("carrier") or f.get("gas"), f["applies_to"]) for f in factors]
    assert summary == [
        ("standard_coal_coefficient", "raw_coal", ["energy[0]"]),
        ("combustion_emission_factor", "raw_coal", ["energy[0]"]),
        ("standard_coal_coefficient", "natural_gas", ["energy[1]"]),
        ("combustion_emission_factor", "natural_gas", ["energy[1]"]),  # at its own kgce
        ("standard_coal_coefficient", "diesel", ["energy[2]"]),
        ("combustion_emission_factor", "diesel", ["energy[2]"]),
        ("standard_coal_coefficient", "electricity", ["energy[3]", "energy[4]"]),
        ("grid_emission_factor", None, ["energy[3]"]),
        ("grid_emission_factor", None, ["energy[4]"]),
        ("standard_coal_coefficient", "steam", ["energy[5]"]),
        ("purchased_heat_emission_factor", None, ["energy[5]"]),
        ("standard_coal_coefficient", "heat", ["energy[6]"]),
        ("purchased_heat_emission_factor", None, ["energy[6]"]),
        ("gwp", "CH4", ["process_emissions[0]"]),
        ("gwp", "SF6", ["process_emissions[1]"]),
    ]
    override = factors[2]
    assert (override["value"], override["unit"], override["source"], override["confirmed"]) == (
        12500.0, "kgce/10^4 m3", "stated by the enterprise (energy[1].kgce_per_unit)", False)
    # 12500 kgce × 0.0293076 × 15.3 / 1000 × 0.99 × 44/12 = 20.346435 tCO2 per 10^4 m3
    assert factors[3]["value"] == 20.3464349550000
    assert factors[8]["value"] == 0.0


def test_the_factors_trace_of_the_contract_is_pinned():
    factors = evaluate(DOCUMENT).to_contract()["factors"]
    assert [(f["id"], f["applies_to"], f["year"], f["fallback"]) for f in factors] == [
        ("standard_coal.raw_coal", "energy", 2020, False),
        ("combustion.raw_coal", "scope1", 2015, False),
        ("input.energy[1].kgce_per_unit", "energy", 2023, False),
        ("combustion.natural_gas.energy[1]", "scope1", 2015, False),
        ("standard_coal.diesel", "energy", 2020, False),
        ("combustion.diesel", "scope1", 2015, False),
        ("standard_coal.electricity", "energy", 2020, False),
        ("grid.national_average.2023", "scope2", 2023, False),
        ("grid.renewable", "scope2", None, False),
        ("input.energy[5].kgce_per_unit", "energy", 2023, False),
        ("purchased_heat.energy[5]", "scope2", 2015, False),
        ("standard_coal.heat", "energy", 2020, False),
        ("purchased_heat", "scope2", 2015, False),
        ("gwp.AR5.CH4", "scope1", 2013, False),
        ("gwp.AR5.SF6", "scope1", 2013, False),
    ]
    for factor in factors:
        assert set(factor) == {"id", "applies_to", "value", "unit", "year", "source",
                               "version", "fallback"}
    grid = factors[7]
    assert (grid["value"], grid["unit"]) == (0.5306, "tCO2/MWh")
    assert grid["source"].startswith("MEE and NBS, Announcement of the 2023")
