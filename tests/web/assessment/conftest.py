"""The questionnaire tests' factory fixtures (defined in factories.py)."""

from __future__ import annotations

from tests.web.assessment.factories import (
    assign_page,
    draft_assessment,
    enterprise_with_profile,
    page_token,
    save_answer,
    stored_answer,
)

__all__ = ["assign_page", "draft_assessment", "enterprise_with_profile", "page_token",
           "save_answer", "stored_answer"]
