"""The rendering child: a render over its time budget or memory cap fails alone, with its
reason, and the next render gets a fresh child; a renderer's exception keeps the child."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from assessment.reports.workers import RenderBudget, RenderFailed, RenderPool, RenderWorker

TARGET = "tests.render_targets:render"


@pytest.fixture
def worker_factory() -> Iterator:
    made: list[RenderWorker] = []

    def make(seconds: float = 30, memory_mb: int = 0) -> RenderWorker:
        worker = RenderWorker(RenderBudget(seconds, memory_mb), TARGET)
        made.append(worker)
        return worker

    yield make
    for worker in made:
        worker.close()


def test_a_render_over_its_time_budget_is_killed_and_the_next_one_works(worker_factory):
    worker = worker_factory(seconds=1)
    assert worker.render("warm") == b"%PDF-fake warm"  # started: the budget counts from here
    first_child = worker.pid
    started = time.monotonic()
    with pytest.raises(RenderFailed) as failed:
        worker.render("slow")
    assert failed.value.reason == "timeout"
    assert 0.9 < time.monotonic() - started < 5  # the budget, not the two minutes asked
    assert worker.render("after") == b"%PDF-fake after"
    assert worker.pid != first_child  # the slow child was killed, a new one started


def test_a_child_that_allocates_past_the_cap_fails_cleanly(worker_factory):
    worker = worker_factory(memory_mb=600)  # a started child uses ~200 MB of address space
    assert worker.render("before") == b"%PDF-fake before"
    with pytest.raises(RenderFailed) as failed:
        worker.render("greedy")
    assert failed.value.reason == "memory"
    assert worker.render("after") == b"%PDF-fake after"


def test_a_renderer_error_fails_that_render_and_keeps_the_child(worker_factory):
    worker = worker_factory()
    worker.render("one")
    child = worker.pid
    with pytest.raises(RenderFailed) as failed:
        worker.render("broken")
    assert failed.value.reason == "error" and "a renderer bug" in failed.value.detail
    assert worker.render("two") == b"%PDF-fake two" and worker.pid == child


def test_the_real_renderer_runs_under_the_default_cap():
    worker = RenderWorker(RenderBudget())
    try:
        pdf = worker.render('<html lang="zh"><body><p>供应链 report</p></body></html>')
    finally:
        worker.close()
    assert pdf.startswith(b"%PDF")


def test_a_pool_renders_in_parallel_and_one_failure_stays_alone(monkeypatch):
    monkeypatch.setattr("assessment.reports.workers.RENDER_TARGET", TARGET)
    with RenderPool(2, RenderBudget(1, 0)) as pool:
        futures = [pool.submit(html, "") for html in ("a", "slow", "b", "c")]
        outcomes = []
        for future in futures:
            try:
                outcomes.append(future.result(timeout=60))
            except RenderFailed as failed:
                outcomes.append(failed.reason)
    assert outcomes == [b"%PDF-fake a", "timeout", b"%PDF-fake b", b"%PDF-fake c"]
