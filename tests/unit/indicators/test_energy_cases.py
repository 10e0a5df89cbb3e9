"""Hand-worked enterprises through `evaluate`: a steel plant, a chemical plant and a machinery
plant, with the steel and petrochemical carriers, provincial and regional grid factors, and the
SAR, AR5 and AR6 GWP sets. Every expected figure is worked in the comments from the published
coefficients (not from the engine's tables), to the last digit.

One calorific value per carrier: CO2 of a fuel = kgce × 0.0293076 GJ/kgce × carbon content
[tC/TJ] / 1000 × oxidation rate × 44/12.
"""

from __future__ import annotations

from decimal import Decimal as D

from indicators import evaluate

GJ_PER_KGCE = D("0.0293076")


def fuel_co2(kgce: D, carbon_content: str, oxidation: str) -> D:
    return kgce * GJ_PER_KGCE * D(carbon_content) / 1000 * D(oxidation) * 44 / 12


def _factor(out, factor_id):
    return next(f for f in out["factors"] if f["id"] == factor_id)


def test_steel_plant_in_hebei_with_works_gases_and_the_sar_set():
    doc = {
        "framework": "scm-2024", "year": 2022, "province": "130000",
        "inputs": {"output_value": 400000},
        "energy": [
            {"carrier": "coke", "quantity": 400000, "unit": "t"},
            {"carrier": "blast_furnace_gas", "quantity": 150000, "unit": "万立方米"},
            {"carrier": "converter_gas", "quantity": 10000, "unit": "10^4 m3"},
            {"carrier": "electricity", "quantity": 1200000, "unit": "MWh"},
            {"carrier": "natural_gas", "quantity": 2000, "unit": "10^4 m3"},
        ],
        "process_emissions": [{"gas": "CH4", "tonnes": 10}],
        "options": {"gwp_set": "SAR"},
    }
    out = evaluate(doc).to_contract()
    # Energy (GB/T 2589 coefficients):
    #   coke 400,000,000 kg × 0.9714 = 388,560,000 kgce = 388,560 tce
    #   blast-furnace gas 1,500,000,000 m3 × 0.1286 = 192,900,000 kgce = 192,900 tce
    #   converter gas 100,000,000 m3 × 0.2866 = 28,660,000 kgce = 28,660 tce
    #   electricity 1,200,000,000 kWh × 0.1229 = 147,480,000 kgce = 147,480 tce
    #   natural gas 20,000,000 m3 × 1.2143 = 24,286,000 kgce = 24,286 tce
    #   total 781,886 tce
    assert out["energy"] == {"total_tce": 781886.0, "by_carrier": {
        "coke": 388560.0, "blast_furnace_gas": 192900.0, "converter_gas": 28660.0,
        "electricity": 147480.0, "natural_gas": 24286.0}}
    # Scope 1:
    #   coke 388,560,000 kgce → 11,387,761.056 GJ × 29.5 = 335,938.951152 tC × 0.93
    #     = 312,423.22457136 × 44/12 = 1,145,551.82342832
    #   BFG 192,900,000 kgce → 5,653,436.04 GJ × 70.8 = 400,263.271632 tC × 0.99
    #     = 396,260.63891568 × 44/12 = 1,452,955.67602416
    #   converter gas 28,660,000 kgce → 839,955.816 GJ × 49.6 = 41,661.8084736 tC × 0.99
    #     = 41,245.190388864 × 44/12 = 151,232.364759168
    #   natural gas 24,286,000 kgce → 711,764.3736 GJ × 15.3 = 10,889.99491608 tC × 0.99
    #     = 10,781.0949669192 × 44/12 = 39,530.6815453704
    #   process CH4 10 t × 21 (SAR) = 210
    #   scope 1 = 2,789,480.5457570184
    coke = fuel_co2(D(388560000), "29.5", "0.93")
    assert abs(coke - D("1145551.82342832")) < D("1e-18")
    scope1 = (D("1145551.82342832") + D("1452955.67602416") + D("151232.364759168")
              + D("39530.6815453704") + 210)
    assert scope1 == D("2789480.5457570184")
    # Scope 2: 1,200,000,000 kWh × 0.7252 (Hebei 2022, provincial) / 1000 = 870,240
    assert out["emissions"] == {"total_tco2e": float(scope1 + 870240),
                                "scope1": float(scope1), "scope2": 870240.0}
    # 781,886 / 400,000 = 1.954715 tce/万元; 3,659,720.5457570184 / 400,000
    assert out["indicators"]["green.energy_intensity"]["value"] == 1.954715
    assert out["indicators"]["green.carbon_intensity"]["value"] == float(
        (scope1 + 870240) / 400000)
    grid = _factor(out, "grid.national_average.province.130000.2022")
    assert (grid["value"], grid["year"], grid["fallback"], grid["applies_to"]) == (
        0.7252, 2022, False, "scope2")
    assert _factor(out, "gwp.SAR.CH4")["value"] == 21.0
    assert _factor(out, "combustion.blast_furnace_gas")["year"] == 2013
    assert out["warnings"] == []


