"""Fuzzing every way text and numbers come in: the sign-up, profile and comment forms, the
autosave API, and the JSON and XLSX imports. Whatever is sent: never a server error, and a
refused request (4xx) leaves every table as it was (row counts compared), on SQLite and
on PostgreSQL.

Each test builds its tenant once and runs Hypothesis inside it (the examples share the
test's rolled-back transaction); examples are few and have no deadline, so that the whole
suite stays within about a minute on both databases.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from tests import factories
from tests.conftest import csrf_token
from tests.integration.assessment_io.factories import Made
from tests.integration.assessment_review import factories as review_factories
from tests.web.helpers import ENGLISH
from tests.web.rows import row_counts

FUZZ = settings(max_examples=20, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])

# Texts a person, a program or an attacker sends: ordinary and Chinese text, formula-like,
# NUL and control characters, numbers written as words, and texts far over any limit.
SPECIAL = ["", " ", "\x00", "a\x00b", "=HYPERLINK(\"https://evil.example\")", "+1", "-x",
           "@SUM(A1)", "\t=1", "NaN", "Infinity", "-Infinity", "1e400", "1" * 401, "-0",
           "１２３", "1,000", "<script>alert(1)</script>", "../../etc/passwd", "x" * 1001,
           "x" * 5000, "测试" * 300, "'", "\r\n", "\u202e", "null", "{}", "[]"]
texts = st.one_of(st.text(max_size=60), st.sampled_from(SPECIAL))
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False), texts)
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)), max_leaves=12)
# Bodies as raw text too: what json.dumps cannot produce (NaN, huge literals, depth).
raw_numbers = st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "1" + "0" * 400,
                               "-1e-400", "1E+308", "0.1e999999"])


def _checked(app: Flask, send: Callable[[], Any]) -> Any:
    """Send one request: never a 5xx; a refusal changes no table."""
    before = row_counts(app)
    response = send()
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    if response.status_code >= 400:
        assert row_counts(app) == before, response.status_code
    return response


def _base(made: Made) -> str:
    return f"/t/{made.slug}/assessments/{made.assessment_id}"


def test_the_signup_form(app: Flask) -> None:
    @FUZZ
    @given(email=st.one_of(st.emails(), texts), name=texts, password=texts,
           organisation=texts, slug=texts, kind=st.sampled_from(["enterprise", "x", ""]))
    def run(email: str, name: str, password: str, organisation: str, slug: str,
            kind: str) -> None:
        client = app.test_client()
        token = csrf_token(client, "/signup")
        _checked(app, lambda: client.post("/signup", headers=ENGLISH, data={"privacy": "y",
            "csrf_token": token, "email": email, "name": name, "password": password,
            "organisation": organisation, "slug": slug, "kind": kind}))

    run()


def test_the_profile_form(app: Flask, client: FlaskClient, make_tenant: Any) -> None:
    tenant = make_tenant("enterprise")
    factories.sign_in(client, factories.owner_of(app, tenant))
    url = f"/t/{tenant.slug}/profile/"
    token = csrf_token(client, url)

    @FUZZ
    @given(legal_name=texts, credit_code=texts, employees=texts, revenue=texts,
           division=st.one_of(st.just("C34"), texts), province=st.one_of(st.just("33"), texts),
           version=st.one_of(st.just(""), texts))
    def run(legal_name: str, credit_code: str, employees: str, revenue: str, division: str,
            province: str, version: str) -> None:
        _checked(app, lambda: client.post(url, headers=ENGLISH, data={
            "csrf_token": token, "legal_name": legal_name, "credit_code": credit_code,
            "industry_division": division, "employees": employees, "revenue_wan": revenue,
            "province": province, "version": version}))

    run()


def test_the_comment_form(app: Flask, client: FlaskClient, make_enterprise: Any) -> None:
    enterprise = make_enterprise()
    assessment = review_factories.make_assessment(app, enterprise, submit=True)
    factories.sign_in(client, factories.owner_of(app, enterprise))
    base = f"/t/{enterprise.slug}/assessments/{assessment.id}"
    token = csrf_token(client, f"{base}/review")

    @FUZZ
    @given(body=texts, code=st.one_of(st.just("lean.on_time_delivery_rate"), texts))
    def run(body: str, code: str) -> None:
        _checked(app, lambda: client.post(f"{base}/review/comments", headers=ENGLISH, data={
            "csrf_token": token, "body": body, "indicator_code": code}))

    run()


def test_the_autosave_api(app: Flask, client: FlaskClient, made: Made, sign_in: Any) -> None:
    sign_in(made.owner_email)
    token = csrf_token(client, f"{_base(made)}/pages/lean")
    headers = {"X-CSRFToken": token, **ENGLISH}
    keys = st.one_of(st.sampled_from(["units_sold", "deliveries_on_time", "energy",
                                      "options", "online_business_areas", "resource_sharing",
                                      "digital.strategy", "process_emissions"]), texts)

    @FUZZ
    @given(key=keys, value=json_values, version=st.one_of(st.none(), st.integers(0, 3),
                                                         texts),
           state=st.sampled_from(["answered", "unknown", "", "x"]),
           code=st.one_of(st.just("lean.inventory_turnover"), texts), reason=texts,
           flag=json_scalars, raw=raw_numbers, depth=st.integers(0, 2000))
    def run(key: Any, value: Any, version: Any, state: str, code: Any, reason: Any,
            flag: Any, raw: str, depth: int) -> None:
        answers, flags = f"{_base(made)}/answers", f"{_base(made)}/not-applicable"
        _checked(app, lambda: client.post(answers, headers=headers, json={
            "key": key, "value": value, "version": version, "state": state}))
        _checked(app, lambda: client.post(flags, headers=headers, json={
            "code": code, "not_applicable": flag, "reason": reason, "version": version}))
        body = json.dumps({"key": key, "value": "RAW", "version": version})
        for text in (body.replace('"RAW"', raw),
                     body.replace('"RAW"', "[" * depth + "1" + "]" * depth)):
            _checked(app, lambda text=text: client.post(answers, headers=headers,
                                                        data=text.encode(),
                                                        content_type="application/json"))

    run()


def _upload(client: FlaskClient, made: Made, token: str, data: bytes, name: str) -> Any:
    return client.post(f"{_base(made)}/import", headers=ENGLISH, data={
        "csrf_token": token, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data")


def test_the_json_import(app: Flask, client: FlaskClient, made: Made, sign_in: Any) -> None:
    sign_in(made.owner_email)
    token = csrf_token(client, f"{_base(made)}/import")
    inputs = st.dictionaries(st.one_of(st.sampled_from(
        ["units_sold", "units_produced", "deliveries_on_time", "digital.strategy",
         "online_business_areas", "resource_sharing", "overseas_rd_share"]), texts),
        json_values, max_size=5)
    documents = st.fixed_dictionaries({}, optional={
        "inputs": st.one_of(inputs, json_values), "energy": json_values,
        "process_emissions": json_values, "options": json_values,
        "not_applicable": st.one_of(st.lists(st.one_of(st.just("global.footprint"), texts),
                                             max_size=3), json_values),
        "framework": st.one_of(st.just("scm-2024"), texts), "year": json_scalars,
        "previous_year": json_values})

    @FUZZ
    @given(document=documents, raw=raw_numbers, depth=st.integers(0, 60_000))
    def run(document: dict[str, Any], raw: str, depth: int) -> None:
        body = json.dumps(document)
        for data in (body, body.replace("{", '{"inputs": {"units_sold": ' + raw + "}, ", 1)
                     if body != "{}" else '{"inputs": {"units_sold": ' + raw + "}}",
                     '{"inputs": ' + "[" * depth + "]" * depth + "}"):
            _checked(app, lambda data=data: _upload(client, made, token, data.encode(),
                                                    "fuzz.json"))

    run()


def test_the_xlsx_import(app: Flask, client: FlaskClient, made: Made, sign_in: Any) -> None:
    sign_in(made.owner_email)
    token = csrf_token(client, f"{_base(made)}/import")
    exported = client.get(f"{_base(made)}/export.xlsx", headers=ENGLISH).data
    book = load_workbook(io.BytesIO(exported))
    targets = [(sheet.title, f"{column}{row}") for sheet in book.worksheets
               for row in range(2, sheet.max_row + 1) if sheet[f"A{row}"].value
               for column in "BCDEFGHI"]
    cells = st.one_of(json_scalars, st.floats(), st.datetimes(), st.just("=1+1"))

    @FUZZ
    @given(changes=st.lists(st.tuples(st.sampled_from(targets), cells), min_size=1,
                            max_size=6))
    def run(changes: list[tuple[tuple[str, str], Any]]) -> None:
        # One workbook for every example, each change undone after the file is written:
        # loading the export again for each example would take most of the suite's time.
        saved = [(title, ref, book[title][ref].value) for (title, ref), _v in changes]
        buffer = io.BytesIO()
        try:
            for (title, ref), value in changes:
                book[title][ref] = value
            book.save(buffer)
        except (ValueError, OverflowError, IllegalCharacterError):  # not a workbook's input
            return
        finally:
            for title, ref, value in reversed(saved):
                book[title][ref] = value
        _checked(app, lambda: _upload(client, made, token, buffer.getvalue(), "fuzz.xlsx"))

    run()
