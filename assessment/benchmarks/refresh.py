"""Snapshot refreshes that coalesce: finalisations mark cohorts stale, one job drains each.

- :func:`mark` (called by the finalisation, in its transaction) inserts one
  :class:`~assessment.benchmarks.models.BenchmarkStaleMark` per cohort the new figures count
  in (the division, its group, all manufacturing) for the platform pool. Marks are
  insert-only, so two finalisations never wait for each other here.
- :func:`drain` refreshes one (pool, year, cohort). It first claims the cohort's
  :class:`~assessment.benchmarks.models.BenchmarkRefresh` row with a conditional ``UPDATE``
  (free, or claimed longer ago than the lease: a worker that died), so at most one refresh of
  a cohort runs at a time on any number of workers; the others return at once. The winner
  notes the newest mark, recomputes the cohort once, and in one transaction writes the
  snapshot, deletes the marks it covered and releases the claim. Marks that arrived during
  the refresh are still there: it checks again after the release and goes round once more,
  so a mark whose own job found the cohort claimed is never left behind.
- :func:`drain_all` drains every cohort with marks (the scheduled safety net and the command
  line), :func:`mark_everything` marks every cohort with current figures (a full refresh).

Why not incremental: counts and means could be updated from the new figures alone, but the
published percentiles (p10, quartiles, median, p90) of a cohort cannot; one refresh of a
cohort reads its rows once through the covering index and computes every code together.
What is incremental is the scope: a finalisation costs its three cohorts, not the platform,
and any number of finalisations of a cohort while it refreshes cost one more refresh.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from assessment.benchmarks import queries, snapshots
from assessment.benchmarks.cohorts import Cohort, CohortFilter, Scope
from assessment.benchmarks.models import BenchmarkRefresh, BenchmarkStaleMark
from assessment.benchmarks.pools import PlatformPool
from indicators.catalogue.industries import list_divisions
from tenants.context import system_scope
from tenants.db import db
from tenants.types import utcnow

log = logging.getLogger(__name__)

MARK = BenchmarkStaleMark.__table__  # type: ignore[attr-defined]
CLAIM = BenchmarkRefresh.__table__  # type: ignore[attr-defined]

# (pool key, year, cohort key)
CohortRef = tuple[str, int, str]


def cohorts_touched(year: int, division: str | None) -> list[CohortRef]:
    """The platform pool's cohorts that figures of ``division`` in ``year`` count in."""
    pool = PlatformPool().key
    wanted = CohortFilter(year, division)
    return [(pool, year, Cohort(wanted, scope).key) for scope in wanted.scopes()]


def mark(year: int, division: str | None) -> list[CohortRef]:
    """Mark the cohorts of ``division`` in ``year`` stale (flushes; the caller commits)."""
    touched = cohorts_touched(year, division)
    now = utcnow()
    db.session.execute(sa.insert(MARK), [
        {"pool_key": pool, "year": y, "cohort_key": key, "marked_at": now}
        for pool, y, key in touched])
    return touched


def cohort_of(year: int, cohort_key: str) -> Cohort:
    """The cohort a snapshot key names (``division:C36``, ``group:equipment``, ``all``)."""
    kind, _, code = cohort_key.partition(":")
    if kind == "division":
        return Cohort(CohortFilter(year, code), Scope.division)
    if kind == "group":
        division = next((d.code for d in list_divisions() if d.group.code == code), None)
        if division is None:
            raise ValueError(f"unknown benchmark group {code!r}")
        return Cohort(CohortFilter(year, division), Scope.group)
    if cohort_key == "all":
        return Cohort(CohortFilter(year, None), Scope.manufacturing)
    raise ValueError(f"unknown cohort key {cohort_key!r}")


def lease_seconds() -> float:
    return float(current_app.config["BENCHMARK_REFRESH_LEASE_SECONDS"])


def _lease() -> timedelta:
    return timedelta(seconds=lease_seconds())


def _key_of(table: sa.Table, ref: CohortRef) -> list[sa.ColumnElement[bool]]:
    pool, year, key = ref
    return [table.c.pool_key == pool, table.c.year == year, table.c.cohort_key == key]


def _insert_ignore(values: dict[str, Any]) -> Any:
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(CLAIM).values(**values).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(CLAIM).values(**values).on_conflict_do_nothing()