def test_chemical_plant_in_shandong_on_the_regional_grid_with_ar6():
    doc = {
        "framework": "scm-2024", "year": 2023, "province": "370000",
        "inputs": {"output_value": 300000},
        "energy": [
            {"carrier": "raw_coal", "quantity": 100000, "unit": "t"},
            {"carrier": "refinery_dry_gas", "quantity": 20000, "unit": "t"},
            {"carrier": "lng", "quantity": 5000, "unit": "吨"},
            {"carrier": "steam", "quantity": 300000, "unit": "t", "kgce_per_unit": 110},
            {"carrier": "electricity", "quantity": 300000, "unit": "MWh"},
        ],
        "process_emissions": [{"gas": "N2O", "tonnes": 50}, {"gas": "HFC-23", "tonnes": 0.1}],
        "options": {"gwp_set": "AR6", "grid_factor_basis": "region"},
    }
    out = evaluate(doc).to_contract()
    # Energy: coal 100,000,000 kg × 0.7143 = 71,430 tce; refinery dry gas 20,000,000 kg ×
    # 1.5714 = 31,428 tce; LNG 5,000,000 kg × 1.7572 = 8,786 tce; steam 300,000 t × 110 kgce
    # = 33,000 tce; electricity 300,000,000 kWh × 0.1229 = 36,870 tce; total 181,514 tce
    assert out["energy"]["total_tce"] == 181514.0
    assert out["energy"]["by_carrier"]["lng"] == 8786.0
    # Scope 1:
    #   coal 71,430,000 kgce → 2,093,441.868 GJ × 26.37 = 55,204.06205916 tC × 0.94
    #     = 51,891.8183356104 × 44/12 = 190,270.0005639048
    #   refinery dry gas 31,428,000 kgce → 921,079.2528 GJ × 18.2 = 16,763.64240096 tC
    #     × 0.98 = 16,428.3695529408 × 44/12 = 60,237.3550274496
    #   LNG 8,786,000 kgce → 257,496.5736 GJ × 15.3 = 3,939.69757608 tC × 0.99
    #     = 3,900.3006003192 × 44/12 = 14,301.1022011704
    #   process: N2O 50 t × 273 + HFC-23 0.1 t × 14,600 = 13,650 + 1,460 = 15,110 (AR6)
    #   scope 1 = 279,918.4577925248
    assert abs(fuel_co2(D(71430000), "26.37", "0.94") - D("190270.0005639048")) < D("1e-18")
    assert abs(fuel_co2(D(31428000), "18.2", "0.98") - D("60237.3550274496")) < D("1e-18")
    assert abs(fuel_co2(D(8786000), "15.3", "0.99") - D("14301.1022011704")) < D("1e-18")
    scope1 = D("190270.0005639048") + D("60237.3550274496") + D("14301.1022011704") + 15110
    assert scope1 == D("279918.4577925248")
    # Scope 2: steam 33,000,000 kgce / 0.03412 kgce/MJ = 967,174,677.6084… MJ × 0.11 t/GJ
    # / 1000 = 106,389.21453692848769…; electricity 300,000,000 kWh × 0.6361 (North China
    # regional grid 2023) / 1000 = 190,830
    steam = D(33000000) / D("0.03412") * D("0.11") / 1000
    assert str(steam).startswith("106389.2145369284876905")
    assert out["emissions"]["scope1"] == float(scope1)
    assert out["emissions"]["scope2"] == float(steam + 190830)
    assert out["emissions"]["total_tco2e"] == float(scope1 + steam + 190830)
    grid = _factor(out, "grid.national_average.region.north.2023")
    assert (grid["value"], grid["year"], grid["fallback"]) == (0.6361, 2023, False)
    assert _factor(out, "gwp.AR6.N2O")["value"] == 273.0
    assert out["warnings"] == []


