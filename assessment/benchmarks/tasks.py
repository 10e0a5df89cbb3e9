"""Jobs: refresh the benchmark snapshots of the cohorts that finalisations marked stale.

:func:`mark_stale` is the one call a finalisation makes (and a change of the benchmark
opt-in): it marks the cohorts in the caller's transaction and, once that has committed,
queues one :func:`refresh_cohort` job per cohort. The job runs on a worker (Redis) or on this
process's job threads (embedded mode): the finalising request never waits for a refresh.
Many jobs of one cohort coalesce: one refreshes, the others find it claimed and return
(see :mod:`assessment.benchmarks.refresh`).

The safety net: :func:`drain_stale_cohorts` every ten minutes (marks whose job was lost, a
worker killed mid-refresh) and :func:`refresh_everything` every night at 03:30, both as
Huey periodic tasks that the worker schedules. Without a worker (immediate mode) the same
runs by command: ``flask --app app benchmark refresh [--stale]``.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from flask import g
from huey import crontab

from assessment.benchmarks import refresh
from tenants.db import after_commit
from tenants.jobs import app_periodic_task, app_task, start

log = logging.getLogger(__name__)


@app_task()
def refresh_cohort(pool_key: str, year: int, cohort_key: str) -> int:
    runs = refresh.drain((pool_key, year, cohort_key))
    if runs:
        log.info("benchmark snapshot refreshed",
                 extra={"reason": f"{pool_key} {year} {cohort_key} x{runs}"})
    return runs


_HELD = "benchmark_refreshes_held"


@contextlib.contextmanager
def refreshes_held() -> Iterator[None]:
    """Mark cohorts stale but queue no refresh job inside the block (bulk loads: the demo
    loader); the caller drains once at the end (:func:`drain_stale_cohorts`)."""
    previous = g.get(_HELD, False)
    setattr(g, _HELD, True)
    try:
        yield
    finally:
        setattr(g, _HELD, previous)


def mark_stale(year: int, division: str | None) -> None:
    """Mark ``division``'s cohorts of ``year`` stale now; queue their refresh after commit."""
    touched = refresh.mark(year, division)
    if g.get(_HELD, False):
        return

    def queue() -> None:
        for ref in touched:
            start(refresh_cohort, *ref)

    after_commit(queue)


def drain_stale_cohorts() -> int:
    return refresh.drain_all()


def refresh_everything() -> int:
    refresh.mark_everything()
    return refresh.drain_all()


@app_periodic_task(crontab(minute="*/10"), name="benchmarks.drain_stale")
def drain_stale_periodically() -> None:
    drain_stale_cohorts()


@app_periodic_task(crontab(hour="3", minute="30"), name="benchmarks.refresh_everything")
def refresh_everything_nightly() -> None:
    refresh_everything()
