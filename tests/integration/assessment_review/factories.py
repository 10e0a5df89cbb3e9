"""Moved to ``tests/factories/assessments.py`` and ``tests/factories/files.py``;
this path re-exports them so that existing imports keep working."""

from __future__ import annotations

from tests.factories.assessments import (
    ANSWERS,
    PREVIOUS_ANSWERS,
    acting_in,
    credit_code,
    give_profile,
    give_profile_in_context,
    make_assessment,
    membership_of,
    owner,
)
from tests.factories.files import (
    _DOCX_MAIN,
    _XLSX_MAIN,
    EXE,
    JPEG,
    PDF,
    PNG,
    _zip,
    content_types,
    docx,
    plain_zip,
    xlsx,
    zip_bomb,
)

__all__ = [
    "ANSWERS",
    "EXE",
    "JPEG",
    "PDF",
    "PNG",
    "PREVIOUS_ANSWERS",
    "_DOCX_MAIN",
    "_XLSX_MAIN",
    "_zip",
    "acting_in",
    "content_types",
    "credit_code",
    "docx",
    "give_profile",
    "give_profile_in_context",
    "make_assessment",
    "membership_of",
    "owner",
    "plain_zip",
    "xlsx",
    "zip_bomb",
]
