"""Export links and the import form, through the test client."""

from __future__ import annotations

import io
import json
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from assessment.assessments.models import Answer, AnswerChange, Assessment
from tenants.models import Role
from tests.conftest import csrf_token
from tests.integration.assessment_io.factories import Made, make_assessment
from tests.web.helpers import ENGLISH, text


def _base(made: Made) -> str:
    return f"/t/{made.slug}/assessments/{made.assessment_id}"


def _upload(client: FlaskClient, made: Made, data: bytes, name: str) -> Any:
    token = csrf_token(client, f"{_base(made)}/import")
    return client.post(f"{_base(made)}/import", headers=ENGLISH, data={
        "csrf_token": token, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data")


def _stored(fetch: Any, made: Made) -> tuple[Any, ...]:
    answers = fetch(Answer, Answer.assessment_id == made.assessment_id)
    history = fetch(AnswerChange, AnswerChange.assessment_id == made.assessment_id)
    return (sorted((a.key, json.dumps(a.value), a.state, a.version) for a in answers),
            len(history))


def test_json_export_is_the_contract_document(client: FlaskClient, made: Made,
                                              sign_in: Any) -> None:
    sign_in(made.owner_email)
    response = client.get(f"{_base(made)}/export.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    document = json.loads(response.data)
    assert document["framework"] == "scm-2024" and document["year"] == 2025
    assert document["inputs"]["deliveries_on_time"] == 965


def test_a_viewer_exports_but_may_not_import(app: Flask, client: FlaskClient, made: Made,
                                             make_user: Any, add_member: Any, sign_in: Any,
                                             fetch: Any) -> None:
    from tenants.models import Tenant

    viewer = make_user()
    add_member(fetch(Tenant, Tenant.id == made.tenant_id)[0], viewer, Role.viewer)
    sign_in(viewer)
    response = client.get(f"{_base(made)}/export.xlsx")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.data)).sheetnames[0]
    assert client.get(f"{_base(made)}/import").status_code == 403


def test_one_bad_cell_is_shown_and_nothing_changes(client: FlaskClient, made: Made,
                                                   sign_in: Any, fetch: Any) -> None:
    sign_in(made.owner_email)
    book = load_workbook(io.BytesIO(client.get(f"{_base(made)}/export.xlsx",
                                               headers=ENGLISH).data))
    target = None
    for sheet in book.worksheets:
        for row in range(1, sheet.max_row + 1):
            if sheet[f"A{row}"].value == "orders_online":
                target = (sheet, row)
    assert target is not None
    sheet, row = target
    sheet[f"F{row}"] = "lots"
    buffer = io.BytesIO()
    book.save(buffer)
    before = _stored(fetch, made)
    response = _upload(client, made, buffer.getvalue(), "filled.xlsx")
    assert response.status_code == 422
    body = text(response)
    cells = re.findall(r"<tr>\s*<td>([^<]*)</td>\s*<td class=\"num\">(\d+)</td>\s*"
                       r"<td>([A-I])</td>", body)
    assert cells == [(sheet.title, str(row), "F")]
    assert "Enter a whole number" in body
    assert _stored(fetch, made) == before


def test_an_unchanged_workbook_imports_as_a_no_op(client: FlaskClient, made: Made,
                                                  sign_in: Any, fetch: Any) -> None:
    sign_in(made.owner_email)
    data = client.get(f"{_base(made)}/export.xlsx").data
    before = _stored(fetch, made)
    response = _upload(client, made, data, "same.xlsx")
    assert response.status_code == 200
    assert "nothing changed" in text(response)
    assert _stored(fetch, made) == before


def test_a_file_that_is_not_a_workbook_is_refused(client: FlaskClient, made: Made,
                                                  sign_in: Any) -> None:
    sign_in(made.owner_email)
    fake = b"PK\x03\x04" + b"not really a zip" * 10
    response = _upload(client, made, fake, "report.xlsx")
    assert response.status_code == 422
    assert "not an Excel workbook" in text(response)
    response = _upload(client, made, b"\x89PNG\r\n\x1a\n....", "picture.xlsx")
    assert response.status_code == 422
    assert "Upload an Excel workbook" in text(response)


def test_import_into_a_finalised_assessment_is_refused(app: Flask, client: FlaskClient,
                                                       make_user: Any, make_tenant: Any,
                                                       sign_in: Any, fetch: Any) -> None:
    owner = make_user()
    made = make_assessment(app, make_tenant(owner=owner), owner, finalise=True)
    sign_in(owner)
    data = client.get(f"{_base(made)}/export.json").data
    response = _upload(client, made, data, "doc.json")
    assert response.status_code == 409
    assert fetch(Assessment, Assessment.id == made.assessment_id)[0].state == "finalised"


def test_another_tenants_assessment_is_a_404(app: Flask, client: FlaskClient, made: Made,
                                             make_user: Any, make_tenant: Any,
                                             sign_in: Any) -> None:
    stranger = make_user()
    own = make_tenant(owner=stranger)
    sign_in(stranger)
    for suffix in ("export.json", "export.xlsx", "import"):
        url = f"/t/{own.slug}/assessments/{made.assessment_id}/{suffix}"
        assert client.get(url).status_code == 404
