"""Benchmark services: cohort statistics and an enterprise's position, anonymity applied.

Every function here reads across tenants inside an explicit, logged system scope and returns
only anonymous aggregates: counts, means and percentiles of at least
:data:`~assessment.benchmarks.cohorts.ANONYMITY_MIN_COHORT` enterprises, never a minimum, a
maximum, a tenant id or a name.

Statistics are exact from the next request after an opt-out or a revoked link. By default
the platform pool's plain cohorts are read from their snapshot when no finalisation or
opt-in change has marked them since it was refreshed (the snapshot then holds exactly the
live figures), and computed live otherwise; association pools, size and province filters
are always live. ``use_snapshot=True`` reads any snapshot younger than the maximum age;
``False`` always computes live (see :mod:`assessment.benchmarks.snapshots`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from assessment.assessments import queries as assessment_queries
from assessment.assessments.models import Assessment
from assessment.benchmarks import queries, snapshots
from assessment.benchmarks.anonymity import NOTHING_TO_SHOW
from assessment.benchmarks.cohorts import ANONYMITY_MIN_COHORT, Cohort, CohortFilter, choose_cohort
from assessment.benchmarks.figures import CodeStatistics, CohortStatistics, kind_of, shown
from assessment.benchmarks.pools import Pool
from assessment.benchmarks.queries import Method
from assessment.benchmarks.stats import distribution, rank_from_counts
from indicators.catalogue.industries import division as find_industry
from tenants.context import system_scope
from tenants.db import db
from tenants.types import utcnow


def _normalised(industry: str | None) -> str | None:
    return find_industry(industry).code if industry else None


def cohort_statistics(pool: Pool, year: int, industry: str | None,
                      size_class: str | None = None, province: str | None = None,
                      codes: Iterable[str] | None = None, *, method: Method = "auto",
                      use_snapshot: bool | None = None) -> CohortStatistics:
    """Statistics of every code (or of ``codes``) in the narrowest cohort of ``pool`` with
    enough enterprises: the industry division, else its group, else all manufacturing.

    ``industry`` is a GB/T 4754 division ("C36", "36"; None: all manufacturing); an unknown
    one raises ``indicators.InvalidInput`` naming the key ``industry``.
    """
    wanted = CohortFilter(year, _normalised(industry), size_class or None, province or None)
    codes = list(codes) if codes is not None else None
    if use_snapshot is not False and method == "auto":
        # None (the default): the platform pool's snapshot when nothing has marked its
        # cohorts since the refresh (exactly the live figures, a few indexed rows instead
        # of the cohort's percentiles); True: any snapshot younger than the maximum age.
        cached = snapshots.read(pool, wanted, codes, exact=use_snapshot is None)
        if cached is not None:
            return cached
    with system_scope(db.session, f"benchmark statistics ({pool.key})"):
        counts = queries.narrowest_counts(pool, wanted, ANONYMITY_MIN_COHORT)
        cohort = choose_cohort(wanted, counts)
        if cohort is None:
            return CohortStatistics(pool.key, None, None, computed_at=utcnow())
        enterprises = counts[cohort.scope]
        found = queries.distributions(pool, cohort, codes, method)
    statistics = {
        code: CodeStatistics(code, kind_of(code), shown(score), shown(value))
        for code, (score, value) in sorted(found.items())
    }
    return CohortStatistics(pool.key, cohort, enterprises, statistics, computed_at=utcnow())


# -- the enterprise's own position ----------------------------------------------------------
@dataclass(frozen=True)
class CodePosition:
    """Where the enterprise stands on one code. ``percentile_rank`` is the mid-rank
    (share of the cohort below plus half the share equal, ×100) with the enterprise itself
    counted in the cohort; None when the cohort has fewer than the minimum."""

    code: str
    kind: str
    score: float
    value: float | None
    percentile_rank: float | None
    cohort_size: int | None  # including the enterprise; None when suppressed

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "kind": self.kind, "score": self.score, "value": self.value,
                "percentile_rank": self.percentile_rank, "cohort_size": self.cohort_size}


@dataclass(frozen=True)
class Position:
    pool: str
    cohort: Cohort | None
    positions: dict[str, CodePosition] = field(default_factory=dict)

    @property
    def shown(self) -> bool:
        return self.cohort is not None

    def label(self, lang: str | None = None) -> str:
        return self.cohort.label(lang) if self.cohort else str(NOTHING_TO_SHOW)

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {"pool": self.pool, "shown": self.shown, "label": self.label(lang),
                "cohort": self.cohort.key if self.cohort else None,
                "positions": {c: p.as_dict() for c, p in self.positions.items()}}


def position_of(assessment: Assessment, pool: Pool, *, codes: Iterable[str] | None = None,
                method: Method = "auto") -> Position:
    """The enterprise's percentile rank on every scored code of its last finalised revision,
    within its cohort of ``pool`` (its year and industry division). The enterprise counts in
    its own cohort whether or not the pool holds it, so an enterprise that does not
    contribute is still compared with the same peers."""
    figures = assessment_queries.current_figures(assessment.id)
    if not figures:
        return Position(pool.key, None)
    first = figures[0]
    wanted = CohortFilter(first.year, first.industry_division)
    wanted_codes = set(codes) if codes is not None else None
    own = {f.code: f for f in figures if f.score is not None
           and (wanted_codes is None or f.code in wanted_codes)}
    tenant_id: uuid.UUID = first.tenant_id
    with system_scope(db.session, f"benchmark position ({pool.key})"):
        # the enterprise counts in its own cohort: one fewer other is enough
        others = queries.narrowest_counts(pool, wanted, ANONYMITY_MIN_COHORT - 1,
                                          exclude_tenant=tenant_id)
        cohort = choose_cohort(wanted, {scope: n + 1 for scope, n in others.items()})
        if cohort is None:
            return Position(pool.key, None)
        counts = queries.rank_counts(pool, cohort, {c: f.score for c, f in own.items()
                                                    if f.score is not None},
                                     tenant_id, method)
    positions = {}
    for code, figure in sorted(own.items()):
        below, equal, n = counts.get(code, (0, 0, 0))
        size = n + 1
        visible = size >= ANONYMITY_MIN_COHORT
        assert figure.score is not None
        positions[code] = CodePosition(
            code, kind_of(code), figure.score, figure.value,
            rank_from_counts(below, equal + 1, size) if visible else None,
            size if visible else None,
        )
    return Position(pool.key, cohort, positions)


def industry_cohorts(pool: Pool, year: int, industry: str | None, codes: Iterable[str],
                     exclude_tenant: uuid.UUID, minimum: int) -> dict[str, list[float]]:
    """Per code, the values of the enterprise's industry cohort to score it within: the
    other enterprises of its own division and year in ``pool``, only where at least
    ``minimum`` (and never fewer than the anonymity minimum) gave a value. Codes with a
    smaller cohort are left out (the engine then names the wider scale it used). The values
    go to the engine only; no page shows them."""
    division = _normalised(industry)
    wanted = list(codes)
    if division is None or not wanted:
        return {}
    with system_scope(db.session, f"industry cohort for scoring ({pool.key})"):
        found = queries.peer_values(pool, year, division, wanted, exclude_tenant)
    return large_enough(found, minimum)


def large_enough(found: dict[str, list[float]], minimum: int) -> dict[str, list[float]]:
    """The codes of ``found`` (the peers' values per code) whose cohort is large enough to
    score within: at least ``minimum`` values and never fewer than the anonymity minimum."""
    needed = max(minimum, ANONYMITY_MIN_COHORT)
    return {code: values for code, values in found.items() if len(values) >= needed}


# -- typical ranges of questionnaire answers ------------------------------------------------
@dataclass(frozen=True)
class AnswerRange:
    """The interquartile range (P25-P75, as :func:`~assessment.benchmarks.stats.percentile`
    and PostgreSQL's ``percentile_cont``) of one numeric answer among the other enterprises
    of an industry division and year; never the minimum, the maximum or any one answer."""

    key: str
    division: str
    year: int
    q1: float
    q3: float
    enterprises: int


def industry_answer_ranges(pool: Pool, year: int, industry: str | None, keys: Iterable[str],
                           exclude_tenant: uuid.UUID) -> dict[str, AnswerRange]:
    """Per answer key, the typical range among the other enterprises of the enterprise's
    industry division in ``pool`` with a finalised assessment of ``year``, or of the
    previous year where ``year`` has fewer than the anonymity minimum of values for that
    key; keys where neither year has enough are left out. One query for all keys."""
    division = _normalised(industry)
    wanted = sorted(set(keys))
    if division is None or not wanted:
        return {}
    years = (year, year - 1)
    with system_scope(db.session, f"typical answers of the industry ({pool.key})"):
        found = queries.peer_answer_values(pool, years, division, wanted, exclude_tenant)
    ranges: dict[str, AnswerRange] = {}
    for key in wanted:
        for candidate in years:
            values = found.get((candidate, key), [])
            if len(values) >= ANONYMITY_MIN_COHORT:
                summary = distribution(values)
                ranges[key] = AnswerRange(key, division, candidate, summary.q1, summary.q3,
                                          summary.n)
                break
    return ranges
