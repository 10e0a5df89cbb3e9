"""The spreadsheet layout shared by writer and reader, and formula-safe text cells."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from assessment.io import layout
from assessment.io.cells import neutralise, restore_text, storable, text_cells_only
from assessment.io.layout import CellRef
from assessment.io.plan import ImportPlan, ImportProblem


def test_cell_address_is_column_then_row() -> None:
    assert CellRef("精益供应链", 12, "F").address == "F12"
    assert CellRef("energy", 1, layout.KEY).address == "A1"


def test_columns_are_distinct_letters_in_order() -> None:
    columns = [layout.KEY, layout.VERSION, layout.NAME, layout.UNIT, layout.HELP, layout.VALUE,
               layout.STATE, layout.NOT_APPLICABLE, layout.NA_REASON]
    assert "".join(columns) == "ABCDEFGHI"
    # the energy rows use the visible columns only (A and B are hidden keys and versions)
    assert not set(layout.ENERGY_COLUMNS.values()) & {"A", "B"}
    assert not set(layout.PROCESS_COLUMNS.values()) & {"A", "B"}
    assert len(set(layout.ENERGY_COLUMNS.values())) == len(layout.ENERGY_COLUMNS)


def test_answer_words_are_unambiguous_and_bilingual() -> None:
    words = [layout.UNKNOWN_WORDS, layout.YES_WORDS, layout.NO_WORDS, layout.NOT_OWNED_WORDS]
    for i, one in enumerate(words):
        for other in words[i + 1:]:
            assert not one & other, one & other
    assert {"unknown", "未知"} <= layout.UNKNOWN_WORDS
    assert {"yes", "是"} <= layout.YES_WORDS and {"no", "否"} <= layout.NO_WORDS
    for group in words:
        assert all(word == word.lower() for word in group)  # the reader lower-cases first
    assert set(layout.ENERGY_OPTIONS) >= layout.NUMERIC_OPTIONS


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=x", "\r=x", "'quoted",
                                  '=HYPERLINK("https://evil.example", "Click")'])
def test_formula_starts_are_neutralised_and_restored(text: str) -> None:
    safe = neutralise(text)
    assert safe == "'" + text
    assert restore_text(safe) == text


@pytest.mark.parametrize("value", ["供应链", "", "a=b", 12, 1.5, None, True])
def test_harmless_values_are_left_alone(value: object) -> None:
    assert neutralise(value) == value


def test_storable_drops_control_characters_only() -> None:
    assert storable("a\x00b\x1fc\td\ne") == "abc\td\ne"
    assert storable("中文 text") == "中文 text"


def test_text_cells_only_covers_every_sheet_and_keeps_numbers() -> None:
    book = Workbook()
    first = book.active
    first["A1"] = "=1+1"
    first["B1"] = 42
    second = book.create_sheet("第二页")
    second["C3"] = "@cmd"
    text_cells_only(book)
    assert first["A1"].value == "'=1+1" and first["A1"].data_type == "s"
    assert first["B1"].value == 42 and first["B1"].data_type == "n"
    assert second["C3"].value == "'@cmd" and second["C3"].data_type == "s"


@given(st.text())
def test_restore_reverses_neutralise(text: str) -> None:
    assert restore_text(neutralise(text)) == text
    assert not str(neutralise(text)).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_a_problem_is_placed_on_its_cell_or_named_by_its_key() -> None:
    plan = ImportPlan(cells={"inputs.units_sold": CellRef("精益", 7, "F")})
    plan.problem("too big", path="inputs.units_sold")
    plan.problem("bad unit", path="energy[2].unit")  # no cell known: the key is named
    plan.problem("here", cell=CellRef("energy", 3, "D"), path="inputs.units_sold")
    plan.problem("whole file")
    assert plan.problems == [
        ImportProblem("too big", CellRef("精益", 7, "F"), None),
        ImportProblem("bad unit", None, "energy[2].unit"),
        ImportProblem("here", CellRef("energy", 3, "D"), None),  # the cell given wins
        ImportProblem("whole file", None, None),
    ]


def test_problem_messages_are_rendered_to_text(in_locale) -> None:
    from flask_babel import lazy_gettext

    plan = ImportPlan()
    with in_locale("zh_CN"):
        plan.problem(lazy_gettext("Draft"))
    assert plan.problems[0].message == "草稿"
    assert isinstance(plan.problems[0].message, str)
    assert ImportPlan().source == "xlsx" and ImportPlan().values == {}
