"""Moved to ``tests/factories/questionnaire.py``;
this path re-exports them so that existing imports keep working."""

from __future__ import annotations

from tests.factories.questionnaire import (
    _TOKEN,
    acting,
    assign_page,
    autosave_url,
    draft_assessment,
    enterprise_with_profile,
    page_token,
    page_url,
    save_answer,
    stored_answer,
    valid_credit_code,
)

__all__ = [
    "_TOKEN",
    "acting",
    "assign_page",
    "autosave_url",
    "draft_assessment",
    "enterprise_with_profile",
    "page_token",
    "page_url",
    "save_answer",
    "stored_answer",
    "valid_credit_code",
]
