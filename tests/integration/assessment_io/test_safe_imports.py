"""Imports that cannot destroy: only what the file contains changes, a null clears one
field, and an import that clears many answers writes nothing until it is confirmed."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook

from assessment.assessments import queries
from assessment.io import export, importer
from tenants.extensions import db
from tests.integration.assessment_io.factories import Made
from tests.integration.assessment_io.test_roundtrip import (
    _importer_args,
    _in_tenant,
    _save,
    _snapshot,
)


def _counts(made: Made) -> tuple[int, int, int]:
    return (len(queries.answers(made.assessment_id)),
            len(queries.indicator_states(made.assessment_id)),
            len(queries.answer_history(made.assessment_id)))


@pytest.mark.parametrize("document", [{}, {"inputs": {}}, {"framework": "scm-2024"},
                                      {"inputs": {}, "year": 2025}])
def test_an_empty_json_document_changes_nothing(app: Flask, made: Made,
                                                document: dict[str, Any]) -> None:
    context = _in_tenant(app, made)
    try:
        before, counts = _snapshot(made), _counts(made)
        assert counts[0] > 20  # there is something that a wipe would have cleared
        assessment, membership, user = _importer_args(made)
        outcome = importer.import_json(assessment, membership, user,
                                       json.dumps(document).encode())
        db.session.flush()
        assert (outcome.changed_answers, outcome.changed_flags, outcome.changes) == (0, 0, ())
        assert _counts(made) == counts
        assert _snapshot(made) == before
    finally:
        context.pop()


def test_a_workbook_without_its_sheets_changes_nothing(app: Flask, made: Made) -> None:
    context = _in_tenant(app, made)
    try:
        before = _snapshot(made)
        assessment, membership, user = _importer_args(made)
        book = load_workbook(io.BytesIO(export.export_xlsx(assessment, "Demo", english=True)))
        for sheet in book.worksheets[1:]:  # keep only the readme
            book.remove(sheet)
        outcome = importer.import_workbook(assessment, membership, user, _save(book))
        assert (outcome.changed_answers, outcome.changed_flags) == (0, 0)
        assert _snapshot(made) == before
    finally:
        context.pop()


CLEARED = ("units_sold", "units_produced", "orders_online", "orders_total", "scm_staff")


def test_clearing_many_answers_writes_nothing_until_confirmed(app: Flask, made: Made) -> None:
    context = _in_tenant(app, made)
    try:
        before = _snapshot(made)
        assessment, membership, user = _importer_args(made)
        data = json.dumps({"inputs": dict.fromkeys(CLEARED)}).encode()
        held = importer.import_json(assessment, membership, user, data)
        db.session.flush()
        assert held.needs_confirmation
        assert sorted(c.key for c in held.changes if c.clears) == sorted(CLEARED)
        assert _snapshot(made) == before  # nothing written
        wrong = importer.import_json(assessment, membership, user, data,
                                     confirmed="0" * 64)
        assert wrong.needs_confirmation and _snapshot(made) == before
        done = importer.import_json(assessment, membership, user, data,
                                    confirmed=held.fingerprint)
        assert not done.needs_confirmation and done.changed_answers == len(CLEARED)
        inputs = export.export_document(assessment)["inputs"]
        assert not set(CLEARED) & set(inputs)
        assert inputs["deliveries_on_time"] == 965  # what the document did not name
    finally:
        context.pop()


def test_a_confirmation_is_for_the_changes_that_were_shown(app: Flask, made: Made) -> None:
    context = _in_tenant(app, made)
    try:
        assessment, membership, user = _importer_args(made)
        data = json.dumps({"inputs": dict.fromkeys(CLEARED)}).encode()
        held = importer.import_json(assessment, membership, user, data)
        # someone clears one of them meanwhile: the same file now makes other changes
        importer.import_json(assessment, membership, user,
                             json.dumps({"inputs": {"scm_staff": None}}).encode())
        again = importer.import_json(assessment, membership, user, data,
                                     confirmed=held.fingerprint)
        assert again.needs_confirmation and again.fingerprint != held.fingerprint
        assert queries.answer(made.assessment_id, "units_sold").value == 9800  # type: ignore[union-attr]
    finally:
        context.pop()


def test_a_few_clears_apply_at_once_and_the_setting_is_honoured(app: Flask, made: Made) -> None:
    context = _in_tenant(app, made)
    try:
        assessment, membership, user = _importer_args(made)
        three = json.dumps({"inputs": dict.fromkeys(CLEARED[:3])}).encode()
        app.config["IMPORT_CONFIRM_CLEARS"] = 2
        try:
            assert importer.import_json(assessment, membership, user, three).needs_confirmation
        finally:
            app.config["IMPORT_CONFIRM_CLEARS"] = 3
        outcome = importer.import_json(assessment, membership, user, three)
        assert not outcome.needs_confirmation and outcome.changed_answers == 3
    finally:
        context.pop()


def test_blank_workbook_values_clear_and_ask_for_confirmation(app: Flask, made: Made) -> None:
    context = _in_tenant(app, made)
    try:
        before = _snapshot(made)
        assessment, membership, user = _importer_args(made)
        book = load_workbook(io.BytesIO(export.export_xlsx(assessment, "Demo", english=True)))
        for sheet in book.worksheets:
            for row in range(1, sheet.max_row + 1):
                if sheet[f"A{row}"].value in CLEARED:
                    sheet[f"F{row}"] = None
        outcome = importer.import_workbook(assessment, membership, user, _save(book))
        assert outcome.needs_confirmation
        assert {c.key for c in outcome.changes if c.clears} == set(CLEARED)
        assert _snapshot(made) == before
    finally:
        context.pop()


def test_a_not_applicable_list_is_the_whole_set_and_its_absence_keeps_them(
        app: Flask, made: Made) -> None:
    context = _in_tenant(app, made)
    try:
        assessment, membership, user = _importer_args(made)
        importer.import_json(assessment, membership, user, b'{"inputs": {"units_sold": 9700}}')
        state = queries.indicator_state(made.assessment_id, "global.footprint")
        assert state is not None and state.not_applicable
        outcome = importer.import_json(assessment, membership, user, b'{"not_applicable": []}')
        assert outcome.changed_flags == 1 and [c.clears for c in outcome.changes] == [True]
        state = queries.indicator_state(made.assessment_id, "global.footprint")
        assert state is not None and not state.not_applicable
    finally:
        context.pop()
