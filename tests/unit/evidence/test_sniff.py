"""File types judged by content alone (assessment/evidence/sniff.py): pure, no database."""

from __future__ import annotations

import pytest

from assessment.evidence import sniff
from tests.factories import files as factories

LIMIT = 20 * 1024 * 1024


@pytest.mark.parametrize(("data", "expected"), [
    (factories.PDF, sniff.PDF), (factories.PNG, sniff.PNG), (factories.JPEG, sniff.JPEG),
    (factories.xlsx(), sniff.XLSX), (factories.docx(), sniff.DOCX),
])
def test_allowed_types_are_recognised_by_their_content(data, expected):
    assert sniff.detect(data, LIMIT) == expected


@pytest.mark.parametrize(("data", "reason"), [
    (b"", sniff.Refusal.empty),
    (factories.EXE, sniff.Refusal.wrong_type),
    (b"just some text, named report.pdf", sniff.Refusal.wrong_type),
    (factories.plain_zip(), sniff.Refusal.wrong_type),
    (b"PK\x03\x04 not really a zip", sniff.Refusal.wrong_type),
    (factories.zip_bomb(), sniff.Refusal.zip_bomb),
])
def test_refusals_say_why(data, reason):
    with pytest.raises(sniff.FileRefused) as refused:
        sniff.detect(data, LIMIT)
    assert refused.value.reason == reason


def test_a_file_over_the_limit_is_refused_before_its_type_is_looked_at():
    with pytest.raises(sniff.FileRefused) as refused:
        sniff.detect(factories.PDF, len(factories.PDF) - 1)
    assert refused.value.reason == sniff.Refusal.too_large


def test_a_package_with_too_many_members_is_a_zip_bomb(monkeypatch):
    monkeypatch.setattr(sniff, "MAX_ZIP_MEMBERS", 1)
    with pytest.raises(sniff.FileRefused) as refused:
        sniff.detect(factories.xlsx(), LIMIT)
    assert refused.value.reason == sniff.Refusal.zip_bomb


def test_macro_enabled_workbooks_are_not_accepted():
    package = factories._zip({"[Content_Types].xml": factories.content_types(
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml")})
    with pytest.raises(sniff.FileRefused):
        sniff.detect(package, LIMIT)


# -- further edges (added with the split) ----------------------------------------------------
def test_a_package_declaring_both_office_parts_is_refused():
    both = factories._zip({"[Content_Types].xml": factories.content_types(
        factories._XLSX_MAIN) + factories.content_types(factories._DOCX_MAIN)})
    with pytest.raises(sniff.FileRefused) as refused:
        sniff.detect(both, LIMIT)
    assert refused.value.reason == sniff.Refusal.wrong_type


def test_an_oversized_content_types_part_is_refused(monkeypatch):
    monkeypatch.setattr(sniff, "MAX_CONTENT_TYPES_BYTES", 64)
    with pytest.raises(sniff.FileRefused) as refused:
        sniff.detect(factories.xlsx(), LIMIT)
    assert refused.value.reason == sniff.Refusal.wrong_type


def test_the_size_limit_is_inclusive():
    assert sniff.detect(factories.PDF, len(factories.PDF)) == sniff.PDF


def test_a_refusal_carries_its_reason_as_text():
    error = sniff.FileRefused(sniff.Refusal.zip_bomb)
    assert str(error) == "zip_bomb" and isinstance(error, ValueError)
    assert {t.extension for t in sniff.ALLOWED_TYPES} == {".pdf", ".png", ".jpg", ".xlsx",
                                                          ".docx"}
