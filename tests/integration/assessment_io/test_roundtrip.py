"""Export and re-import through the services, against the database."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from typing import Any

from flask import Flask
from openpyxl import load_workbook

from assessment.assessments import queries
from assessment.io import export, importer
from tenants import queries as platform_queries
from tenants.context import set_tenant
from tenants.extensions import db
from tests.integration.assessment_io.factories import Made


def _in_tenant(app: Flask, made: Made) -> Any:
    context = app.test_request_context()
    context.push()
    set_tenant(db.session, made.tenant_id)
    return context


def _snapshot(made: Made) -> tuple[Any, ...]:
    answers = sorted((a.key, json.dumps(a.value, sort_keys=True), a.state, a.version)
                     for a in queries.answers(made.assessment_id))
    states = sorted((s.code, s.not_applicable, s.na_reason, s.version)
                    for s in queries.indicator_states(made.assessment_id))
    history = len(queries.answer_history(made.assessment_id))
    return answers, states, history


def _importer_args(made: Made) -> tuple[Any, Any, Any]:
    assessment = queries.assessment(made.assessment_id)
    user = platform_queries.user_by_email(made.owner_email)
    assert assessment is not None and user is not None
    membership = platform_queries.membership(made.tenant_id, user.id)
    return assessment, membership, user


def test_json_export_evaluates_to_the_apps_figures(app: Flask, made: Made, tmp_path: Any) -> None:
    context = _in_tenant(app, made)
    try:
        assessment = queries.assessment(made.assessment_id)
        assert assessment is not None
        path = tmp_path / "export.json"
        path.write_bytes(export.export_json(assessment))
        app_results = export.results_document(assessment)
    finally:
        context.pop()
    run = subprocess.run([sys.executable, "-m", "indicators", "evaluate", str(path)],
                         capture_output=True, text=True, check=False, timeout=60)
    assert run.returncode == 0, run.stderr
    cli_results = json.loads(run.stdout)
    assert cli_results["overall"] == app_results["overall"]
    assert cli_results["overall"]["score"] is not None
    assert cli_results["indicators"] == app_results["indicators"]
    assert json.loads(path.read_text())["not_applicable"] == ["global.footprint"]


def test_xlsx_export_then_import_changes_nothing(app: Flask, made: Made) -> None:
    context = _in_tenant(app, made)
    try:
        before = _snapshot(made)
        assessment, membership, user = _importer_args(made)
        data = export.export_xlsx(assessment, "Demo Works", english=False)
        outcome = importer.import_workbook(assessment, membership, user, data)
        db.session.flush()
        assert (outcome.changed_answers, outcome.changed_flags) == (0, 0)
        assert _snapshot(made) == before
    finally:
        context.pop()


def test_xlsx_import_saves_changes_with_history(app: Flask, made: Made) -> None:
    context = _in_tenant(app, made)
    try:
        assessment, membership, user = _importer_args(made)
        book = load_workbook(io.BytesIO(export.export_xlsx(assessment, "Demo", english=True)))
        rows = _rows_by_key(book)
        sheet, row = rows["deliveries_on_time"]
        sheet[f"F{row}"] = 990
        sheet, row = rows["security_incidents"]
        sheet[f"G{row}"] = None
        sheet[f"F{row}"] = 2
        outcome = importer.import_workbook(assessment, membership, user, _save(book))
        assert outcome.changed_answers == 2
        answer = queries.answer(made.assessment_id, "deliveries_on_time")
        assert answer is not None and answer.value == 990 and answer.version == 2
        history = queries.answer_history(made.assessment_id, "security_incidents")
        assert history[0].new_value == 2 and history[0].old_state == "unknown"
    finally:
        context.pop()


def _rows_by_key(book: Any) -> dict[str, tuple[Any, int]]:
    rows = {}
    for sheet in book.worksheets:
        for row in range(1, sheet.max_row + 1):
            key = sheet[f"A{row}"].value
            if key:
                rows.setdefault(key, (sheet, row))
    return rows


def _save(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_one_bad_cell_is_listed_and_nothing_changes(app: Flask, made: Made) -> None:
    context = _in_tenant(app, made)
    try:
        before = _snapshot(made)
        assessment, membership, user = _importer_args(made)
        book = load_workbook(io.BytesIO(export.export_xlsx(assessment, "Demo", english=True)))
        rows = _rows_by_key(book)
        good_sheet, good_row = rows["units_sold"]
        good_sheet[f"F{good_row}"] = 9000  # a valid change that must not be saved either
        sheet, row = rows["deliveries_on_time"]
        sheet[f"F{row}"] = 1500  # above deliveries_total (1000)
        try:
            importer.import_workbook(assessment, membership, user, _save(book))
        except importer.ImportRejected as rejected:
            problems = rejected.problems
        else:
            raise AssertionError("the import was accepted")
        assert len(problems) == 1
        cell = problems[0].cell
        assert cell is not None and (cell.sheet, cell.row, cell.column) == (sheet.title, row, "F")
        assert "1500 > 1000" in problems[0].message
        db.session.rollback()
        set_tenant(db.session, made.tenant_id)
        assert _snapshot(made) == before
        assert not [c for c in queries.answer_history(made.assessment_id)
                    if c.key == "units_sold" and c.new_value == 9000]
    finally:
        context.pop()


def test_json_with_several_bad_keys_lists_them_all(app: Flask, made: Made) -> None:
    context = _in_tenant(app, made)
    try:
        before = _snapshot(made)
        assessment, membership, user = _importer_args(made)
        document = export.export_document(assessment)
        document["inputs"]["deliveries_total"] = -5
        document["inputs"]["no_such_input"] = 1
        document["inputs"]["digital.strategy"] = 7
        document["energy"][0]["unit"] = "furlong"
        try:
            importer.import_json(assessment, membership, user, json.dumps(document).encode())
        except importer.ImportRejected as rejected:
            keys = {p.key for p in rejected.problems}
        else:
            raise AssertionError("the import was accepted")
        assert {"inputs.deliveries_total", "inputs.no_such_input", "inputs.digital.strategy",
                "energy[0].unit"} <= keys
        assert _snapshot(made) == before
    finally:
        context.pop()


def test_json_import_changes_what_it_names_and_null_clears_one_field(app: Flask,
                                                                     made: Made) -> None:
    context = _in_tenant(app, made)
    try:
        assessment, membership, user = _importer_args(made)
        document = export.export_document(assessment)
        document["inputs"]["units_sold"] = 9900
        del document["inputs"]["scm_staff"]  # left out: left alone
        document["inputs"]["orders_online"] = None  # an explicit null: cleared
        outcome = importer.import_json(assessment, membership, user,
                                       json.dumps(document).encode())
        assert outcome.changed_answers == 2
        inputs = export.export_document(assessment)["inputs"]
        assert inputs["units_sold"] == 9900
        assert inputs["scm_staff"] == 30
        assert "orders_online" not in inputs
        assert [c.clears for c in outcome.changes if c.key == "orders_online"] == [True]
        unknown = queries.answer(made.assessment_id, "security_incidents")
        assert unknown is not None and unknown.state == "unknown"  # JSON cannot say unknown
    finally:
        context.pop()
