"""The web tests of evidence, review and results share the integration tests' fixtures."""

from __future__ import annotations

from tests.integration.assessment_review.conftest import (
    _evidence_dir,
    acting_in,
    make_assessment,
    make_enterprise,
)

__all__ = ["_evidence_dir", "acting_in", "make_assessment", "make_enterprise"]
