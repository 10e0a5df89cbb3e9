"""Uploaded names made safe, and the download header (pure helpers of the evidence services)."""

from __future__ import annotations

from assessment.evidence.services import clean_original_name, content_disposition


def test_uploaded_names_lose_paths_and_control_characters():
    assert clean_original_name("..\\..\\windows/evil\x00name.pdf") == "evilname.pdf"
    assert clean_original_name("   ") == "evidence"


def test_content_disposition_is_an_attachment_with_an_rfc5987_name():
    header = content_disposition('年报 "2024";.pdf')
    assert header.startswith('attachment; filename="')
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.endswith(".pdf") and '"' not in fallback and ";" not in fallback
    assert "filename*=UTF-8''%E5%B9%B4%E6%8A%A5%20%222024%22%3B.pdf" in header
