"""calculate_energy: energy in tce, scope 1/2 and process emissions, and the factors used."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.energy import calculate_energy, load_factor_tables

TABLES = load_factor_tables()
D = Decimal

# (carrier, quantity, unit, expected tce): quantity × unit-to-base × kgce per base unit / 1000.
CONVERSIONS = [
    ("raw_coal", 2, "t", "1.4286"),            # 2 × 1000 kg × 0.7143 / 1000
    ("raw_coal", 500, "kg", "0.35715"),        # 500 × 0.7143 / 1000
    ("cleaned_coal", 1, "t", "0.9"),           # 1000 × 0.9000 / 1000
    ("cleaned_coal", 10, "kg", "0.009"),
    ("coke", 2, "t", "1.9428"),                # 2000 × 0.9714 / 1000
    ("coke", 100, "kg", "0.09714"),
    ("crude_oil", 1, "t", "1.4286"),
    ("crude_oil", 1, "kg", "0.0014286"),
    ("fuel_oil", 3, "t", "4.2858"),            # 3000 × 1.4286 / 1000
    ("fuel_oil", 1, "kg", "0.0014286"),
    ("gasoline", 1, "t", "1.4714"),
    ("gasoline", 1, "kg", "0.0014714"),
    ("kerosene", 1, "t", "1.4714"),
    ("kerosene", 2, "kg", "0.0029428"),
    ("diesel", 10, "t", "14.571"),             # 10000 × 1.4571 / 1000
    ("diesel", 1000, "kg", "1.4571"),
    ("lpg", 1, "t", "1.7143"),
    ("lpg", 1, "kg", "0.0017143"),
    ("natural_gas", 1000, "m3", "1.2143"),     # 1000 × 1.2143 / 1000
    ("natural_gas", 1, "10^4 m3", "12.143"),   # 10000 × 1.2143 / 1000
    ("coke_oven_gas", 1000, "m3", "0.5714"),
    ("coke_oven_gas", 1, "10^4 m3", "5.714"),
    ("blast_furnace_gas", 1000, "m3", "0.1286"),   # 1000 × 0.1286 / 1000
    ("blast_furnace_gas", 1, "10^4 m3", "1.286"),
    ("converter_gas", 1000, "m3", "0.2866"),
    ("converter_gas", 1, "10^4 m3", "2.866"),
    ("lng", 1, "t", "1.7572"),                     # 1000 × 1.7572 / 1000
    ("lng", 10, "kg", "0.017572"),
    ("refinery_dry_gas", 1, "t", "1.5714"),
    ("refinery_dry_gas", 10, "kg", "0.015714"),
    ("electricity", 1000, "kWh", "0.1229"),    # 1000 × 0.1229 / 1000
    ("electricity", 1, "MWh", "0.1229"),
    ("electricity", 1, "10^4 kWh", "1.229"),
    ("heat", 1000, "MJ", "0.03412"),           # 1000 × 0.03412 / 1000
    ("heat", 1, "GJ", "0.03412"),
    ("steam", 1000, "MJ", "0.03412"),
    ("steam", 2, "GJ", "0.06824"),
]


@pytest.mark.parametrize(("carrier", "quantity", "unit", "tce"), CONVERSIONS)
def test_energy_of_every_carrier_in_every_unit(carrier, quantity, unit, tce):
    result = calculate_energy([{"carrier": carrier, "quantity": quantity, "unit": unit}], [], 2023)
    assert result.total_tce == D(tce)
    assert result.by_carrier == {carrier: D(tce)}


def test_the_conversion_table_covers_every_carrier_and_unit():
    tested = {(carrier, unit) for carrier, _, unit, _ in CONVERSIONS}
    # Steam in tonnes has no default conversion; it is tested with kgce_per_unit below.
    expected = {(code, unit) for code, carrier in TABLES.carriers.items() for unit in carrier.units
                if unit not in carrier.units_requiring_kgce_per_unit}
    assert tested == expected


@pytest.mark.parametrize(("unit", "quantity", "tce"), [
    ("万立方米", 2, "24.286"),   # 2 × 10000 × 1.2143 / 1000
    ("立方米", 1000, "1.2143"),
])
def test_chinese_unit_names_are_accepted(unit, quantity, tce):
    result = calculate_energy([{"carrier": "natural_gas", "quantity": quantity, "unit": unit}],
                              [], 2023)
    assert result.total_tce == D(tce)


def test_float_quantities_are_taken_at_their_written_value():
    # 0.1 t diesel = 100 kg × 1.4571 / 1000 = 0.14571 exactly (no binary float tail).
    result = calculate_energy([{"carrier": "diesel", "quantity": 0.1, "unit": "t"}], [], 2023)
    assert result.total_tce == D("0.14571")


def test_the_entry_coefficient_changes_energy_and_emissions_in_proportion():
    entry = {"carrier": "natural_gas", "quantity": 1, "unit": "10^4 m3", "kgce_per_unit": 13300}
    result = calculate_energy([entry], [], 2023)
    # 1 × 13300 kgce per 10^4 m3 / 1000 = 13.3 tce (default would be 12.143)
    assert result.total_tce == D("13.3")
    # One calorific value: 13300 kgce × 0.0293076 GJ/kgce = 389.79108 GJ;
    # × 15.3 tC/TJ / 1000 = 5.963803524 tC; × 0.99 = 5.90416548876; × 44/12 = 21.6486067921...
    assert abs(result.scope1 - D("5.90416548876") * 44 / 12) < D("1e-24")
    default = calculate_energy([{**entry, "kgce_per_unit": 12143}], [], 2023)
    assert default.scope1 == TABLES.carriers["natural_gas"].tco2_per_unit["10^4 m3"]
    assert abs(result.scope1 / default.scope1 - D(13300) / D(12143)) < D("1e-24")
    coefficient = next(f for f in result.factors_used if f["what"] == "standard_coal_coefficient")
    assert coefficient["value"] == 13300.0
    assert coefficient["unit"] == "kgce/10^4 m3"
    assert coefficient["source"] == "stated by the enterprise (energy[0].kgce_per_unit)"
    assert coefficient["confirmed"] is False
    emission = next(f for f in result.factors if f["applies_to"] == "scope1")
    assert emission["id"] == "combustion.natural_gas.energy[0]"
    assert emission["value"] == float(result.scope1)


def test_steam_in_tonnes_uses_its_stated_coefficient_for_energy_and_heat():
    entry = {"carrier": "steam", "quantity": 10, "unit": "t", "kgce_per_unit": 110}
    result = calculate_energy([entry], [], 2023)
    # energy: 10 × 110 / 1000 = 1.1 tce
    assert result.total_tce == D("1.1")
    # heat: 1100 kgce / 0.03412 kgce per MJ = 32239.15... MJ; × 0.11 tCO2/GJ / 1000 = 3.5463 t
    expected = D(1100) / D("0.03412") * D("0.11") / 1000
    assert abs(result.scope2 - expected) < D("1e-20")
    assert result.scope1 == 0


def test_heat_counts_in_scope_two():
    result = calculate_energy([{"carrier": "heat", "quantity": 10, "unit": "GJ"}], [], 2023)
    # 10 GJ × 0.11 tCO2/GJ = 1.1 t
    assert (result.scope1, result.scope2, result.total_tco2e) == (0, D("1.1"), D("1.1"))
    heat = next(f for f in result.factors_used if f["what"] == "purchased_heat_emission_factor")
    assert heat["confirmed"] is False  # the guideline default is not among confirmed facts


def test_electricity_calorific_by_default_and_equivalent_on_request():
    entry = {"carrier": "electricity", "quantity": 1000, "unit": "kWh"}
    calorific = calculate_energy([entry], [], 2023)
    assert calorific.total_tce == D("0.1229")  # 1000 × 0.1229 / 1000
    options = {"electricity_basis": "equivalent", "electricity_equivalent_kgce_per_kwh": 0.3}
    equivalent = calculate_energy([entry], [], 2023, options)
    assert equivalent.total_tce == D("0.3")  # 1000 × 0.3 / 1000
    # The basis changes energy, never emissions: 1000 kWh × 0.5306 kg/kWh / 1000 = 0.5306 t.
    assert equivalent.scope2 == calorific.scope2 == D("0.5306")
    record = next(f for f in equivalent.factors_used
                  if f["what"] == "electricity_equivalent_coefficient")
    assert (record["value"], record["confirmed"]) == (0.3, False)
    in_mwh = calculate_energy([{**entry, "quantity": 2, "unit": "MWh"}], [], 2023, options)
    assert in_mwh.total_tce == D("0.6")  # 2 × 1000 kWh × 0.3 / 1000


def test_an_entry_coefficient_wins_over_the_equivalent_option():
    entry = {"carrier": "electricity", "quantity": 1000, "unit": "kWh", "kgce_per_unit": 0.31}
    options = {"electricity_basis": "equivalent", "electricity_equivalent_kgce_per_kwh": 0.3}
    assert calculate_energy([entry], [], 2023, options).total_tce == D("0.31")


@pytest.mark.parametrize(("year", "factor", "data_year"), [
    (2021, "0.5568", 2021), (2022, "0.5366", 2022), (2023, "0.5306", 2023),
])
def test_grid_factor_of_the_reporting_year(year, factor, data_year):
    entry = {"carrier": "electricity", "quantity": 2, "unit": "MWh"}
    result = calculate_energy([entry], [], year)
    # 2000 kWh × factor kg/kWh / 1000
    assert result.scope2 == 2 * D(factor)
    grid = next(f for f in result.factors_used if f["what"] == "grid_emission_factor")
    assert (grid["year"], grid.get("fallback", False)) == (data_year, False)
    assert grid["applies_to"] == ["energy[0]"]
    assert result.notices == []


@pytest.mark.parametrize(("year", "factor", "data_year"), [
    (2025, "0.5306", 2023),  # the latest earlier data year
    (2030, "0.5306", 2023),
    (None, "0.5306", 2023),  # no year: the latest
    (2019, "0.5568", 2021),  # before the first publication: the earliest
    (1990, "0.5568", 2021),
])
def test_grid_factor_falls_back_and_says_so(year, factor, data_year):
    entry = {"carrier": "electricity", "quantity": 1, "unit": "MWh"}
    result = calculate_energy([entry], [], year)
    assert result.scope2 == D(factor)  # 1000 kWh × factor / 1000
    grid = next(f for f in result.factors_used if f["what"] == "grid_emission_factor")
    assert grid["fallback"] is True
    assert grid["year"] == data_year
    assert grid["reporting_year"] == year
    assert str(data_year) in grid["note"]
    assert [n.code for n in result.notices] == ["grid_factor_fallback"]
    assert next(f for f in result.factors if f["applies_to"] == "scope2")["fallback"] is True


def test_grid_series_option_and_an_unconfirmed_series_is_flagged():
    entry = {"carrier": "electricity", "quantity": 1, "unit": "MWh"}
    fossil = calculate_energy([entry], [], 2022, {"grid_series": "fossil_only"})
    assert fossil.scope2 == D("0.8325")
    ets = calculate_energy([entry], [], 2022, {"grid_series": "ets_reporting"})
    assert ets.scope2 == D("0.5703")
    # Confirmed by the MEE notice of February 2023 (shared facts).
    grid = next(f for f in ets.factors_used if f["what"] == "grid_emission_factor")
    assert grid["confirmed"] is True


@pytest.mark.parametrize(("gas", "tonnes", "ar5", "ar6"), [
    ("CH4", 10, "280", "279"),            # 10 × 28 ; 10 × 27.9
    ("N2O", 1, "265", "273"),
    ("SF6", "0.01", "235", "252"),        # 0.01 × 23500 ; 0.01 × 25200
    ("HFC-134a", 2, "2600", "3060"),      # 2 × 1300 ; 2 × 1530
    ("CF4", 1, "6630", "7380"),
    ("HFC-43-10mee", 1, "1650", "1600"),  # the one gas whose AR6 value is lower
    ("CO2", 5, "5", "5"),
])
def test_process_emissions_with_ar5_by_default_and_ar6_on_request(gas, tonnes, ar5, ar6):
    process = [{"gas": gas, "tonnes": D(tonnes) if isinstance(tonnes, str) else tonnes}]
    default = calculate_energy([], process, 2023)
    assert (default.process, default.scope1, default.total_tco2e) == (D(ar5), D(ar5), D(ar5))
    ar6_result = calculate_energy([], process, 2023, {"gwp_set": "AR6"})
    assert ar6_result.process == D(ar6)
    record = ar6_result.factors_used[0]
    assert (record["what"], record["gas"], record["gwp_set"]) == ("gwp", gas, "AR6")


def test_scope_totals_of_a_mixed_enterprise():
    energy = [
        {"carrier": "diesel", "quantity": 10, "unit": "t"},
        {"carrier": "electricity", "quantity": 100, "unit": "MWh"},
        {"carrier": "natural_gas", "quantity": 3, "unit": "10^4 m3"},
        {"carrier": "diesel", "quantity": 500, "unit": "kg"},
    ]
    result = calculate_energy(energy, [{"gas": "CH4", "tonnes": 1}], 2023)
    diesel_t = TABLES.carriers["diesel"].tco2_per_unit["t"]        # 3.09969162...
    gas_t = TABLES.carriers["natural_gas"].tco2_per_unit["10^4 m3"]  # 19.7653407...
    # energy: diesel 10.5 t × 1.4571 = 15.29955; electricity 100000 × 0.1229 / 1000 = 12.29;
    #         gas 30000 m3 × 1.2143 / 1000 = 36.429; total 64.01855 tce
    assert result.by_carrier == {"diesel": D("15.29955"), "electricity": D("12.29"),
                                 "natural_gas": D("36.429")}
    assert result.total_tce == D("64.01855")
    # scope 1: 10.5 t diesel × 3.0959... + 3 × 21.6218... + process 1 t CH4 × 28
    assert abs(result.scope1 - (D("10.5") * diesel_t + 3 * gas_t + 28)) < D("1e-20")
    assert result.process == 28
    # scope 2: 100000 kWh × 0.5306 / 1000 = 53.06
    assert result.scope2 == D("53.06")
    assert result.total_tco2e == result.scope1 + result.scope2
    # Factors are listed once each, with every entry they applied to.
    diesel = [f for f in result.factors_used if f.get("carrier") == "diesel"]
    assert len(diesel) == 2  # its coefficient and its combustion factor
    assert all(f["applies_to"] == ["energy[0]", "energy[3]"] for f in diesel)
    for record in result.factors_used:
        assert {"what", "value", "unit", "source", "version", "confirmed"} <= set(record)


def test_contract_documents_are_floats_at_full_precision():
    result = calculate_energy([{"carrier": "diesel", "quantity": 10, "unit": "t"}], [], 2023)
    assert result.energy_contract() == {"total_tce": 14.571, "by_carrier": {"diesel": 14.571}}
    # 10 t × 1457.1 kgce/t × 0.0293076 GJ/kgce = 427.0410396 GJ; × 20.2 tC/TJ / 1000
    # = 8.62622899992 tC; × 0.98 = 8.4537044199216; × 44/12 = 30.9969162063792 tCO2
    assert result.emissions_contract() == {"total_tco2e": 30.9969162063792,
                                           "scope1": 30.9969162063792, "scope2": 0.0}


def test_nothing_reported_gives_zeros_and_no_share():
    result = calculate_energy(None, None, 2023)
    assert (result.total_tce, result.total_tco2e, result.by_carrier) == (0, 0, {})
    assert result.non_fossil_share is None
    assert result.factors_used == []


def test_renewable_electricity_has_no_scope_two_and_makes_the_non_fossil_share():
    energy = [
        {"carrier": "electricity", "quantity": 600, "unit": "MWh"},
        {"carrier": "electricity", "quantity": 300, "unit": "MWh", "source": "green_certificate"},
        {"carrier": "electricity", "quantity": 100, "unit": "MWh", "source": "renewable_onsite"},
    ]
    result = calculate_energy(energy, [], 2023)
    # scope 2 only for the grid part: 600000 kWh × 0.5306 / 1000 = 318.36 t
    assert result.scope2 == D("318.36")
    # energy 1000 MWh × 0.1229 = 122.9 tce; renewable 400 MWh × 0.1229 = 49.16; 49.16/122.9 = 40 %
    assert result.non_fossil_share == D(40)
    zero = [f for f in result.factors_used if f["what"] == "grid_emission_factor"
            and f["value"] == 0.0]
    assert zero[0]["applies_to"] == ["energy[1]", "energy[2]"]


def test_non_fossil_share_against_all_energy():
    energy = [
        {"carrier": "diesel", "quantity": 10, "unit": "t"},
        {"carrier": "electricity", "quantity": 400, "unit": "MWh", "source": "green_certificate"},
    ]
    result = calculate_energy(energy, [], 2023)
    # 49.16 / (14.571 + 49.16) × 100 = 49.16 / 63.731 × 100 = 77.136…
    assert result.non_fossil_share == D("49.16") / D("63.731") * 100
    assert result.scope2 == 0


def test_no_share_without_renewable_electricity():
    entry = {"carrier": "electricity", "quantity": 1, "unit": "MWh", "source": "grid"}
    assert calculate_energy([entry], [], 2023).non_fossil_share is None


def test_unconfirmed_defaults_are_surfaced_in_factors_used():
    result = calculate_energy([{"carrier": "coke_oven_gas", "quantity": 1, "unit": "m3"}], [],
                              2023)
    flags = {f["what"]: f["confirmed"] for f in result.factors_used}
    assert flags == {"standard_coal_coefficient": False, "combustion_emission_factor": False}
    coefficient = result.factors_used[0]
    assert coefficient["range"] == [0.5714, 0.6143]
    assert "range" in coefficient["note"]
