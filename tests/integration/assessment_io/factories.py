"""Moved to ``tests/factories/assessment_io.py``;
this path re-exports them so that existing imports keep working."""

from __future__ import annotations

from tests.factories.assessment_io import (
    ANSWERS,
    NOT_APPLICABLE,
    UNKNOWN,
    Made,
    credit_code,
    make_assessment,
)

__all__ = [
    "ANSWERS",
    "NOT_APPLICABLE",
    "UNKNOWN",
    "Made",
    "credit_code",
    "make_assessment",
]
