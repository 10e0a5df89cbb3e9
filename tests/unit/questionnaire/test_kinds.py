"""One class per field kind: each parses and checks a value from the form, the autosave JSON and
a workbook cell alike, refuses with the field named in the reader's language, and tells the
page script how to collect its value."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from assessment.questionnaire import fields
from assessment.questionnaire.kinds import (
    KINDS,
    CellWords,
    DecimalKind,
    IntKind,
    LevelKind,
    ListKind,
    MapKind,
    PercentKind,
)
from assessment.questionnaire.numbers import ParseError, parse_number
from indicators import load_framework

FRAMEWORK = load_framework()
WORDS = CellWords(yes={"yes", "是", "1"}, no={"no", "否", "0"}, not_owned={"未拥有", "not owned"})


def field(key: str) -> fields.InputField:
    return fields.input_field(FRAMEWORK, key)


def refusal(key: str, raw: object) -> ParseError:
    with pytest.raises(ParseError) as refused:
        fields.parse_value(field(key), raw)
    return refused.value


def test_the_registry_has_a_class_for_every_input_type_of_the_framework():
    used = {spec.type for spec in FRAMEWORK.inputs.values()} | {"level"}
    assert used <= set(KINDS)
    assert {type(kind) for kind in KINDS.values()} == {
        IntKind, DecimalKind, PercentKind, LevelKind, ListKind, MapKind}
    for key in ("deliveries_total", "operating_cost", "overseas_rd_share",
                "collaboration.organization", "online_business_areas", "resource_sharing"):
        assert field(key).kind_class is KINDS[field(key).kind]


# -- numbers (int, decimal, percent) --------------------------------------------------------
@pytest.mark.parametrize(("raw", "value"), [
    ("1,200", 1200), ("12,345.5", 12345.5), ("１２０", 120), (" 1 000 ", 1000), ("12.5", 12.5),
    ("12.0", 12), (7, 7), (2.5, 2.5), ("", None), (None, None), ("1e3", 1000),
])
def test_numbers_are_read_as_people_type_them(raw, value):
    assert parse_number(raw, "decimal") == value


@pytest.mark.parametrize("raw", ["12,5", "1,2,3", "1,20", "12，5"])
def test_a_decimal_comma_is_refused_never_read_as_a_larger_number(speaking, raw):
    with speaking("zh_CN"):
        error = refusal("operating_cost", raw)
    assert str(error.message) == \
        "营业成本：小数请用小数点，例如 12.5（逗号只用于千位分隔，如 1,200）。"


@pytest.mark.parametrize("raw", ["abc", "NaN", "Infinity", "1_000", "12.5.1", True])
def test_what_is_not_a_number_is_refused(raw):
    refusal("operating_cost", raw)


def test_int_refuses_fractions_and_negatives_naming_the_field(speaking):
    with speaking("en"):
        assert str(refusal("deliveries_total", "12.5").message) == \
            "Deliveries in total: Enter a whole number, for example 120."
        assert str(refusal("deliveries_total", "-3").message) == \
            "Deliveries in total: Enter a whole number that is not negative, for example 120."
    with speaking("zh_CN"):
        assert str(refusal("deliveries_total", "-3").message) == \
            "总交货次数：请输入不小于 0 的整数，例如 120。"
    assert fields.parse_value(field("deliveries_total"), "1,000") == 1000


def test_decimal_refuses_negatives_and_numbers_too_large():
    assert fields.parse_value(field("operating_cost"), "0") == 0
    refusal("operating_cost", "-0.5")
    assert "10^15" in str(refusal("operating_cost", "1e16").message)


@pytest.mark.parametrize(("raw", "value"), [("0", 0), ("100", 100), ("12.5", 12.5)])
def test_percent_takes_0_to_100(raw, value):
    assert fields.parse_value(field("overseas_rd_share"), raw) == value


@pytest.mark.parametrize("raw", ["150", "100.01", "-1"])
def test_percent_refuses_what_is_outside_0_to_100(speaking, raw):
    with speaking("en"):
        assert str(refusal("overseas_rd_share", raw).message) == \
            "Overseas share of R&D spending: Enter a percent from 0 to 100."


def test_numbers_from_a_cell_follow_the_same_rules():
    kind = field("operating_cost").kind_class
    assert kind.read_cell(field("operating_cost"), 1234.5) == 1234.5
    assert kind.read_cell(field("operating_cost"), "1,234.5") == 1234.5
    with pytest.raises(ParseError):
        kind.read_cell(field("operating_cost"), "12,5")
    with pytest.raises(ParseError):
        field("overseas_rd_share").kind_class.read_cell(field("overseas_rd_share"), 150)


def test_a_number_field_gives_the_script_its_rules_and_messages(speaking):
    with speaking("zh_CN"):
        attributes = field("overseas_rd_share").data_attributes()
    assert attributes["data-kind"] == "percent"
    assert attributes["data-q-collect"] == "one"
    assert (attributes["data-q-min"], attributes["data-q-max"]) == ("0", "100")
    assert attributes["data-q-whole"] == "false"
    assert attributes["data-q-msg-range"] == "境外研发投入占比：请输入 0 到 100 之间的百分数。"
    assert "data-q-max" not in field("operating_cost").data_attributes()
    assert field("deliveries_total").data_attributes()["data-q-whole"] == "true"


def test_a_number_is_shown_with_its_unit_in_the_readers_language_and_back_in_the_form(
        speaking):
    with speaking("zh_CN"):
        assert fields.display_value(field("operating_cost"), 12.0, "answered", False) == \
            "12 万元"
        assert fields.display_value(field("deliveries_total"), 900, "answered", False) == \
            "900 次"
    with speaking("en"):
        assert fields.display_value(field("operating_cost"), 12.0, "answered", True) == \
            "12 10k CNY"
        assert fields.display_value(field("deliveries_total"), 900, "answered", True) == \
            "900 occasions"
    assert fields.display_value(field("overseas_rd_share"), 12.5, "answered", False) == "12.5 %"
    assert field("operating_cost").kind_class.initial(field("operating_cost"), 3.0) == \
        {"operating_cost": "3"}


# -- levels ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "value"), [("3", 3), (5, 5), ("", None)])
def test_a_level_is_one_of_five(raw, value):
    assert fields.parse_value(field("collaboration.organization"), raw) == value


@pytest.mark.parametrize("raw", ["0", "6", "2.5", "high"])
def test_a_level_outside_1_to_5_is_refused(speaking, raw):
    with speaking("en"):
        assert str(refusal("collaboration.organization", raw).message) == \
            "Supply-chain collaboration organisation: Choose one of the levels 1 to 5."


def test_a_level_field_has_five_described_choices():
    form_fields = LevelKind().form_fields(FRAMEWORK, field("collaboration.organization"), False)
    (radio,) = form_fields.values()
    choices = radio.kwargs["choices"]
    assert [c[0] for c in choices] == ["1", "2", "3", "4", "5"]
    assert choices[0][1].startswith("1 规划级")


# -- lists ----------------------------------------------------------------------------------
def test_a_list_keeps_the_frameworks_order_and_refuses_unknown_choices():
    areas = field("online_business_areas")
    assert fields.parse_value(areas, ["sales", "procurement", "sales"]) == ["procurement", "sales"]
    assert fields.parse_value(areas, []) == []
    assert fields.parse_value(areas, "") is None
    refusal("online_business_areas", ["procurement", "teleportation"])


def test_a_list_is_shown_with_the_readers_separator(speaking):
    areas = field("online_business_areas")
    with speaking("zh_CN"):
        assert "、" in fields.display_value(areas, ["procurement", "sales"], "answered", False)
    with speaking("en"):
        shown = fields.display_value(areas, ["procurement", "sales"], "answered", True)
        assert ", " in shown and "、" not in shown


def test_a_list_from_the_form_and_from_the_workbooks_rows():
    areas = field("online_business_areas")
    kind = areas.kind_class
    assert kind.read_form(areas, MultiDict([("online_business_areas", "sales"),
                                            ("online_business_areas", "quality")])) == \
        ["sales", "quality"]
    assert kind.in_parts and kind.collect == "many"
    read = {"sales": kind.read_part(areas, "sales", "是", WORDS),
            "quality": kind.read_part(areas, "quality", 0, WORDS),
            "procurement": kind.read_part(areas, "procurement", True, WORDS)}
    assert kind.from_parts(areas, read) == ["procurement", "sales"]
    with pytest.raises(ParseError):
        kind.read_part(areas, "sales", "maybe", WORDS)


# -- the resource-sharing grid (map) ----------------------------------------------------------
def test_a_grid_takes_a_percent_or_not_owned_per_type():
    grid = field("resource_sharing")
    assert fields.parse_value(grid, {"warehousing": "40", "testing": None, "rd_design": "12.5"}) \
        == {"warehousing": 40, "testing": None, "rd_design": 12.5}
    assert fields.parse_value(grid, {}) is None
    assert fields.parse_value(grid, None) is None


@pytest.mark.parametrize(("raw", "words"), [
    ("150", "请输入 0 到 100 之间的百分数"),
    ("-5", "请输入 0 到 100 之间的百分数"),
    ("12,5", "小数请用小数点"),
    ("abc", "请输入数字"),
])
def test_a_grid_refuses_each_wrong_share_on_its_own_cell(speaking, raw, words):
    with speaking("zh_CN"):
        error = refusal("resource_sharing", {"warehousing": raw, "testing": "20"})
    (messages,) = error.parts.values()
    assert list(error.parts) == ["warehousing"]
    assert messages[0].startswith("各类资源对合作伙伴的开放程度 · 仓储：")
    assert words in messages[0]


def test_a_grid_refuses_a_type_the_framework_does_not_have():
    refusal("resource_sharing", {"spaceships": "10"})
    refusal("resource_sharing", ["warehousing"])


def test_a_grid_from_the_form_and_from_the_workbooks_rows():
    grid = field("resource_sharing")
    kind = grid.kind_class
    form = MultiDict({"resource_sharing__warehousing": "40",
                      "resource_sharing__testing__none": "y",
                      "resource_sharing__testing": "99", "resource_sharing__rd_design": " "})
    assert kind.read_form(grid, form) == {"warehousing": "40", "testing": None}
    assert kind.collect == "parts" and kind.in_parts
    assert kind.read_part(grid, "testing", "未拥有", WORDS) is None
    assert kind.read_part(grid, "warehousing", 40, WORDS) == 40
    with pytest.raises(ParseError) as refused:
        kind.read_part(grid, "warehousing", 150, WORDS)
    assert list(refused.value.parts) == ["warehousing"]
    assert kind.from_parts(grid, {"warehousing": 40, "testing": None}) == \
        {"warehousing": 40, "testing": None}


def test_a_grid_is_shown_and_restored_per_type():
    grid = field("resource_sharing")
    value = {"warehousing": 40.0, "testing": None}
    assert grid.kind_class.initial(grid, value) == {
        "resource_sharing__warehousing": "40", "resource_sharing__testing__none": True}
    attributes = grid.data_attributes()
    assert attributes["data-q-collect"] == "parts"
    assert attributes["data-q-max"] == "100"
    assert attributes["data-subs"].split() == list(grid.allowed)


def test_the_grid_is_named_in_peoples_words_not_with_null():
    grid = field("resource_sharing")
    assert "null" not in grid.label(False) and "null" not in grid.label(True)
    assert grid.label(False) == "各类资源对合作伙伴的开放程度"
