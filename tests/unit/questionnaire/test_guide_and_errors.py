"""The guide data (examples, typical ranges with sources, names in people's words), the one
field-error mapping shared by the page and autosave, and the warnings grouped by answer."""

from __future__ import annotations

from assessment.questionnaire import fields, guide
from assessment.questionnaire.checks import FieldWarning, by_key, for_keys
from assessment.questionnaire.errors import field_errors
from assessment.questionnaire.kinds import KINDS
from assessment.questionnaire.numbers import ParseError
from indicators import Notice, Problem, load_framework

FRAMEWORK = load_framework()


def test_the_guide_data_is_complete_and_sourced():
    assert guide.problems() == []
    assert guide.guided_keys() <= set(FRAMEWORK.inputs)
    # every input has an example; no typical range without its source
    missing = [k for k in FRAMEWORK.inputs if not guide.guide_for(k, False).example]
    assert missing == []
    for key in FRAMEWORK.inputs:
        for english in (False, True):
            shown = guide.guide_for(key, english)
            assert (shown.typical is None) == (shown.source is None), key


def test_no_input_is_named_for_programmers():
    for key in FRAMEWORK.inputs:
        field = fields.input_field(FRAMEWORK, key)
        for english in (False, True):
            assert "null" not in field.label(english).lower(), key


def test_the_guide_speaks_the_readers_language():
    chinese, english = guide.guide_for("deliveries_on_time", False), \
        guide.guide_for("deliveries_on_time", True)
    assert "90%–98%" in (chinese.typical or "") and "mostly 90-98 %" in (english.typical or "")
    assert chinese.source == "本系统指标体系中各指标评分刻度的说明"
    assert guide.guide_for("collaboration.organization", False).example is None


def test_engine_problems_land_on_their_field_grid_cell_row_or_the_top():
    problems = [
        Problem("inputs.deliveries_on_time", "exceeds_total", "准时交货次数 > 总",
                "on time > total", {"total": "deliveries_total"}),
        Problem("inputs.resource_sharing.testing", "percent_out_of_range", "超出", "out"),
        Problem("energy[1].unit", "unknown_unit", "单位未知", "unknown unit"),
        Problem("energy", "bad", "能源有误", "energy wrong"),
        Problem("options.gwp_set", "bad", "GWP 有误", "GWP wrong"),
        Problem("inputs.scm_staff", "negative", "不能为负", "negative"),
    ]
    keys = ("deliveries_on_time", "deliveries_total", "resource_sharing", "energy", "options")
    mapped = field_errors(FRAMEWORK, problems, keys, english=False)
    assert mapped.fields["deliveries_on_time"] == ["准时交货次数不能大于总交货次数"]
    assert mapped.fields["resource_sharing__testing"] == ["超出"]
    assert mapped.rows == {"energy": {1: {"unit": ["单位未知"]}}}
    assert mapped.sections == {"energy": ["能源有误"]}
    assert mapped.options == {"gwp_set": ["GWP 有误"]}
    assert mapped.other == ["不能为负"]  # scm_staff is not on this page
    shape = mapped.as_json()
    assert shape["rows"]["energy"] == {"1": {"unit": ["单位未知"]}, "0": {"carrier": ["能源有误"]}}
    assert shape["errors"]["resource_sharing__testing"] == ["超出"]


def test_a_kinds_refusal_lands_on_the_grid_cell_or_the_field():
    mapped = field_errors(FRAMEWORK, [], (), english=True)
    grid = fields.input_field(FRAMEWORK, "resource_sharing")
    try:
        KINDS["map"].parse(grid, {"warehousing": "150", "testing": "abc"})
    except ParseError as error:
        mapped.add_parse_error(grid, error)
    assert set(mapped.fields) == {"resource_sharing__warehousing", "resource_sharing__testing"}
    plain = fields.input_field(FRAMEWORK, "deliveries_total")
    mapped.add_parse_error(plain, ParseError("no"))
    assert mapped.fields["deliveries_total"] == ["no"]
    assert bool(mapped)


def test_warnings_are_grouped_by_answer_each_once():
    notice = Notice("energy[0].quantity", "quantity_too_high", "电力过多", "too much power")
    general = Notice("year", "grid_factor_fallback", "采用 2023 年因子", "2023 factor used")
    warnings = [FieldWarning("energy", "[0].quantity", notice),
                FieldWarning("energy", "[0].quantity", notice),
                FieldWarning(None, "", general)]
    assert by_key(warnings, english=False) == {"energy": ["电力过多"], "": ["采用 2023 年因子"]}
    assert by_key(warnings, english=True, keys=["output_value"]) == {"": ["2023 factor used"]}
    assert for_keys(by_key(warnings, False), ["energy", "output_value"]) == {
        "energy": ["电力过多"], "output_value": []}
