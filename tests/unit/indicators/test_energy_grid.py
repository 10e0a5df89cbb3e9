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
    # 2021 (third-party table, unconfirmed; printed there in tCO2/kWh, e.g. 0.0007120)
    ("110000", 2021, "0.7120", "north"), ("220000", 2021, "0.6012", "northeast"),
    ("310000", 2021, "0.5992", "east"), ("430000", 2021, "0.5354", "central"),
    ("620000", 2021, "0.5951", "northwest"), ("460000", 2021, "0.4326", "south"),
    ("500000", 2021, "0.2113", "southwest"),
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
    result = scope2(2022, "540000")  # Tibet: no provincial factor held in any year
    assert result.scope2 == Decimal("0.2268")  # Southwest China 2022
    assert (result.grid.basis, result.grid.level, result.grid.fallback) == (
        "province", "region", True)
    [notice] = result.notices
    assert (notice.key, notice.code) == ("province", "grid_factor_fallback")
    assert "西藏自治区" in notice.message_zh and "省级" in notice.message_zh
    assert "Tibet" in notice.message_en and "regional" in notice.message_en
    factor = next(f for f in result.factors if f["applies_to"] == "scope2")
    assert factor["fallback"] is True


def test_a_year_without_a_provincial_factor_takes_the_latest_earlier_year():
    result = scope2(2023, "530000")  # Yunnan: provincial factors held for 2021 and 2022 only
    assert result.scope2 == Decimal("0.1073")
    assert (result.grid.level, result.grid.year_fallback) == ("province", True)
    [notice] = result.notices
    assert notice.key == "year"
    assert "2023" in notice.message_zh and "2022" in notice.message_zh
    assert "no provincial factor for 2023 is held" in notice.message_en
    assert "未收录 2023 年的省级因子" in notice.message_zh


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


# The provincial factors held, as published in the MEE/NBS announcements of 2021 and 2022 data
# (公告2024年第12号 of 2024-04-12; the announcement of 2024-12-20). Ten 2022 figures were read
# in a reprint (confirmed); the rest only in the third-party table of
# felix0220170/ghg-accounting (src/config/emissionConstants.js), so unconfirmed.
PROVINCIAL = {
    2021: {
        "110000": "0.5688", "120000": "0.7355", "130000": "0.7901", "140000": "0.7222",
        "150000": "0.7025", "210000": "0.5876", "220000": "0.5629", "230000": "0.6342",
        "310000": "0.5834", "320000": "0.6451", "330000": "0.5422", "340000": "0.7075",
        "350000": "0.4711", "360000": "0.5835", "370000": "0.6838", "410000": "0.6369",
        "420000": "0.3672", "430000": "0.5138", "440000": "0.4715", "450000": "0.5154",
        "460000": "0.4524", "500000": "0.4743", "510000": "0.1255", "520000": "0.5182",
        "530000": "0.1235", "610000": "0.6336", "620000": "0.4955", "630000": "0.1326",
        "640000": "0.6546", "650000": "0.6577",
    },
    2022: {
        "110000": "0.5580", "120000": "0.7041", "130000": "0.7252", "140000": "0.7096",
        "150000": "0.6849", "210000": "0.5626", "220000": "0.4932", "230000": "0.5368",
        "310000": "0.5849", "320000": "0.5978", "330000": "0.5153", "340000": "0.6782",
        "350000": "0.4092", "360000": "0.5752", "370000": "0.6410", "410000": "0.6058",
        "420000": "0.4364", "430000": "0.4900", "440000": "0.4403", "450000": "0.4044",
        "460000": "0.4184", "500000": "0.5227", "510000": "0.1404", "520000": "0.4989",
        "530000": "0.1073", "610000": "0.6558", "620000": "0.4772", "630000": "0.1567",
        "640000": "0.6423", "650000": "0.6231",
    },
}
CONFIRMED_2022 = {"130000", "140000", "120000", "150000", "340000", "350000", "450000",
                  "630000", "510000", "530000"}


@pytest.mark.parametrize(("year", "province", "value"), [
    (year, province, value)
    for year, table in PROVINCIAL.items() for province, value in table.items()
])
def test_provincial_factor_by_year(year, province, value):
    result = scope2(year, province)
    assert result.scope2 == Decimal(value)
    assert (result.grid.level, result.grid.factor.area, result.grid.fallback) == (
        "province", province, False)
    assert result.notices == []
    factor = next(f for f in result.factors if f["applies_to"] == "scope2")
    assert factor["id"] == f"grid.national_average.province.{province}.{year}"
    assert f"{year} electricity CO2 emission factors" in factor["source"]
    used = next(f for f in result.factors_used if f["id"] == factor["id"])
    assert used["confirmed"] is (year == 2022 and province in CONFIRMED_2022)


def test_grid_data_covers_exactly_these_years_and_areas():
    """What grid.yaml holds, stated exactly: a figure added or lost changes this test."""
    series = TABLES.grid["national_average"]
    assert {y: str(f.kg_co2_per_kwh) for y, f in series.factors.items()} == {
        2021: "0.5568", 2022: "0.5366", 2023: "0.5306"}
    assert {y: sorted(areas) for y, areas in series.regional.items()} == {
        y: sorted(TABLES.regions) for y in (2021, 2022, 2023)}
    mainland = {c for c, p in TABLES.provinces.items() if p.region is not None}
    assert len(mainland) == 31
    # 2021 and 2022: every mainland province but Tibet; no 2023 provincial table is held.
    assert {y: set(areas) for y, areas in series.provincial.items()} == {
        2021: mainland - {"540000"}, 2022: mainland - {"540000"}}
    assert {y: {c: str(f.kg_co2_per_kwh) for c, f in areas.items()}
            for y, areas in series.provincial.items()} == {
        y: {c: str(Decimal(v).normalize()) for c, v in t.items()}
        for y, t in PROVINCIAL.items()}
    # Which are confirmed: the 2022 regional and national figures and ten 2022 provinces;
    # 2021 regional and provincial and the other 2022 provinces are from one third-party table.
    assert {c for c, f in series.provincial[2022].items() if f.confirmed} == CONFIRMED_2022
    assert not any(f.confirmed for f in series.provincial[2021].values())
    assert not any(f.confirmed for f in series.regional[2021].values())
    assert all(f.confirmed for y in (2022, 2023) for f in series.regional[y].values())
    # The other series hold national figures only.
    for code, other in TABLES.grid.items():
        if code != "national_average":
            assert (other.regional, other.provincial) == ({}, {}), code
