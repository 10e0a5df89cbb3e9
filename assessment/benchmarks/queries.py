"""Reads of benchmark cohorts, in SQL on PostgreSQL and in Python on SQLite.

Both paths take the same arguments and return the same figures (a test runs both on the same
PostgreSQL data). Every function reads across tenants, so the caller must hold a system scope
(:func:`tenants.context.system_scope`); each returns only anonymous aggregates.

Only current figures count: a figure is written when its assessment is finalised and stops
being current when a later revision of the same assessment is finalised. A reopened
assessment therefore keeps counting with its last finalised revision until it is finalised
again.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select

from assessment.assessments.models import Answer, AnswerState, Assessment, ResultFigure, State
from assessment.benchmarks.cohorts import Cohort, CohortFilter, Scope
from assessment.benchmarks.models import BenchmarkSnapshot, BenchmarkStaleMark
from assessment.benchmarks.pools import Pool
from assessment.benchmarks.stats import PERCENTILES, Distribution, distribution
from tenants.context import in_system_scope
from tenants.db import db

Method = Literal["auto", "sql", "python"]
# (below, equal, n) of the other enterprises' scores, per code
RankCounts = dict[str, tuple[int, int, int]]
# per code: (score distribution, value distribution), None where there are no figures
Distributions = dict[str, tuple[Distribution | None, Distribution | None]]

FIGURE = ResultFigure.__table__  # type: ignore[attr-defined]
ANSWER = Answer.__table__  # type: ignore[attr-defined]
ASSESSMENT = Assessment.__table__  # type: ignore[attr-defined]
OVERALL = "overall"


def _require_system_scope() -> None:
    if not in_system_scope(db.session):
        raise RuntimeError("benchmark queries read across tenants: call them in system_scope()")


def _use_sql(method: Method) -> bool:
    if method == "auto":
        return db.session.get_bind().dialect.name == "postgresql"
    if method == "sql" and db.session.get_bind().dialect.name != "postgresql":
        raise ValueError("the SQL path needs PostgreSQL (percentile_cont)")
    return method == "sql"


def _common(pool: Pool, wanted: CohortFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        FIGURE.c.current == sa.true(), FIGURE.c.year == wanted.year,
        pool.admits_figure(FIGURE),
    ]
    if wanted.size_class:
        conditions.append(FIGURE.c.size_class == wanted.size_class)
    if wanted.province:
        conditions.append(FIGURE.c.province == wanted.province)
    return conditions


def _cohort_conditions(pool: Pool, cohort: Cohort, codes: Iterable[str] | None,
                       exclude_tenant: uuid.UUID | None) -> list[ColumnElement[bool]]:
    conditions = _common(pool, cohort.filter)
    if cohort.scope == Scope.division:
        conditions.append(FIGURE.c.industry_division == cohort.filter.division)
    elif cohort.scope == Scope.group:
        conditions.append(FIGURE.c.industry_group == cohort.filter.group)
    if codes is not None:
        conditions.append(FIGURE.c.code.in_(list(codes)))
    if exclude_tenant is not None:
        conditions.append(FIGURE.c.tenant_id != exclude_tenant)
    return conditions


def enterprise_counts(pool: Pool, wanted: CohortFilter,
                      exclude_tenant: uuid.UUID | None = None) -> dict[Scope, int]:
    """How many enterprises of the pool each scope of the fallback chain holds (plain SQL on
    both backends: every finalised assessment has exactly one current ``overall`` figure)."""
    _require_system_scope()
    # a literal, not a parameter, so that a prepared plan still matches the covering index
    conditions = [*_common(pool, wanted), FIGURE.c.code == sa.literal_column(f"'{OVERALL}'")]
    if exclude_tenant is not None:
        conditions.append(FIGURE.c.tenant_id != exclude_tenant)
    in_division = sa.case((FIGURE.c.industry_division == (wanted.division or ""), 1), else_=0)
    in_group = sa.case((FIGURE.c.industry_group == (wanted.group or ""), 1), else_=0)
    row = db.session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(in_division), 0),
                  sa.func.coalesce(sa.func.sum(in_group), 0),
                  sa.func.count()).where(*conditions)
    ).one()
    return {Scope.division: int(row[0]), Scope.group: int(row[1]),
            Scope.manufacturing: int(row[2])}


def peer_values(pool: Pool, year: int, division: str, codes: Iterable[str],
                exclude_tenant: uuid.UUID) -> dict[str, list[float]]:
    """Per code, the current values of the other enterprises of one division and year
    (unsuppressed: the caller applies the anonymity rule). For scoring within the industry
    cohort; never shown."""
    _require_system_scope()
    cohort = Cohort(CohortFilter(year, division), Scope.division)
    conditions = _cohort_conditions(pool, cohort, codes, exclude_tenant)
    values: dict[str, list[float]] = defaultdict(list)
    rows = db.session.execute(
        sa.select(FIGURE.c.code, FIGURE.c.value)
        .where(*conditions, FIGURE.c.status == "ok", FIGURE.c.value.is_not(None))
    )
    for code, value in rows:
        values[code].append(float(value))
    return dict(values)


def peer_answer_values(pool: Pool, years: Iterable[int], division: str, keys: Iterable[str],
                       exclude_tenant: uuid.UUID) -> dict[tuple[int, str], list[float]]:
    """Per (year, answer key), the numeric answers of the other enterprises of one division
    whose assessment of that year is finalised and in ``pool`` (unsuppressed: the caller
    applies the anonymity rule). One query for all keys and years: the pool, year and
    division come from the assessment's current ``overall`` figure (one per finalised
    assessment, and one assessment per enterprise and year), so each value is one
    enterprise's. Answers that are not numbers (unknown, blank, text) are left out."""
    _require_system_scope()
    wanted = list(keys)
    if not wanted:
        return {}
    joined = (ANSWER
              .join(ASSESSMENT, sa.and_(ASSESSMENT.c.id == ANSWER.c.assessment_id,
                                        ASSESSMENT.c.tenant_id == ANSWER.c.tenant_id))
              .join(FIGURE, sa.and_(FIGURE.c.assessment_id == ASSESSMENT.c.id,
                                    FIGURE.c.tenant_id == ASSESSMENT.c.tenant_id)))
    rows = db.session.execute(
        sa.select(FIGURE.c.year, ANSWER.c.key, ANSWER.c.value).select_from(joined).where(
            FIGURE.c.current == sa.true(), FIGURE.c.code == sa.literal_column(f"'{OVERALL}'"),
            FIGURE.c.year.in_(list(years)), FIGURE.c.industry_division == division,
            pool.admits_figure(FIGURE), FIGURE.c.tenant_id != exclude_tenant,
            ASSESSMENT.c.state == State.finalised.value,
            ANSWER.c.key.in_(wanted), ANSWER.c.state == AnswerState.answered.value,
        )
    )
    values: dict[tuple[int, str], list[float]] = defaultdict(list)
    for year, key, value in rows:
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if math.isfinite(value):
            values[(int(year), key)].append(float(value))
    return dict(values)


