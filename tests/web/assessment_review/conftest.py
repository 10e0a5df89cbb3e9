"""The web tests of evidence, review and results share the integration tests' fixtures
(``make_enterprise`` comes from tests/conftest.py)."""

from __future__ import annotations

from tests.integration.assessment_review.conftest import (
    _evidence_dir,
    acting_in,
    make_assessment,
)

__all__ = ["_evidence_dir", "acting_in", "make_assessment"]
