"""The factor tables: their figures, the computed combustion factors, and schema validation."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from indicators.energy import load_factor_tables
from indicators.energy.loader import DEFAULT_DIRECTORY
from indicators.problems import InvalidFramework

TABLES = load_factor_tables()


def test_tables_are_loaded_once_and_cached():
    assert load_factor_tables() is TABLES
    assert load_factor_tables(DEFAULT_DIRECTORY) is TABLES


def test_required_carriers_are_all_there_with_their_scope():
    required = {"raw_coal", "cleaned_coal", "coke", "crude_oil", "fuel_oil", "gasoline",
                "kerosene", "diesel", "lpg", "natural_gas", "coke_oven_gas", "electricity",
                "heat", "steam"}
    assert required <= set(TABLES.carriers)
    purchased = {"electricity", "heat", "steam"}
    for code in required:
        assert TABLES.carriers[code].scope == (2 if code in purchased else 1), code
        assert TABLES.carriers[code].fossil_fuel is (code not in purchased), code


@pytest.mark.parametrize(("carrier", "kgce"), [
    # GB/T 2589-2020 reference values as listed in shared facts/energy-and-carbon.md.
    ("raw_coal", "0.7143"), ("cleaned_coal", "0.9000"), ("coke", "0.9714"),
    ("crude_oil", "1.4286"), ("fuel_oil", "1.4286"), ("gasoline", "1.4714"),
    ("kerosene", "1.4714"), ("diesel", "1.4571"), ("lpg", "1.7143"),
    ("natural_gas", "1.2143"), ("coke_oven_gas", "0.5714"), ("electricity", "0.1229"),
    ("heat", "0.03412"), ("steam", "0.03412"),
])
def test_standard_coal_coefficients_follow_the_standard(carrier, kgce):
    assert TABLES.carriers[carrier].kgce_per_base_unit == Decimal(kgce)


def test_gas_ranges_are_kept_and_the_coke_oven_gas_default_is_flagged():
    natural_gas = TABLES.carriers["natural_gas"]
    assert natural_gas.range == (Decimal("1.1000"), Decimal("1.3300"))
    coke_oven_gas = TABLES.carriers["coke_oven_gas"]
    assert coke_oven_gas.range == (Decimal("0.5714"), Decimal("0.6143"))
    # Only a range is published, so the default picked from it is not a confirmed figure.
    assert coke_oven_gas.confirmed is False
    assert coke_oven_gas.coefficient_record["confirmed"] is False


@pytest.mark.parametrize(("fuel", "unit", "typical"), [
    # Typical results from shared facts: tCO2 per tonne, or per 10^4 m3 for natural gas.
    ("raw_coal", "t", "1.90"),
    ("gasoline", "t", "2.93"),
    ("diesel", "t", "3.10"),
])
def test_combustion_parameters_reproduce_the_typical_factors(fuel, unit, typical):
    # The GB/T 2589 calorific values of these fuels are within 0.2 % of the guideline's.
    factor = TABLES.carriers[fuel].tco2_per_unit[unit]
    # Within 0.5 %: the typical figures are themselves rounded.
    assert abs(factor - Decimal(typical)) <= Decimal(typical) * Decimal("0.005")


def test_natural_gas_reproduces_the_typical_factor_at_the_guidelines_calorific_value():
    gas = TABLES.carriers["natural_gas"]
    # The guideline's 389.31 GJ per 10^4 m3 is 389310 / 29.3076 = 13283.4… kgce per 10^4 m3
    kgce = Decimal("389.31") / Decimal("0.0293076")
    factor = kgce * gas.tco2_per_kgce
    assert abs(factor - Decimal("21.6")) <= Decimal("21.6") * Decimal("0.005")
    # The default (gas-field gas 1.2143 kgce/m3 = 35.588 MJ/m3) feeds both energy and CO2:
    # 12143 × 0.0293076 = 355.8821868 GJ × 15.3 / 1000 × 0.99 × 44/12 = 19.765340772685…
    assert abs(gas.tco2_per_unit["10^4 m3"] - Decimal("355.8821868") * Decimal("15.3") / 1000
               * Decimal("0.99") * 44 / 12) < Decimal("1e-24")


def test_combustion_factor_is_computed_from_its_parameters():
    # diesel: 1457.1 kgce/t × 0.0293076 = 42.70410396 GJ/t; × 20.2 tC/TJ / 1000 × 0.98 × 44/12
    #   = 0.862622899992 × 0.98 = 0.84537044199216 × 44 / 12 = 3.09969162063792 tCO2/t
    expected = Decimal("42.70410396") * Decimal("20.2") / 1000 * Decimal("0.98") * 44 / 12
    # 28-digit Decimal context: equal up to the rounding of 44/12 in the last digit.
    assert abs(TABLES.carriers["diesel"].tco2_per_unit["t"] - expected) < Decimal("1e-24")
    record = TABLES.carriers["diesel"].emission_record
    assert record["parameters"] == {
        "ncv": 42.70410396, "ncv_unit": "GJ/t",
        "ncv_from": "standard-coal coefficient (carriers.yaml)", "guideline_ncv": 42.652,
        "carbon_content": 20.2, "carbon_content_unit": "tC/TJ", "oxidation_rate": 0.98}
    assert record["confirmed"] is True
    assert TABLES.carriers["coke"].emission_record["confirmed"] is False


@pytest.mark.parametrize(("carrier", "unit", "tco2"), [
    # blast-furnace gas: 1286 kgce per 10^4 m3 × 0.0293076 = 37.6895736 GJ × 70.8 tC/TJ / 1000
    #   = 2.66842181088 tC × 0.99 = 2.6417375927712 × 44/12 = 9.6863711734944
    ("blast_furnace_gas", "10^4 m3", "9.6863711734944"),
    # converter gas: 2866 × 0.0293076 = 83.9955816 GJ × 49.6 / 1000 = 4.16618084736 tC
    #   × 0.99 = 4.1245190388864 × 44/12 = 15.1232364759168
    ("converter_gas", "10^4 m3", "15.1232364759168"),
    # LNG: 1757.2 kgce/t × 0.0293076 = 51.49931472 GJ × 15.3 / 1000 = 0.787939515216 tC
    #   × 0.99 = 0.78006012006384 × 44/12 = 2.86022044023408
    ("lng", "t", "2.86022044023408"),
    # refinery dry gas: 1571.4 × 0.0293076 = 46.05396264 GJ × 18.2 / 1000
    #   = 0.838182120048 tC × 0.98 = 0.82141847764704 × 44/12 = 3.01186775137248
    ("refinery_dry_gas", "t", "3.01186775137248"),
])
def test_steel_and_petrochemical_carriers(carrier, unit, tco2):
    assert abs(TABLES.carriers[carrier].tco2_per_unit[unit] - Decimal(tco2)) < Decimal("1e-24")
    assert TABLES.carriers[carrier].scope == 1


@pytest.mark.parametrize(("series", "year", "value"), [
    ("national_average", 2021, "0.5568"), ("national_average", 2022, "0.5366"),
    ("national_average", 2023, "0.5306"), ("excluding_traded_non_fossil", 2022, "0.5856"),
    ("excluding_traded_non_fossil", 2023, "0.6096"), ("fossil_only", 2021, "0.8426"),
    ("fossil_only", 2022, "0.8325"), ("fossil_only", 2023, "0.8273"),
    ("product_footprint", 2023, "0.6205"), ("product_footprint", 2024, "0.5777"),
])
def test_grid_factors_by_series_and_year(series, year, value):
    factor, fallback = TABLES.grid_factor(series, year)
    assert (factor.kg_co2_per_kwh, factor.data_year, fallback) == (Decimal(value), year, False)


def test_grid_defaults_and_unconfirmed_figures():
    assert TABLES.default_grid_series == "national_average"
    # Before the first publication: the earliest; after the last: the latest earlier one.
    factor, fallback = TABLES.grid_factor("national_average", 2019)
    assert (factor.data_year, fallback) == (2021, True)
    factor, fallback = TABLES.grid_factor("national_average", 2030)
    assert (factor.data_year, fallback) == (2023, True)
    ets, _ = TABLES.grid_factor("ets_reporting", 2022)
    assert ets.kg_co2_per_kwh == Decimal("0.5703")
    assert ets.confirmed is True and ets.record["confirmed"] is True


def test_gwp_table_covers_the_gases_of_the_facts():
    assert set(TABLES.gases) == {
        "CO2", "CH4", "N2O", "SF6", "NF3", "HFC-23", "HFC-32", "HFC-125", "HFC-134a",
        "HFC-143a", "HFC-152a", "HFC-227ea", "HFC-236fa", "HFC-245fa", "HFC-365mfc",
        "HFC-43-10mee", "CF4", "C2F6", "C3F8", "c-C4F8", "C4F10", "C6F14"}
    # The seven gases of the emissions-trading measures, by group.
    assert {gas.group for gas in TABLES.gases.values()} == {
        "CO2", "CH4", "N2O", "HFCs", "PFCs", "SF6", "NF3"}
    assert TABLES.default_gwp_set == "AR5"
    assert TABLES.gases["HFC-43-10mee"].gwp == {"AR5": Decimal(1650), "AR6": Decimal(1600),
                                                "SAR": Decimal(1300)}
    assert TABLES.gwp_sets == ("AR5", "AR6", "SAR")


@pytest.mark.parametrize(("gas", "sar"), [
    ("CO2", 1), ("CH4", 21), ("N2O", 310), ("SF6", 23900), ("HFC-23", 11700),
    ("HFC-134a", 1300), ("CF4", 6500), ("C2F6", 9200),
])
def test_the_sar_set_of_the_chinese_accounting_guidelines(gas, sar):
    assert TABLES.gases[gas].gwp["SAR"] == Decimal(sar)
    record = TABLES.gases[gas].records["SAR"]
    assert (record["id"], record["year"]) == (f"gwp.SAR.{gas}", 1995)
    assert record["source"].startswith("IPCC Second Assessment Report")
    # CH4, N2O and SF6 were read in a source; the rest are marked unconfirmed.
    assert record["confirmed"] is (gas in ("CO2", "CH4", "N2O", "SF6"))


def test_the_sar_set_has_no_value_for_gases_it_does_not_list():
    for gas in ("NF3", "HFC-245fa", "HFC-365mfc"):
        assert "SAR" not in TABLES.gases[gas].gwp


def test_national_targets_of_the_action_plan_with_seed_lines():
    year_2024 = TABLES.targets.national[2024]
    assert year_2024["energy_per_gdp"].change_percent == Decimal("-2.5")
    assert year_2024["co2_per_gdp"].change_percent == Decimal("-3.9")
    assert year_2024["industrial_energy_per_value_added"].change_percent == Decimal("-3.5")
    assert year_2024["non_fossil_share"].share_percent == Decimal("18.9")
    assert year_2024["co2_per_gdp"].lines == "39-41"
    assert TABLES.targets.national[2025]["non_fossil_share"].share_percent == Decimal(20)
    steel = [s for s in TABLES.targets.sectors if s["sector"] == "steel"]
    assert {s["metric"] for s in steel} >= {"benchmark_capacity_share",
                                            "energy_per_tonne_steel_vs_2023"}
    assert TABLES.targets.for_comparison("energy_intensity", 2024) is year_2024[
        "industrial_energy_per_value_added"]
    assert TABLES.targets.for_comparison("carbon_intensity", 2025) is None


def test_every_table_exposes_its_source_citations_and_version():
    assert list(TABLES.sources) == ["carriers", "combustion", "grid", "gwp", "targets"]
    assert TABLES.plausibility["source"].version == "plausibility.1"
    for table, source in TABLES.sources.items():
        assert source.table == table
        assert source.version == TABLES.versions[table]
        # Folded YAML text reads as one line, without the file's line breaks.
        for text in (source.source, source.citation_zh, source.citation_en):
            assert text.strip() and "\n" not in text and "  " not in text, (table, text)
    carriers = TABLES.sources["carriers"]
    assert carriers.citation_zh.startswith("GB/T 2589-2020《综合能耗计算通则》")
    assert carriers.citation_en.startswith("GB/T 2589-2020 General rules for calculation")
    assert carriers.version == "gbt2589-2020.2"
    assert "国发〔2024〕12 号" in TABLES.sources["targets"].citation_zh
    assert "(Guofa [2024] No. 12)" in TABLES.sources["targets"].citation_en


# ---------------------------------------------------------------- broken factor files


@pytest.fixture
def factor_copy(tmp_path: Path) -> Path:
    directory = tmp_path / "factors"
    shutil.copytree(DEFAULT_DIRECTORY, directory)
    return directory


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unchanged_copy_loads(factor_copy):
    tables = load_factor_tables(factor_copy)
    assert tables is not TABLES
    assert tables.carriers["diesel"].kgce_per_base_unit == Decimal("1.4571")


@pytest.mark.parametrize(("file", "old", "new", "yaml_path"), [
    ("carriers.yaml", "kgce_per_base_unit: 1.4571", "kgce_per_base_unit: abc",
     "carriers.diesel.kgce_per_base_unit"),
    ("carriers.yaml", "kgce_per_base_unit: 0.7143", "kgce_per_base_unit: -0.7143",
     "carriers.raw_coal.kgce_per_base_unit"),
    ("carriers.yaml", "scope: 1, confirmed: true}", "scope: 3, confirmed: true}",
     "carriers.raw_coal.scope"),
    ("carriers.yaml", 'version: "gbt2589-2020.2"', "version_tag: x", "version"),
    ("combustion.yaml", "oxidation_rate: 0.94", "oxidation_rate: 94",
     "fuels.raw_coal.oxidation_rate"),
    ("combustion.yaml", "  diesel: {guideline_ncv: 42.652", "  diesels: {guideline_ncv: 42.652",
     "fuels.diesel"),
    ("grid.yaml", '"530000": {value: 0.1073', '"530001": {value: 0.1073',
     "series.national_average.provincial.2022.530001"),
    ("grid.yaml", "region: southwest}", "region: west}", "provinces.500000.region"),
    ("plausibility.yaml", "    high: 30000\n", "    high: lots\n",
     "per_output.electricity.high"),
    ("gwp.yaml", "HFC-245fa: {name_zh: 五氟丙烷, group: HFCs, AR5: 858, AR6: 962, SAR: null}",
     "HFC-245fa: {name_zh: 五氟丙烷, group: HFCs, AR5: 858, AR6: 962}", "gases.HFC-245fa.SAR"),
    ("grid.yaml", "2022: {value: 0.5366", "2022: {valeur: 0.5366",
     "series.national_average.factors.2022.valeur"),
    ("grid.yaml", "default_series: national_average", "default_series: provincial",
     "default_series"),
    ("gwp.yaml", "N2O: {name_zh: 氧化亚氮, group: N2O, AR5: 265,",
     "N2O: {name_zh: 氧化亚氮, group: N2O, AR5: true,", "gases.N2O.AR5"),
    ("targets.yaml", 'change_percent: -3.9, name_zh', "name_zh", "national.2024.co2_per_gdp"),
])
def test_a_broken_file_fails_with_its_path_and_the_yaml_path(factor_copy, file, old, new,
                                                            yaml_path):
    _edit(factor_copy / file, old, new)
    with pytest.raises(InvalidFramework) as caught:
        load_factor_tables(factor_copy)
    assert caught.value.path == str(factor_copy / file)
    assert any(p.startswith(f"{yaml_path}:") for p in caught.value.problems), \
        caught.value.problems


def test_a_file_that_is_not_yaml_fails_with_its_path(factor_copy):
    (factor_copy / "gwp.yaml").write_text("gases: [unclosed\n", encoding="utf-8")
    with pytest.raises(InvalidFramework) as caught:
        load_factor_tables(factor_copy)
    assert caught.value.path == str(factor_copy / "gwp.yaml")
    assert "not valid YAML" in caught.value.problems[0]


def test_every_problem_of_a_file_is_reported_at_once(factor_copy):
    _edit(factor_copy / "carriers.yaml", "kgce_per_base_unit: 1.4571", "kgce_per_base_unit: x")
    _edit(factor_copy / "carriers.yaml", "kgce_per_base_unit: 1.7143", "kgce_per_base_unit: 0")
    with pytest.raises(InvalidFramework) as caught:
        load_factor_tables(factor_copy)
    keys = {p.split(":")[0] for p in caught.value.problems}
    assert {"carriers.diesel.kgce_per_base_unit", "carriers.lpg.kgce_per_base_unit"} <= keys


@pytest.mark.parametrize("file", ["carriers.yaml", "combustion.yaml", "grid.yaml", "gwp.yaml",
                                  "targets.yaml"])
@pytest.mark.parametrize("key", ["citation_zh", "citation_en"])
def test_a_missing_citation_is_a_problem_of_its_file(factor_copy, file, key):
    path = factor_copy / file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines) if line.startswith(f"{key}:"))
    end = start + 1
    while end < len(lines) and lines[end].startswith("  "):  # a folded text's lines
        end += 1
    path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    with pytest.raises(InvalidFramework) as caught:
        load_factor_tables(factor_copy)
    assert caught.value.path == str(path)
    assert f"{key}: must be a non-empty text" in caught.value.problems


def test_a_blank_citation_is_a_problem(factor_copy):
    path = factor_copy / "grid.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("citation_zh:"))
    path.write_text(text.replace(line, 'citation_zh: "  "', 1), encoding="utf-8")
    with pytest.raises(InvalidFramework) as caught:
        load_factor_tables(factor_copy)
    assert caught.value.problems == ["citation_zh: must be a non-empty text"]
