"""The energy page's rows and options: parsing, dropping blank rows, summaries."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from assessment.questionnaire import energy
from assessment.questionnaire.fields import ParseError


def test_form_rows_are_read_in_index_order_and_blank_or_removed_rows_dropped() -> None:
    form = MultiDict({
        "energy-2-carrier": "coke", "energy-2-quantity": "1,200", "energy-2-unit": "t",
        "energy-0-carrier": "electricity", "energy-0-quantity": " ５００ ",
        "energy-0-unit": "kWh", "energy-0-source": "grid",
        "energy-1-carrier": "", "energy-1-quantity": "",  # blank
        "energy-3-carrier": "diesel", "energy-3-quantity": "9", "energy-3-remove": "1",
        "process-0-gas": "CO2", "process-0-tonnes": "3",  # another section
        "csrf_token": "x",
    })
    section = energy.section_from_form(form, "energy")
    assert [r.index for r in section.rows] == [0, 1, 2, 3]
    assert section.value == [
        {"carrier": "electricity", "quantity": 500, "unit": "kWh", "source": "grid"},
        {"carrier": "coke", "quantity": 1200, "unit": "t"},
    ]
    assert section.entry_rows == [0, 2]  # entry 1 is form row 2: problems land there
    assert not section.parse_errors
    process = energy.section_from_form(form, "process_emissions")
    assert process.value == [{"gas": "CO2", "tonnes": 3}]


def test_a_source_is_kept_only_for_electricity() -> None:
    rows = [energy.Row(0, {"carrier": "coke", "quantity": "1", "source": "grid"})]
    assert energy.parse_rows("energy", rows).value == [{"carrier": "coke", "quantity": 1}]


def test_bad_numbers_are_errors_on_their_row(in_locale) -> None:
    rows = [energy.Row(0, {"carrier": "coke", "quantity": "lots", "kgce_per_unit": "0.9"})]
    with in_locale("en"):
        section = energy.parse_rows("energy", rows)
    assert section.parse_errors
    assert section.value == [{"carrier": "coke", "kgce_per_unit": 0.9}]
    assert rows[0].errors == {"quantity": ["Enter a number, for example 12.5."]}
    with in_locale("zh_CN"):
        again = [energy.Row(0, {"carrier": "coke", "quantity": "lots"})]
        energy.parse_rows("energy", again)
    assert again[0].errors["quantity"][0] != "Enter a number, for example 12.5."


def test_an_error_is_said_once_per_attribute() -> None:
    row = energy.Row(0)
    row.error("unit", "bad")
    row.error("unit", "bad")
    row.error("unit", "worse")
    assert row.errors == {"unit": ["bad", "worse"]}


def test_json_rows() -> None:
    section = energy.section_from_json("process_emissions",
                                       [{"gas": "CH4", "tonnes": 2.0}, {"gas": "", "tonnes": ""}])
    assert section.value == [{"gas": "CH4", "tonnes": 2}]
    assert section.entry_rows == [0]
    with pytest.raises(ParseError, match="as a list"):
        energy.section_from_json("energy", {"carrier": "coke"})
    with pytest.raises(ParseError, match="as an object"):
        energy.section_from_json("energy", ["coke"])
    assert energy.section_from_json("energy", []).value == []


def test_stored_rows_are_shown_as_text() -> None:
    rows = energy.rows_from_value("energy", [{"carrier": "coke", "quantity": 2.0},
                                             "not a row", {"quantity": 2.5, "unit": None}])
    assert [(r.index, r.values) for r in rows] == [
        (0, {"carrier": "coke", "quantity": "2"}), (2, {"quantity": "2.5", "unit": ""})]
    assert energy.rows_from_value("energy", None) == []
    assert energy.rows_from_value("energy", {"carrier": "coke"}) == []


def test_options() -> None:
    options, errors = energy.parse_options({"gwp_set": "AR5", "electricity_basis": "",
                                            "electricity_equivalent_kgce_per_kwh": "0.3"})
    assert options == {"gwp_set": "AR5", "electricity_equivalent_kgce_per_kwh": 0.3}
    assert errors == {}
    assert energy.parse_options({}) == (None, {})
    options, errors = energy.parse_options({"electricity_equivalent_kgce_per_kwh": "x"})
    assert options is None and list(errors) == ["electricity_equivalent_kgce_per_kwh"]
    form = MultiDict({"options-gwp_set": " AR6 ", "options-electricity_basis": "calorific"})
    assert energy.options_from_form(form) == ({"gwp_set": "AR6",
                                               "electricity_basis": "calorific"}, {})


@pytest.mark.parametrize(("section", "value", "line"), [
    ("energy", None, "—"),
    ("energy", [], "—"),
    ("energy", [{"carrier": "coke", "quantity": 2.0, "unit": "t"},
                {"carrier": "electricity", "quantity": 10.5, "unit": "kWh"}],
     "Coke 2 t; Electricity 10.5 kWh"),
    ("energy", [{"quantity": 1}], "? 1"),
    ("process_emissions", [{"gas": "CO2", "tonnes": 3}, "junk"], "CO2 3 t"),
    ("options", {"gwp_set": "AR5"}, "GWP set AR5"),
    ("options", {}, "—"),
    ("energy", "text", "text"),
])
def test_summary(in_locale, section: str, value: object, line: str) -> None:
    with in_locale("en"):
        assert energy.summary(section, value) == line


def test_the_summary_names_carriers_and_options_in_chinese(in_locale) -> None:
    with in_locale("zh_CN"):
        assert energy.summary("energy", [{"carrier": "coke", "quantity": 2.0, "unit": "t"}]
                              ) == "焦炭 2 t"
        assert energy.summary("options", {"gwp_set": "AR5"}).endswith(" AR5")
        assert "gwp_set" not in energy.summary("options", {"gwp_set": "AR5"})


def test_choices_come_from_the_factor_tables_in_both_languages(in_locale) -> None:
    zh = dict((code, name) for code, name, _units in energy.carrier_choices(english=False))
    en = dict((code, name) for code, name, _units in energy.carrier_choices(english=True))
    assert set(zh) == set(en) and "electricity" in zh
    assert zh["electricity"] != en["electricity"]
    assert all(units for _c, _n, units in energy.carrier_choices(False))
    assert dict(energy.unit_choices(True))["kWh"].startswith("kWh (")
    assert [code for code, _ in energy.gas_choices()][:3] == ["CO2", "CH4", "N2O"]
    with in_locale("en"):
        assert dict(energy.source_choices())["grid"] == "Grid"
        assert set(dict(energy.basis_choices())) == {"calorific", "equivalent"}
    with in_locale("zh_CN"):
        assert dict(energy.source_choices())["grid"] != "Grid"


def test_grid_factor_shown_falls_back_to_the_default_series() -> None:
    tables = energy.tables()
    default = energy.grid_factor_shown(2023, None, english=True)
    assert default.series_name == tables.grid[tables.default_grid_series].name_en
    assert energy.grid_factor_shown(2023, {"grid_series": "no-such"}, True) == default
    zh = energy.grid_factor_shown(2023, {}, english=False)
    assert zh.series_name == tables.grid[tables.default_grid_series].name_zh
    assert float(default.value) > 0 and default.data_year <= 2023
    # a year past the published data uses the latest year, and says so
    later = energy.grid_factor_shown(2100, None, english=True)
    assert later.fallback and later.data_year < 2100
