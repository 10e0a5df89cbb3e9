"""Jobs: refresh the benchmark snapshots of the cohorts that finalisations marked stale.

:func:`mark_stale` is the one call a finalisation makes (through the hook that
:func:`assessment.benchmarks.init_app` registers) and a change of the benchmark opt-in: it
marks the cohorts in the caller's transaction and, once that has committed,
queues one :func:`refresh_cohort` job per cohort. The job runs on a worker (Redis) or on this
process's job threads (embedded mode): the finalising request never waits for a refresh.
Many jobs of one cohort coalesce: one refreshes, the others find it claimed and return
(see :mod:`assessment.benchmarks.refresh`).

Each claim queues its own watchdog (:func:`_watch`): a worker killed mid-refresh is taken
over when its lease has passed. The safety net: :func:`drain_stale_cohorts` every minute
(marks whose job was lost; one query of an almost empty table when there are none) and
:func:`refresh_everything` every night at 03:30, both as Huey periodic tasks that the
worker schedules. Without a worker (immediate mode) the same runs by command:
``flask --app app benchmark refresh [--stale]``.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Iterator

import sqlalchemy as sa
from flask import g
from huey import crontab

from assessment.assessments.hooks import Finalised
from assessment.assessments.models import ResultFigure
from assessment.benchmarks import refresh
from tenants.db import after_commit, db
from tenants.jobs import app_periodic_task, app_task, start, start_later

log = logging.getLogger(__name__)


@app_task()
def refresh_cohort(pool_key: str, year: int, cohort_key: str) -> int:
    runs = refresh.drain((pool_key, year, cohort_key), on_claim=_watch)
    if runs:
        log.info("benchmark snapshot refreshed",
                 extra={"reason": f"{pool_key} {year} {cohort_key} x{runs}"})
    return runs


def _watch(ref: refresh.CohortRef) -> None:
    """The dead-man's switch of a claim: the same job once more when the lease has passed.
    If this worker dies mid-refresh, that run (on a live worker) takes the cohort over; if
    it lives, the run finds the marks gone and returns at once."""
    start_later(refresh_cohort, refresh.lease_seconds() + 1, *ref)


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


def copy_opt_in_to_figures(tenant_id: uuid.UUID, opted_in: bool) -> None:
    """The profile hook: the enterprise's figures carry the opt-in (the platform pool reads it
    there), so rewrite them in this transaction and mark the cohorts they count in stale."""
    figure = ResultFigure.__table__  # type: ignore[attr-defined]
    db.session.execute(sa.update(figure).where(figure.c.tenant_id == tenant_id)
                       .values(opted_in=opted_in))
    years = db.session.execute(
        sa.select(figure.c.year, figure.c.industry_division).distinct()
        .where(figure.c.tenant_id == tenant_id, figure.c.current == sa.true())).all()
    for year, division in years:
        mark_stale(year, division)


def mark_stale_on_finalised(event: Finalised) -> None:
    """The finalisation hook: the finalised assessment's cohorts are stale from now on."""
    mark_stale(event.year, event.industry_division)


def drain_stale_cohorts() -> int:
    return refresh.drain_all()


def refresh_everything() -> int:
    refresh.mark_everything()
    return refresh.drain_all()


@app_periodic_task(crontab(minute="*"), name="benchmarks.drain_stale")
def drain_stale_periodically() -> None:
    drain_stale_cohorts()


@app_periodic_task(crontab(hour="3", minute="30"), name="benchmarks.refresh_everything")
def refresh_everything_nightly() -> None:
    refresh_everything()
