"""Bad input is a 4xx naming the field, never a 500, and changes nothing, on both
databases: NaN and infinities, numbers too large to compute with, JSON nested 50,000 deep,
NUL characters (PostgreSQL cannot store them), texts longer than their column (SQLite
would store them)."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from assessment.assessments.models import IndicatorState
from tests.conftest import csrf_token
from tests.factories import owner_of
from tests.integration.assessment_io.factories import Made
from tests.web.assessment_io.test_io_views import _base, _upload
from tests.web.helpers import ENGLISH, text
from tests.web.rows import row_counts

MARK = 987654321
DEEP = "[" * 50_000 + "]" * 50_000


def _workbook_with(client: FlaskClient, made: Made, key: str, column: str, raw: str) -> bytes:
    """The exported workbook with the ``column`` cell of ``key``'s row holding ``raw`` as the
    stored number text (what a program other than Excel may write)."""
    book = load_workbook(io.BytesIO(client.get(f"{_base(made)}/export.xlsx",
                                               headers=ENGLISH).data))
    for sheet in book.worksheets:
        for row in range(1, sheet.max_row + 1):
            if sheet[f"A{row}"].value == key:
                sheet[f"{column}{row}"] = MARK
                title = sheet.title
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, data.replace(f"<v>{MARK}</v>".encode(),
                                               f"<v>{raw}</v>".encode()))
    assert title
    return out.getvalue()


def _problem_rows(response: Any) -> list[tuple[str, str, str, str]]:
    return re.findall(r"<tr>\s*<td>([^<]*)</td>\s*<td class=\"num\">(\d*)</td>\s*"
                      r"<td>([A-I]?)</td>\s*<td><code>([^<]*)</code></td>", text(response))


@pytest.mark.parametrize("raw", ["1e400", "-1E400", "1" * 401, "2e15"])
def test_a_number_cell_nobody_can_compute_with_is_named(app: Flask, client: FlaskClient,
                                                        made: Made, sign_in: Any,
                                                        raw: str) -> None:
    sign_in(made.owner_email)
    data = _workbook_with(client, made, "units_sold", "F", raw)
    before = row_counts(app)
    response = _upload(client, made, data, "numbers.xlsx")
    assert response.status_code == 422
    [(sheet, row, column, _key)] = _problem_rows(response)
    assert (column, sheet != "") == ("F", True) and row
    assert "too large" in text(response) or "Enter a number" in text(response)
    assert row_counts(app) == before


@pytest.mark.parametrize("raw", ["NaN", "inf", "-Infinity"])
def test_nan_and_inf_in_a_number_cell_are_named_by_sheet_and_row(
        app: Flask, client: FlaskClient, made: Made, sign_in: Any, raw: str) -> None:
    sign_in(made.owner_email)
    data = _workbook_with(client, made, "energy", "D", raw)  # an energy quantity
    before = row_counts(app)
    response = _upload(client, made, data, "nan.xlsx")
    assert response.status_code == 422
    [(sheet, row, _column, _key)] = _problem_rows(response)
    assert sheet and row
    assert "not a number" in text(response)
    assert row_counts(app) == before


def test_an_over_long_reason_in_a_workbook_is_named(app: Flask, client: FlaskClient,
                                                    made: Made, sign_in: Any) -> None:
    sign_in(made.owner_email)
    book = load_workbook(io.BytesIO(client.get(f"{_base(made)}/export.xlsx",
                                               headers=ENGLISH).data))
    for sheet in book.worksheets:
        for row in range(1, sheet.max_row + 1):
            if sheet[f"A{row}"].value == "indicator:global.footprint":
                sheet[f"I{row}"] = "x" * 100_000
                where = (sheet.title, str(row), "I")
    buffer = io.BytesIO()
    book.save(buffer)
    before = row_counts(app)
    response = _upload(client, made, buffer.getvalue(), "long.xlsx")
    assert response.status_code == 422
    assert [r[:3] for r in _problem_rows(response)] == [where]
    assert "too long: at most 1000 characters" in text(response)  # Excel keeps 32,767
    assert row_counts(app) == before


@pytest.mark.parametrize(("body", "key", "words"), [
    ('{"inputs": {"units_sold": 1' + "0" * 400 + "}}", "inputs.units_sold", "too large"),
    ('{"inputs": {"units_sold": 1e400}}', "inputs.units_sold", "too large"),
    ('{"inputs": {"units_sold": NaN}}', "inputs.units_sold", "not a number"),
    ('{"energy": [{"carrier": "electricity", "quantity": -Infinity, "unit": "kWh"}]}',
     "energy[0].quantity", "not a number"),
    ('{"energy": [{"carrier": "elec\\u0000tricity", "quantity": 1, "unit": "kWh"}]}',
     "energy[0].carrier", "NUL"),
    ('{"inputs": ' + DEEP + "}", "(document)", "nested more than 32 levels"),
    ('{"options": {"grid_series": "' + "x" * 5000 + '"}}', "options.grid_series",
     "at most 1000 characters"),
])
def test_a_json_document_that_cannot_be_used_is_named(app: Flask, client: FlaskClient,
                                                      made: Made, sign_in: Any, body: str,
                                                      key: str, words: str) -> None:
    sign_in(made.owner_email)
    before = row_counts(app)
    response = _upload(client, made, body.encode(), "bad.json")
    assert response.status_code == 422
    assert [r[3] for r in _problem_rows(response)] == [key]
    assert words in text(response)
    assert row_counts(app) == before


def _autosave(client: FlaskClient, made: Made, path: str, body: str) -> Any:
    token = csrf_token(client, f"{_base(made)}/pages/lean")
    return client.post(f"{_base(made)}/{path}", data=body.encode(),
                       content_type="application/json",
                       headers={"X-CSRFToken": token, **ENGLISH})


@pytest.mark.parametrize(("path", "body", "field", "words"), [
    ("answers", '{"key": "units_sold", "value": 1' + "0" * 400 + "}", "value", "too large"),
    ("answers", '{"key": "units_sold", "value": NaN}', "value", "not a number"),
    ("answers", '{"key": "units_sold", "value": Infinity, "version": 1}', "value",
     "not a number"),
    ("answers", '{"key": "units_sold", "value": ' + DEEP + "}", "(document)", "nested"),
    ("answers", '{"key": "units\\u0000sold", "value": 1}', "key", "NUL"),
    ("not-applicable", '{"code": "lean.inventory_turnover", "not_applicable": true, '
     '"reason": "a\\u0000b"}', "reason", "NUL"),
    ("not-applicable", '{"code": "lean.inventory_turnover", "not_applicable": true, '
     '"reason": "' + "x" * 100_000 + '"}', "reason", "at most 1000 characters"),
])
def test_the_autosave_api_names_what_it_cannot_use(app: Flask, client: FlaskClient,
                                                   made: Made, sign_in: Any, path: str,
                                                   body: str, field: str, words: str) -> None:
    sign_in(made.owner_email)
    before = row_counts(app)
    response = _autosave(client, made, path, body)
    assert response.status_code == 400
    assert list(response.json["errors"]) == [field]
    assert words in response.json["message"]
    assert row_counts(app) == before


def test_an_over_long_reason_from_the_page_form_is_refused_on_both_databases(
        app: Flask, client: FlaskClient, enterprise_with_profile: Any, draft_assessment: Any,
        sign_in: Any, fetch: Any) -> None:
    tenant = enterprise_with_profile()
    assessment = draft_assessment(tenant)
    sign_in(owner_of(app, tenant))
    page = f"/t/{tenant.slug}/assessments/{assessment.id}/pages/lean"
    token = csrf_token(client, page)
    before = row_counts(app)
    response = client.post(page, headers=ENGLISH, data={
        "csrf_token": token, "na__lean__inventory_turnover": "y",
        "na__lean__inventory_turnover__reason": "x" * 1001})
    assert 400 <= response.status_code < 500
    assert "Reason is too long: at most 1000 characters (1001 given)" in text(response)
    assert row_counts(app) == before
    assert not [s for s in fetch(IndicatorState, IndicatorState.assessment_id == assessment.id)
                if s.not_applicable]


@pytest.mark.parametrize(("field", "value"), [
    ("slug", "acme\x00x"), ("name", "Wang\x00"), ("organisation", "\x00Acme"),
    ("email", "a\x00@example.com")])
def test_nul_in_a_form_field_is_a_400_naming_it(app: Flask, post: Any, field: str,
                                                value: str) -> None:
    form = {"privacy": "y", "email": "nul@example.com", "password": "a long enough password",
            "organisation": "Acme", "kind": "enterprise", "name": "Wang", field: value}
    before = row_counts(app)
    response = post("/signup", form, headers=ENGLISH)
    assert response.status_code == 400
    assert f"{field} contains a NUL character" in text(response)
    assert row_counts(app) == before


def test_nul_in_a_url_or_query_is_refused(client: FlaskClient, made: Made,
                                          sign_in: Any) -> None:
    sign_in(made.owner_email)
    assert client.get("/t/ab%00c/").status_code == 404
    assert client.get(f"/t/{made.slug}/assessments/%00/import").status_code == 404
    response = client.get("/signup?invitation=x%00y", headers=ENGLISH)
    assert response.status_code == 400
    assert "invitation contains a NUL character" in text(response)


def test_an_import_larger_than_the_cap_is_refused_before_it_is_read(
        app: Flask, client: FlaskClient, made: Made, sign_in: Any) -> None:
    from assessment.io.importer import MAX_IMPORT_BYTES

    sign_in(made.owner_email)
    before = row_counts(app)
    response = _upload(client, made, b"{" + b" " * (MAX_IMPORT_BYTES + 100_000) + b"}",
                       "big.json")
    assert response.status_code == 413
    assert "larger than 5 MB" in text(response)
    assert row_counts(app) == before


def test_refusals_speak_the_readers_language(app: Flask, post: Any, client: FlaskClient,
                                             made: Made, sign_in: Any) -> None:
    chinese = {"Accept-Language": "zh-CN"}
    response = post("/signup", {"email": "zh@example.com", "password": "a long enough pw",
                                "organisation": "甲\x00乙", "kind": "enterprise", "privacy": "y"},
                    headers=chinese)
    assert response.status_code == 400
    assert "organisation含有无法保存的空字符" in text(response)
    sign_in(made.owner_email)
    token = csrf_token(client, f"{_base(made)}/pages/lean")
    refused = client.post(f"{_base(made)}/answers", data=b'{"key": "units_sold", "value": NaN}',
                          content_type="application/json",
                          headers={"X-CSRFToken": token, **chinese})
    assert refused.status_code == 400 and refused.json["message"] == "NaN 不是数字。"