def cohort_enterprises(pool: Pool, cohort: Cohort) -> int:
    """How many enterprises of the pool one cohort holds."""
    _require_system_scope()
    conditions = _cohort_conditions(pool, cohort, None, None)
    conditions.append(FIGURE.c.code == sa.literal_column(f"'{OVERALL}'"))
    return int(db.session.execute(sa.select(sa.func.count()).where(*conditions)).scalar_one())


def narrowest_counts(pool: Pool, wanted: CohortFilter, enough: int,
                     exclude_tenant: uuid.UUID | None = None) -> dict[Scope, int]:
    """The fallback chain's counts, narrowest first, stopping at the first scope with at
    least ``enough`` enterprises: a division that is large enough costs one count of its own
    rows, not of the whole year. Scopes not counted are absent."""
    _require_system_scope()
    counts: dict[Scope, int] = {}
    for scope in wanted.scopes():
        conditions = _cohort_conditions(pool, Cohort(wanted, scope), None, exclude_tenant)
        if scope == Scope.division:  # the enterprises index leads with year, code, group
            conditions.append(FIGURE.c.industry_group == wanted.group)
        conditions.append(FIGURE.c.code == sa.literal_column(f"'{OVERALL}'"))
        counts[scope] = int(db.session.execute(
            sa.select(sa.func.count()).where(*conditions)).scalar_one())
        if counts[scope] >= enough:
            break
    return counts


