"""Grid factor selection: province, regional grid and national basis, by data year, with the
published figures (MEE/NBS announcements), fallbacks and the factors trace."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators import InvalidInput, evaluate
from indicators.energy import calculate_energy, load_factor_tables

TABLES = load_factor_tables()
ONE_MWH = [{"carrier": "electricity", "quantity": 1, "unit": "MWh"}]


def scope2(year, province=None, **options):
    return calculate_energy(ONE_MWH, [], year, options, province=province)


@pytest.mark.parametrize(("province", "value"), [
    # 2022 announcement: the five highest and five lowest provinces
    ("130000", "0.7252"), ("140000", "0.7096"), ("120000", "0.7041"), ("150000", "0.6849"),
    ("340000", "0.6782"), ("350000", "0.4092"), ("450000", "0.4044"), ("630000", "0.1567"),
    ("510000", "0.1404"), ("530000", "0.1073"),
])
def test_provincial_factor_of_2022(province, value):
    result = scope2(2022, province)
    # 1000 kWh × factor / 1000
    assert result.scope2 == Decimal(value)
    assert (result.grid.level, result.grid.fallback) == ("province", False)
    assert result.notices == []


@pytest.mark.parametrize(("province", "year", "value", "region"), [
    ("130000", 2022, "0.6776", "north"), ("210000", 2022, "0.5564", "northeast"),
    ("320000", 2022, "0.5617", "east"), ("420000", 2022, "0.5395", "central"),
    ("610000", 2022, "0.5857", "northwest"), ("440000", 2022, "0.3869", "south"),
    ("510000", 2022, "0.2268", "southwest"),
    ("110000", 2023, "0.6361", "north"), ("230000", 2023, "0.5122", "northeast"),
    ("330000", 2023, "0.5500", "east"), ("410000", 2023, "0.5271", "central"),
    ("650000", 2023, "0.5543", "northwest"), ("530000", 2023, "0.4042", "south"),
    ("500000", 2023, "0.2472", "southwest"),
])
def test_regional_factor_by_year(province, year, value, region):
    result = scope2(year, province, grid_factor_basis="region")
    assert result.scope2 == Decimal(value)
    assert (result.grid.level, result.grid.factor.area, result.grid.fallback) == (
        "region", region, False)
    factor = next(f for f in result.factors if f["applies_to"] == "scope2")
    assert factor["id"] == f"grid.national_average.region.{region}.{year}"
    assert factor["year"] == year and factor["fallback"] is False
    assert f"{year} electricity CO2 emission factors" in factor["source"]


def test_yunnan_is_about_a_fifth_of_the_national_factor():
    yunnan = scope2(2022, "530000").scope2
    national = scope2(2022, "530000", grid_factor_basis="national").scope2
    assert (yunnan, national) == (Decimal("0.1073"), Decimal("0.5366"))
    assert yunnan / national < Decimal("0.2")


def test_without_a_province_the_national_factor_is_the_default():
    result = scope2(2023)
    assert result.scope2 == Decimal("0.5306")
    assert result.grid.level == "national" and result.notices == []


def test_a_province_without_a_held_factor_uses_its_region_and_says_so():
    result = scope2(2022, "320000")  # Jiangsu: not among the provinces of the reprint
    assert result.scope2 == Decimal("0.5617")  # East China 2022
    assert (result.grid.basis, result.grid.level, result.grid.fallback) == (
        "province", "region", True)
    [notice] = result.notices
    assert (notice.key, notice.code) == ("province", "grid_factor_fallback")
    assert "江苏省" in notice.message_zh and "省级" in notice.message_zh
    assert "Jiangsu" in notice.message_en and "regional" in notice.message_en
    factor = next(f for f in result.factors if f["applies_to"] == "scope2")
    assert factor["fallback"] is True


def test_a_year_without_a_provincial_factor_takes_the_latest_earlier_year():
    result = scope2(2023, "530000")  # Yunnan: provincial factors held for 2022 only
    assert result.scope2 == Decimal("0.1073")
    assert (result.grid.level, result.grid.year_fallback) == ("province", True)
    [notice] = result.notices
    assert notice.key == "year"
    assert "2023" in notice.message_zh and "2022" in notice.message_zh
    assert "no factor is published for 2023" in notice.message_en


@pytest.mark.parametrize(("year", "value", "data_year"), [
    (2024, "0.5306", 2023), (2030, "0.5306", 2023), (1990, "0.5568", 2021),
])
def test_national_fallback_years(year, value, data_year):
    result = scope2(year, "530000", grid_factor_basis="national")
    assert result.scope2 == Decimal(value)
    assert result.grid.factor.data_year == data_year and result.grid.fallback
    assert result.notices[0].code == "grid_factor_fallback"


def test_hong_kong_has_no_regional_grid_and_falls_back_to_the_national_factor():
    result = scope2(2023, "810000")
    assert result.scope2 == Decimal("0.5306")
    assert result.grid.level == "national" and result.grid.fallback


def test_the_fallback_is_a_warning_of_the_evaluation_and_the_exit_stays_ok():
    doc = {"year": 2024, "province": "530000", "inputs": {"output_value": 1000},
           "energy": [{"carrier": "electricity", "quantity": 100, "unit": "MWh"}]}
    out = evaluate(doc).to_contract()
    assert [w["code"] for w in out["warnings"]] == ["grid_factor_fallback"]
    assert out["emissions"]["scope2"] == 10.73  # 100,000 kWh × 0.1073 / 1000
    grid = next(f for f in out["factors"] if f["applies_to"] == "scope2")
    assert grid == {"id": "grid.national_average.province.530000.2022", "applies_to": "scope2",
                    "value": 0.1073, "unit": "tCO2/MWh", "year": 2022,
                    "source": "MEE and NBS, Announcement of the 2022 electricity CO2 emission "
                              "factors (2024-12-20)",
                    "version": TABLES.versions["grid"], "fallback": True}


@pytest.mark.parametrize("province", ["999999", "53", "530100x", 530000, ""])
def test_an_unknown_province_code_is_bad_input(province):
    with pytest.raises(InvalidInput) as caught:
        evaluate({"province": province, "inputs": {}})
    assert [p.key for p in caught.value.problems] == ["province"]
    assert "GB/T 2260" in caught.value.problems[0].message_zh


@pytest.mark.parametrize("basis", ["province", "region"])
def test_a_provincial_or_regional_basis_needs_a_province(basis):
    with pytest.raises(InvalidInput) as caught:
        evaluate({"inputs": {}, "options": {"grid_factor_basis": basis}})
    assert [p.key for p in caught.value.problems] == ["options.grid_factor_basis"]


def test_an_unknown_basis_is_bad_input():
    with pytest.raises(InvalidInput) as caught:
        evaluate({"inputs": {}, "province": "530000", "options": {"grid_factor_basis": "city"}})
    assert [p.key for p in caught.value.problems] == ["options.grid_factor_basis"]


def test_a_series_without_provincial_factors_falls_back_to_its_national_figure():
    result = scope2(2023, "530000", grid_series="fossil_only")
    assert result.scope2 == Decimal("0.8273")
    assert result.grid.level == "national" and result.notices[0].key == "province"


def test_every_province_maps_to_a_known_region_or_none():
    assert len(TABLES.provinces) == 34
    for province in TABLES.provinces.values():
        assert province.region is None or province.region in TABLES.regions
