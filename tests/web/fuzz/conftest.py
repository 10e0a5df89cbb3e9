"""The fuzz tests reuse the import/export tests' assessment (``made``)."""

from __future__ import annotations

from tests.web.assessment_io.conftest import made

__all__ = ["made"]
