"""The PDF render job's pure parts: when a pending marker counts as lost, and why a render
failed in the reader's language (the budget from the settings of a bare app)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask_babel import Babel, force_locale

from assessment.reports.pdf_jobs import _pending_is_stale, failure_message
from assessment.reports.workers import RenderBudget
from tests.unit.conftest import ROOT


def test_a_pending_marker_is_lost_after_ten_times_start_up_and_budget() -> None:
    budget = RenderBudget(seconds=30, memory_mb=512)
    assert not _pending_is_stale(900.0, budget)  # 10 × (30 + 60)
    assert _pending_is_stale(900.5, budget)
    assert not _pending_is_stale(1000.0, RenderBudget(seconds=60, memory_mb=0))


@pytest.fixture
def messages_app() -> Iterator[Flask]:
    application = Flask("pdf_jobs_messages", root_path=str(ROOT))
    application.config.update(REPORT_RENDER_SECONDS=45, REPORT_RENDER_MEMORY_MB=768)
    Babel(application, default_locale="zh_CN")
    with application.test_request_context():
        yield application


def test_failure_messages_name_the_budget(messages_app: Flask) -> None:
    with force_locale("en"):
        timeout = failure_message("timeout")
        memory = failure_message("memory")
        other = failure_message("crashed")
    assert timeout.startswith("Rendering this report took longer than 45 seconds")
    assert memory.startswith("Rendering this report needed more than 768 MB")
    assert other == "This report could not be rendered. Try again in a few minutes."
    with force_locale("zh_CN"):
        chinese = [failure_message(r) for r in ("timeout", "memory", "error")]
    assert "45" in chinese[0] and "768" in chinese[1]
    assert all(any("\u4e00" <= c <= "\u9fff" for c in text) for text in chinese)
    assert chinese[2] != other
