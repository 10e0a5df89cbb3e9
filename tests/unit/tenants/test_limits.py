"""The one table of text limits agrees with the columns it protects, and the safe JSON loader
refuses what the app cannot compute with or store, naming the path. Pure: no database."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.schema import import_all_models
from tenants import safejson
from tenants.limits import TEXT_LIMITS, check_text, text_problem

# limit name → the (table, column) it protects, where one does
COLUMNS = {
    "email": [("app_user", "email"), ("invitation", "email")],
    "person_name": [("app_user", "name")],
    "organisation_name": [("tenant", "name")],
    "slug": [("tenant", "slug")],
    "na_reason": [("indicator_state", "na_reason")],
    "comment": [("review_comment", "body")],
    "warning_reason": [("warning_confirmation", "reason")],
    "indicator_code": [("review_comment", "indicator_code")],
    "legal_name": [("enterprise_profile", "legal_name")],
    "footer_text": [("tenant_branding", "footer_text")],
    "file_name": [("evidence_file", "original_name")],
}


def test_every_limit_fits_its_column() -> None:
    from sqlmodel import SQLModel

    import_all_models()
    tables = SQLModel.metadata.tables
    for name, columns in COLUMNS.items():
        for table, column in columns:
            length = tables[table].c[column].type.length  # type: ignore[attr-defined]
            assert TEXT_LIMITS[name].max_length <= length, (name, table, column)


def test_check_text_names_the_field_and_refuses_nul_control_and_length() -> None:
    assert check_text("na_reason", "x" * 1000) == "x" * 1000
    for bad, words in (("x" * 1001, "at most 1000 characters (1001 given)"),
                       ("a\x00b", "NUL"), ("a\x1fb", "control character")):
        with pytest.raises(Exception) as refused:
            check_text("na_reason", bad, field="na__x")
        assert refused.value.field == "na__x" and words in str(refused.value.message)  # type: ignore[attr-defined]
    assert text_problem("comment", "tab\tline\nreturn\r") is None


@pytest.mark.parametrize(("body", "path"), [
    ('{"a": NaN}', "a"), ('{"a": [1, Infinity]}', "a[1]"), ('{"a": {"b": -Infinity}}', "a.b"),
    ('{"a": 1e400}', "a"), ('{"a": 1' + "0" * 400 + "}", "a"), ('{"a": 1' + "0" * 9000 + "}",
                                                                 "a"),
    ('{"a": 1e16}', "a"), ('{"a": -10000000000000001}', "a"), ('{"a": "x\\u0000"}', "a"),
    ('{"x\\u0000": 1}', "(document)"), ('{"reason": "' + "r" * 1001 + '"}', "reason"),
    ('{"k": "' + "k" * 1001 + '"}', "k"), ("[" * 50_000 + "]" * 50_000, "(document)"),
    ("{", "(document)"), (b'{"a": "\xff"}', "(document)"),
])
def test_the_loader_refuses_and_names_the_path(body: str | bytes, path: str) -> None:
    with pytest.raises(safejson.JsonRefused) as refused:
        safejson.loads(body)
    assert refused.value.field == path


def test_the_loader_accepts_ordinary_documents() -> None:
    document = {"inputs": {"units_sold": 10**15, "cost": -2.5, "areas": ["sales"],
                           "shares": {"testing": None}}, "note": "[[[{{{", "reason": "r" * 1000}
    assert safejson.loads(json.dumps(document)) == document
    assert safejson.loads("\ufeff" + json.dumps(document)) == document
    assert safejson.loads("[" * 32 + "]" * 32) is not None


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                              st.text(max_size=20)),
                    lambda inner: st.lists(inner, max_size=3) |
                    st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=20))
def test_the_loader_returns_the_value_or_refuses_it_never_crashes(value: object) -> None:
    text = json.dumps(value)
    try:
        loaded = safejson.loads(text)
    except safejson.JsonRefused as refused:
        assert refused.field
        return
    assert json.dumps(loaded) == text  # NaN and infinities were refused above
