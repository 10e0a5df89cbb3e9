"""Through the pages: every import lists what it changes; one that clears many answers
shows the changes first, holds the file and writes nothing until its own user confirms."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from assessment.assessments.models import Answer
from assessment.io.models import PendingImport
from tenants.models import Role, Tenant
from tests.conftest import csrf_token
from tests.integration.assessment_io.factories import Made, make_assessment
from tests.web.assessment_io.test_io_views import _base, _stored, _upload
from tests.web.helpers import ENGLISH, text
from tests.web.rows import row_counts

CLEARED = ("units_sold", "units_produced", "orders_online", "orders_total", "scm_staff")
_HIDDEN = re.compile(r'name="(digest|fingerprint)"[^>]*value="([0-9a-f]{64})"')


def _confirm(client: FlaskClient, made: Made, fields: dict[str, str]) -> Any:
    token = csrf_token(client, f"{_base(made)}/import")
    return client.post(f"{_base(made)}/import/confirm", headers=ENGLISH,
                       data={"csrf_token": token, **fields})


def _clearing_upload(client: FlaskClient, made: Made) -> tuple[Any, dict[str, str]]:
    response = _upload(client, made, json.dumps({"inputs": dict.fromkeys(CLEARED)}).encode(),
                       "clear.json")
    return response, dict(_HIDDEN.findall(response.get_data(as_text=True)))


def test_an_import_that_clears_many_answers_waits_for_confirmation(
        app: Flask, client: FlaskClient, made: Made, sign_in: Any, fetch: Any) -> None:
    sign_in(made.owner_email)
    before = _stored(fetch, made)
    response, fields = _clearing_upload(client, made)
    assert response.status_code == 200
    page = text(response)
    assert "Confirm the import" in page and "would clear 5 answers" in page
    assert page.count("Cleared") == 5 and "Units sold" in page
    assert set(fields) == {"digest", "fingerprint"}
    assert _stored(fetch, made) == before  # nothing written
    assert len(fetch(PendingImport, PendingImport.assessment_id == made.assessment_id)) == 1
    done = _confirm(client, made, fields)
    assert done.status_code == 200
    assert "What the import changed (5)" in text(done)
    stored = {a.key: a.value for a in fetch(Answer, Answer.assessment_id == made.assessment_id)}
    assert all(stored[key] is None for key in CLEARED)
    assert stored["deliveries_on_time"] == 965
    assert fetch(PendingImport, PendingImport.assessment_id == made.assessment_id) == []
    again = _confirm(client, made, fields)  # the held file is gone: nothing twice
    assert again.status_code == 422 and "upload the file again" in text(again)


def test_a_held_import_is_confirmed_only_by_its_user_in_its_tenant(
        app: Flask, client: FlaskClient, made: Made, sign_in: Any, fetch: Any,
        make_user: Any, add_member: Any, make_tenant: Any) -> None:
    sign_in(made.owner_email)
    _response, fields = _clearing_upload(client, made)
    tenant = fetch(Tenant, Tenant.id == made.tenant_id)[0]
    admin = make_user()
    add_member(tenant, admin, Role.admin)
    colleague = app.test_client()
    from tests import factories

    factories.sign_in(colleague, admin)
    stranger = make_user()
    other = make_assessment(app, make_tenant(owner=stranger), stranger)
    outsider = app.test_client()
    factories.sign_in(outsider, stranger)
    before = row_counts(app)
    refused = _confirm(colleague, made, fields)  # an administrator, but not the uploader
    assert refused.status_code == 422 and "upload the file again" in text(refused)
    # another tenant's owner: on their own assessment with the same digest, and on ours
    assert _confirm(outsider, other, fields).status_code == 422
    assert _confirm(outsider, made, fields).status_code == 404
    assert row_counts(app) == before
    assert len(fetch(PendingImport, PendingImport.assessment_id == made.assessment_id)) == 1


def test_a_forged_confirmation_is_refused(client: FlaskClient, made: Made, sign_in: Any,
                                          fetch: Any) -> None:
    sign_in(made.owner_email)
    before = _stored(fetch, made)
    _response, fields = _clearing_upload(client, made)
    for forged in ({**fields, "fingerprint": "0" * 64}, {**fields, "digest": "1" * 64},
                   {**fields, "digest": "not hex"}):
        response = _confirm(client, made, forged)
        assert response.status_code in (200, 422)
        assert "What the import changed" not in text(response)
        assert _stored(fetch, made) == before


def test_a_small_import_lists_what_it_changed(client: FlaskClient, made: Made, sign_in: Any,
                                              fetch: Any) -> None:
    sign_in(made.owner_email)
    response = _upload(client, made, b'{"inputs": {"units_sold": 9700, "scm_staff": null}}',
                       "small.json")
    assert response.status_code == 200
    page = text(response)
    assert "What the import changed (2)" in page and "Cleared" in page
    assert "9800" in page and "9700" in page
    empty = _upload(client, made, b"{}", "empty.json")
    assert empty.status_code == 200 and "nothing changed" in text(empty)