def claim(ref: CohortRef, token: uuid.UUID) -> bool:
    """Claim the refresh of ``ref`` for ``token`` (commits). False: another runs it."""
    pool, year, key = ref
    db.session.execute(_insert_ignore({"pool_key": pool, "year": year, "cohort_key": key}))
    now = utcnow()
    claimed = db.session.execute(
        sa.update(CLAIM).where(*_key_of(CLAIM, ref), sa.or_(
            CLAIM.c.claimed_by.is_(None), CLAIM.c.claimed_at < now - _lease()))
        .values(claimed_by=token, claimed_at=now))
    db.commit()
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def newest_mark(ref: CohortRef) -> int | None:
    return db.session.execute(sa.select(sa.func.max(MARK.c.id)).where(*_key_of(MARK, ref))
                              ).scalar_one_or_none()


def _refresh_claimed(ref: CohortRef, token: uuid.UUID) -> bool:
    """Refresh ``ref`` (claimed by ``token``) and release it, in one transaction. False when
    the claim was lost meanwhile (it outlived its lease and another took it over)."""
    _pool, year, key = ref
    upto = newest_mark(ref)
    snapshots.refresh_cohort(cohort_of(year, key))
    if upto is not None:
        db.session.execute(sa.delete(MARK).where(*_key_of(MARK, ref), MARK.c.id <= upto))
    released = db.session.execute(
        sa.update(CLAIM).where(*_key_of(CLAIM, ref), CLAIM.c.claimed_by == token)
        .values(claimed_by=None, claimed_at=None, refreshed_at=utcnow()))
    if released.rowcount != 1:  # type: ignore[attr-defined]
        db.rollback()  # another refresh owns it now and writes its own snapshot
        return False
    db.commit()
    return True


def drain(ref: CohortRef, on_claim: Callable[[CohortRef], None] | None = None) -> int:
    """Refresh ``ref`` while it has marks, unless another process is refreshing it (that
    one picks the marks up). Commits; returns how many refreshes this call ran.
    ``on_claim`` is called after each claim this call wins (the job queues its watchdog)."""
    runs = 0
    with system_scope(db.session, "benchmark snapshot refresh"):
        if newest_mark(ref) is None:  # refreshed already by the job of an earlier mark
            db.commit()
            return 0
        while True:
            token = uuid.uuid4()
            if not claim(ref, token):
                return runs
            if on_claim is not None:
                on_claim(ref)
            if newest_mark(ref) is None:
                # Another refresh covered the marks between our look and our claim (it
                # deleted them and released in one commit): nothing left to do.
                _release(ref, token)
                return runs
            try:
                if not _refresh_claimed(ref, token):
                    return runs
            except BaseException:
                db.rollback()
                _release(ref, token)
                raise
            runs += 1
            if newest_mark(ref) is None:  # nothing arrived while it ran
                db.commit()
                return runs


def _release(ref: CohortRef, token: uuid.UUID) -> None:
    db.session.execute(sa.update(CLAIM).where(*_key_of(CLAIM, ref), CLAIM.c.claimed_by == token)
                       .values(claimed_by=None, claimed_at=None))
    db.commit()


def stale_cohorts() -> list[CohortRef]:
    """Every (pool, year, cohort) with marks not yet covered by a refresh."""
    with system_scope(db.session, "benchmark snapshot refresh: stale cohorts"):
        rows = db.session.execute(
            sa.select(MARK.c.pool_key, MARK.c.year, MARK.c.cohort_key).distinct()).all()
    db.commit()
    return sorted((str(p), int(y), str(k)) for p, y, k in rows)


def drain_all() -> int:
    """Drain every stale cohort; returns the refreshes run."""
    return sum(drain(ref) for ref in stale_cohorts())


def mark_everything() -> list[CohortRef]:
    """Mark every cohort with current figures (the full refresh); commits."""
    touched: set[CohortRef] = set()
    with system_scope(db.session, "benchmark snapshot refresh: mark every cohort"):
        for year, division in queries.years_and_divisions_with_figures():
            touched.update(mark(year, division))
    db.commit()
    return sorted(touched)


def pending(refs: Iterable[CohortRef] | None = None) -> int:
    """How many marks wait for a refresh (all cohorts, or ``refs``)."""
    condition: sa.ColumnElement[bool] = sa.true()
    if refs is not None:
        condition = sa.or_(sa.false(), *(sa.and_(*_key_of(MARK, ref)) for ref in refs))
    return int(db.session.execute(sa.select(sa.func.count()).select_from(MARK)
                                  .where(condition)).scalar_one())