def test_machinery_plant_in_jiangsu_in_2024_falls_back_to_its_provincial_2022_factor():
    doc = {
        "framework": "scm-2024", "year": 2024, "province": "320000",
        "inputs": {"output_value": 50000},
        "energy": [
            {"carrier": "electricity", "quantity": 20000, "unit": "MWh"},
            {"carrier": "natural_gas", "quantity": 100, "unit": "10^4 m3", "kgce_per_unit": 13300},
            {"carrier": "diesel", "quantity": 50, "unit": "t"},
            {"carrier": "heat", "quantity": 5000, "unit": "GJ"},
        ],
        "process_emissions": [{"gas": "SF6", "tonnes": 0.05}, {"gas": "HFC-134a", "tonnes": 0.2}],
    }
    out = evaluate(doc).to_contract()
    # Energy: electricity 20,000,000 kWh × 0.1229 = 2,458 tce; gas 100 × 13,300 kgce (its own
    # calorific value) = 1,330 tce; diesel 50,000 kg × 1.4571 = 72.855 tce; heat 5,000,000 MJ
    # × 0.03412 = 170.6 tce; total 4,031.455 tce
    assert out["energy"]["total_tce"] == 4031.455
    # Scope 1:
    #   gas 1,330,000 kgce → 38,979.108 GJ × 15.3 = 596.3803524 tC × 0.99 = 590.416548876
    #     × 44/12 = 2,164.860679212 (its own coefficient changes its CO2 in proportion)
    #   diesel 72,855 kgce → 2,135.205198 GJ × 20.2 = 43.1311449996 tC × 0.98
    #     = 42.268522099608 × 44/12 = 154.984581031896
    #   process: SF6 0.05 t × 23,500 + HFC-134a 0.2 t × 1,300 = 1,175 + 260 = 1,435 (AR5)
    #   scope 1 = 3,754.845260243896
    assert abs(fuel_co2(D(1330000), "15.3", "0.99") - D("2164.860679212")) < D("1e-18")
    assert abs(fuel_co2(D(72855), "20.2", "0.98") - D("154.984581031896")) < D("1e-18")
    # Scope 2: Jiangsu's provincial factors are held for 2021 and 2022 (2022: 0.5978, from the
    # third-party table, unconfirmed); 2024 has no published factor → the latest earlier data
    # year at the provincial level, 2022 (the level comes before the year).
    # 20,000,000 kWh × 0.5978 / 1000 = 11,956; heat 5,000 GJ × 0.11 = 550; scope 2 = 12,506
    assert out["emissions"] == {"total_tco2e": 16260.845260243896,
                                "scope1": 3754.845260243896, "scope2": 12506.0}
    grid = _factor(out, "grid.national_average.province.320000.2022")
    assert (grid["value"], grid["year"], grid["fallback"]) == (0.5978, 2022, True)
    [warning] = out["warnings"]
    assert (warning["code"], warning["key"]) == ("grid_factor_fallback", "year")
    assert "江苏省" in warning["message"]["zh"] and "2024" in warning["message"]["zh"]
    assert "Jiangsu" in warning["message"]["en"] and "2022" in warning["message"]["en"]


def test_the_chemical_and_machinery_plants_under_the_sar_set():
    """The same two plants with the SAR set of China's enterprise GHG accounting guidelines:
    only the process gases change (the fuels' CO2 has no GWP)."""
    chemical = {
        "framework": "scm-2024", "year": 2023, "province": "370000",
        "inputs": {"output_value": 300000},
        "energy": [
            {"carrier": "raw_coal", "quantity": 100000, "unit": "t"},
            {"carrier": "refinery_dry_gas", "quantity": 20000, "unit": "t"},
            {"carrier": "lng", "quantity": 5000, "unit": "吨"},
        ],
        "process_emissions": [{"gas": "N2O", "tonnes": 50}, {"gas": "HFC-23", "tonnes": 0.1}],
        "options": {"gwp_set": "SAR"},
    }
    out = evaluate(chemical).to_contract()
    # Fuels as worked above: 190,270.0005639048 + 60,237.3550274496 + 14,301.1022011704;
    # process (SAR): N2O 50 t × 310 + HFC-23 0.1 t × 11,700 = 15,500 + 1,170 = 16,670
    scope1 = D("190270.0005639048") + D("60237.3550274496") + D("14301.1022011704") + 16670
    assert scope1 == D("281478.4577925248")
    assert out["emissions"]["scope1"] == float(scope1)
    assert _factor(out, "gwp.SAR.N2O")["value"] == 310.0
    assert _factor(out, "gwp.SAR.HFC-23")["value"] == 11700.0

    machinery = {
        "framework": "scm-2024", "year": 2023, "province": "320000",
        "inputs": {"output_value": 50000},
        "energy": [
            {"carrier": "natural_gas", "quantity": 100, "unit": "10^4 m3",
             "kgce_per_unit": 13300},
            {"carrier": "diesel", "quantity": 50, "unit": "t"},
        ],
        "process_emissions": [{"gas": "SF6", "tonnes": 0.05},
                              {"gas": "HFC-134a", "tonnes": 0.2}],
        "options": {"gwp_set": "SAR"},
    }
    out = evaluate(machinery).to_contract()
    # Fuels as worked above: 2,164.860679212 + 154.984581031896; process (SAR): SF6 0.05 t ×
    # 23,900 + HFC-134a 0.2 t × 1,300 = 1,195 + 260 = 1,455
    scope1 = D("2164.860679212") + D("154.984581031896") + 1455
    assert scope1 == D("3774.845260243896")
    assert out["emissions"] == {"total_tco2e": float(scope1), "scope1": float(scope1),
                                "scope2": 0.0}
    assert _factor(out, "gwp.SAR.SF6")["value"] == 23900.0