# -- distributions -------------------------------------------------------------------------
def distributions(pool: Pool, cohort: Cohort, codes: Iterable[str] | None = None,
                  method: Method = "auto") -> Distributions:
    """Per code, the distribution of scores and of values in the cohort (unsuppressed: the
    services apply the anonymity rule)."""
    _require_system_scope()
    conditions = _cohort_conditions(pool, cohort, codes, None)
    if _use_sql(method):
        return _distributions_sql(conditions)
    return _distributions_python(conditions)


def cohort_summary(pool: Pool, cohort: Cohort, method: Method = "auto"
                   ) -> tuple[int, Distributions]:
    """How many enterprises the cohort holds and every code's distributions, for a snapshot.

    On PostgreSQL ONE statement reads the cohort's rows once (the enterprises are the rows of
    code ``overall``: one per finalised assessment, as :func:`cohort_enterprises` counts),
    with enough sort memory for each code's percentiles to be sorted in memory. No
    distributions when the cohort holds no enterprise."""
    _require_system_scope()
    conditions = _cohort_conditions(pool, cohort, None, None)
    if not _use_sql(method):
        enterprises = cohort_enterprises(pool, cohort)
        return enterprises, (_distributions_python(conditions) if enterprises else {})
    with _statistics_settings():
        rows = _summary_rows(conditions, with_rows=True)
    enterprises = next((int(row[1]) for row in rows if row[0] == OVERALL), 0)
    return enterprises, (_distributions_from((row[0], *row[2:]) for row in rows)
                         if enterprises else {})


# A snapshot's refresh reads all its cohort's figures (15 million for all manufacturing at
# 500,000 assessments). Settings for that one statement (set for the transaction, then put
# back). Not for the live statistics of a request: a division is far below the JIT's
# threshold and already read in code order, so they would only add two round trips.
STATISTICS_SETTINGS = {
    # percentile_cont sorts each code's figures: 400,000 values of the all-manufacturing
    # cohort take about 20 MB as sort tuples; with the default 4 MB each sort spills to disk
    "work_mem": "64MB",
    # the row-level security condition makes the planner estimate a cohort at 0.5 % of its
    # rows; believing that, it reads the year's figures in table order and sorts them by
    # code (an external sort of millions of rows) instead of reading them in code order
    # from the cohort's index. Sorting stays possible; it is only priced out.
    "enable_sort": "off",
    # compiling the statement (JIT) takes 0.3-1.6 s and saves less than it costs
    "jit": "off",
}


@contextmanager
def _statistics_settings() -> Iterator[None]:
    """:data:`STATISTICS_SETTINGS` for the statements inside, the previous values after."""
    names = list(STATISTICS_SETTINGS)
    before = db.session.execute(sa.select(*(sa.func.current_setting(n) for n in names))).one()
    _set_local(STATISTICS_SETTINGS)
    try:
        yield
    finally:
        _set_local(dict(zip(names, before, strict=True)))


def _set_local(settings: Mapping[str, str]) -> None:
    db.session.execute(sa.select(*(sa.func.set_config(name, value, True)
                                   for name, value in settings.items())))


def _summary_rows(conditions: list[ColumnElement[bool]], with_rows: bool = False
                  ) -> list[Any]:
    fractions = postgresql.array([sa.literal(p, sa.Float) for p in PERCENTILES.values()])

    def summary(column: sa.Column[Any]) -> list[Any]:
        return [sa.func.count(column), sa.func.avg(column),
                sa.func.percentile_cont(fractions).within_group(column)]

    counted = [sa.func.count()] if with_rows else []
    return list(db.session.execute(
        sa.select(FIGURE.c.code, *counted, *summary(FIGURE.c.score), *summary(FIGURE.c.value))
        .where(*conditions).group_by(FIGURE.c.code)
    ).all())


def _distributions_sql(conditions: list[ColumnElement[bool]]) -> Distributions:
    return _distributions_from(_summary_rows(conditions))


def _distributions_from(rows: Iterable[Any]) -> Distributions:
    result: Distributions = {}
    for code, score_n, score_mean, score_q, value_n, value_mean, value_q in rows:
        result[code] = (_from_sql(score_n, score_mean, score_q),
                        _from_sql(value_n, value_mean, value_q))
    return result


def _from_sql(n: int, mean: float | None, quantiles: list[float] | None) -> Distribution | None:
    if not n or mean is None or quantiles is None:
        return None
    named = dict(zip(PERCENTILES, (float(q) for q in quantiles), strict=True))
    return Distribution(n=int(n), mean=float(mean), **named)


