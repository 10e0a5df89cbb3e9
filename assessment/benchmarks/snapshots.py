"""Snapshots of the platform pool's cohort statistics: written by a job, read on request.

Policy: pages compute live by default (a cohort takes well under the 300 ms budget, and live
figures honour an opt-out or a revoked link at once). Snapshots serve callers that read many
cohorts at once (reports, overviews): they cover the platform pool's plain cohorts (year ×
division, group, all manufacturing; no size or province filter), are rewritten by a job
after the finalisations that touch them (coalesced: :mod:`assessment.benchmarks.refresh`)
and by ``flask --app app benchmark refresh``, and are used
only when younger than ``BENCHMARK_SNAPSHOT_MAX_AGE`` seconds (default one day); otherwise
the statistics are computed live.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from flask import current_app
from sqlmodel import col, delete

from assessment.benchmarks import queries
from assessment.benchmarks.cohorts import Cohort, CohortFilter, Scope, choose_cohort
from assessment.benchmarks.figures import CodeStatistics, CohortStatistics, kind_of, shown
from assessment.benchmarks.models import ENTERPRISES, BenchmarkSnapshot
from assessment.benchmarks.pools import PlatformPool, Pool
from assessment.benchmarks.stats import Distribution
from tenants.context import system_scope
from tenants.db import db
from tenants.types import utcnow

_STATS = ("mean", "median", "q1", "q3", "p10", "p90")


def _cohorts_of(year: int, division: str | None) -> list[Cohort]:
    wanted = CohortFilter(year, division)
    return [Cohort(wanted, scope) for scope in wanted.scopes()]


def refresh_cohort(cohort: Cohort) -> int:
    """Recompute the platform pool's snapshot of one cohort. Flushes; the caller commits
    (and holds a system scope). Returns rows written."""
    pool = PlatformPool()
    now = utcnow()
    year = cohort.year
    enterprises, found = queries.cohort_summary(pool, cohort)
    db.session.execute(delete(BenchmarkSnapshot).where(
        col(BenchmarkSnapshot.pool_key) == pool.key, col(BenchmarkSnapshot.year) == year,
        col(BenchmarkSnapshot.cohort_key) == cohort.key))
    rows = [BenchmarkSnapshot(pool_key=pool.key, year=year, cohort_key=cohort.key,
                              code=ENTERPRISES, n=enterprises, computed_at=now)]
    for code, (score, value) in found.items():
        score, value = shown(score), shown(value)
        row = BenchmarkSnapshot(pool_key=pool.key, year=year, cohort_key=cohort.key,
                                code=code, n=0, computed_at=now)
        if score is None:
            rows.append(row)  # suppressed: the code is known, no figure is stored
            continue
        row.n = score.n
        for k in _STATS:
            setattr(row, k, getattr(score, k))
        if value is not None:
            row.value_n = value.n
            for k in _STATS:
                setattr(row, f"value_{k}", getattr(value, k))
        rows.append(row)
    db.session.add_all(rows)
    db.session.flush()
    return len(rows)


def refresh(year: int, division: str | None) -> int:
    """Recompute the platform pool's snapshots of ``year`` for ``division``'s cohorts
    (division, group, all manufacturing) here and now. Flushes; the caller commits.
    Returns rows written. (Finalisations go through :mod:`assessment.benchmarks.refresh`.)"""
    with system_scope(db.session, "benchmark snapshot refresh"):
        return sum(refresh_cohort(cohort) for cohort in _cohorts_of(year, division))


def refresh_all() -> int:
    """Every cohort of every year with current figures, each once."""
    with system_scope(db.session, "benchmark snapshot refresh: list cohorts"):
        pairs = queries.years_and_divisions_with_figures()
        cohorts: dict[tuple[int, str], Cohort] = {}
        for year, division in sorted(pairs):
            for cohort in _cohorts_of(year, division):
                cohorts.setdefault((year, cohort.key), cohort)
        return sum(refresh_cohort(cohort) for cohort in cohorts.values())


def read(pool: Pool, wanted: CohortFilter, codes: Iterable[str] | None, *,
         exact: bool = False) -> CohortStatistics | None:
    """The snapshot's statistics, or None when there is no fresh snapshot for this request.

    ``exact``: fresh means that no finalisation (or opt-in change) has marked any cohort of
    the fallback chain since its refresh: the snapshot then holds exactly what a live query
    would compute, whatever its age. Otherwise fresh means younger than
    ``BENCHMARK_SNAPSHOT_MAX_AGE``."""
    if not isinstance(pool, PlatformPool) or wanted.size_class or wanted.province:
        return None
    max_age = current_app.config["BENCHMARK_SNAPSHOT_MAX_AGE"]
    cohorts = _cohorts_of(wanted.year, wanted.division)
    if exact and queries.stale_marks(pool.key, wanted.year, [c.key for c in cohorts]):
        return None
    rows = queries.snapshot_rows(pool.key, wanted.year, [c.key for c in cohorts])
    by_cohort: dict[str, list[BenchmarkSnapshot]] = {}
    for row in rows:
        by_cohort.setdefault(row.cohort_key, []).append(row)
    counts: dict[Scope, int] = {}
    for cohort in cohorts:
        header = next((r for r in by_cohort.get(cohort.key, []) if r.code == ENTERPRISES), None)
        if header is None or (not exact and utcnow() - header.computed_at
                              > timedelta(seconds=max_age)):
            return None  # missing or stale: compute live
        counts[cohort.scope] = header.n
    chosen = choose_cohort(wanted, counts)
    if chosen is None:
        return CohortStatistics(pool.key, None, None, source="snapshot")
    wanted_codes = set(codes) if codes is not None else None
    statistics = {}
    computed_at = None
    for row in sorted(by_cohort[chosen.key], key=lambda r: r.code):
        if row.code == ENTERPRISES:
            computed_at = row.computed_at
            continue
        if wanted_codes is not None and row.code not in wanted_codes:
            continue
        if row.mean is None:
            statistics[row.code] = CodeStatistics(row.code, kind_of(row.code), None)
            continue
        score = Distribution(row.n, *(float(getattr(row, k)) for k in _STATS))
        value = None
        if row.value_n is not None:
            value = Distribution(row.value_n,
                                 *(float(getattr(row, f"value_{k}")) for k in _STATS))
        statistics[row.code] = CodeStatistics(row.code, kind_of(row.code), score, value)
    return CohortStatistics(pool.key, chosen, counts[chosen.scope], statistics,
                            source="snapshot", computed_at=computed_at)