def _distributions_python(conditions: list[ColumnElement[bool]]) -> Distributions:
    scores: dict[str, list[float]] = defaultdict(list)
    values: dict[str, list[float]] = defaultdict(list)
    codes: set[str] = set()
    rows = db.session.execute(
        sa.select(FIGURE.c.code, FIGURE.c.score, FIGURE.c.value).where(*conditions)
    )
    for code, score, value in rows:
        codes.add(code)
        if score is not None:
            scores[code].append(score)
        if value is not None:
            values[code].append(value)
    return {
        code: (distribution(scores[code]) if scores[code] else None,
               distribution(values[code]) if values[code] else None)
        for code in codes
    }


# -- the enterprise's position ------------------------------------------------------------
def rank_counts(pool: Pool, cohort: Cohort, own_scores: Mapping[str, float],
                exclude_tenant: uuid.UUID, method: Method = "auto") -> RankCounts:
    """Per code of ``own_scores``: how many other enterprises of the cohort score below,
    equal, and in all (the enterprise itself is added by the caller)."""
    _require_system_scope()
    if not own_scores:
        return {}
    conditions = _cohort_conditions(pool, cohort, own_scores.keys(), exclude_tenant)
    if _use_sql(method):
        return _rank_counts_sql(conditions, own_scores)
    return _rank_counts_python(conditions, own_scores)


def _rank_counts_sql(conditions: list[ColumnElement[bool]],
                     own_scores: Mapping[str, float]) -> RankCounts:
    mine = sa.values(sa.column("code", sa.String), sa.column("score", sa.Float),
                     name="mine").data([(c, float(s)) for c, s in own_scores.items()])
    rows = db.session.execute(
        sa.select(FIGURE.c.code,
                  sa.func.count().filter(FIGURE.c.score < mine.c.score),
                  sa.func.count().filter(FIGURE.c.score == mine.c.score),
                  sa.func.count(FIGURE.c.score))
        .select_from(FIGURE.join(mine, FIGURE.c.code == mine.c.code))
        .where(*conditions).group_by(FIGURE.c.code)
    ).all()
    counts: RankCounts = {code: (0, 0, 0) for code in own_scores}
    for code, below, equal, n in rows:
        counts[code] = (int(below), int(equal), int(n))
    return counts


def _rank_counts_python(conditions: list[ColumnElement[bool]],
                        own_scores: Mapping[str, float]) -> RankCounts:
    counts: dict[str, list[int]] = {code: [0, 0, 0] for code in own_scores}
    rows = db.session.execute(
        sa.select(FIGURE.c.code, FIGURE.c.score)
        .where(*conditions, FIGURE.c.score.is_not(None))
    )
    for code, score in rows:
        own = float(own_scores[code])
        tally = counts[code]
        tally[0] += score < own
        tally[1] += score == own
        tally[2] += 1
    return {code: (t[0], t[1], t[2]) for code, t in counts.items()}


def years_and_divisions_with_figures() -> list[tuple[int, str]]:
    """Every (year, industry division) that has current figures (system scope)."""
    rows = db.session.execute(
        sa.select(FIGURE.c.year, FIGURE.c.industry_division).distinct()
        .where(FIGURE.c.current == sa.true())
    ).all()
    return [(year, division) for year, division in rows]


def snapshot_rows(pool_key: str, year: int, cohort_keys: list[str]) -> list[BenchmarkSnapshot]:
    """The stored statistics of these cohorts of a pool and year."""
    return list(db.session.exec(select(BenchmarkSnapshot).where(
        BenchmarkSnapshot.pool_key == pool_key, BenchmarkSnapshot.year == year,
        col(BenchmarkSnapshot.cohort_key).in_(cohort_keys))).all())


def stale_marks(pool_key: str, year: int, cohort_keys: list[str]) -> int:
    """How many marks wait for a refresh of these cohorts (platform table)."""
    mark = BenchmarkStaleMark.__table__  # type: ignore[attr-defined]
    return int(db.session.execute(sa.select(sa.func.count()).where(
        mark.c.pool_key == pool_key, mark.c.year == year,
        mark.c.cohort_key.in_(cohort_keys))).scalar_one())
