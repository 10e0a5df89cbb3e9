"""Benchmark snapshots: precomputed anonymous aggregates of the platform pool.

A platform table, not tenant-scoped: a row holds only a cohort's aggregate figures (never a
tenant id, never a minimum or maximum). Figures are stored only for statistics that pass the
anonymity rule: a suppressed code has a row with ``n = 0`` and no figures. The row with code
``*`` records how many enterprises the cohort holds, which the fallback chain needs.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from assessment.assessments.models import ResultFigure
from assessment.profiles.models import EnterpriseProfile
from tenants.types import optional_timestamp_field, timestamp_field

ENTERPRISES = "*"


class BenchmarkSnapshot(SQLModel, table=True):
    __tablename__ = "benchmark_snapshot"
    __table_args__ = (
        sa.UniqueConstraint("pool_key", "year", "cohort_key", "code",
                            name="uq_benchmark_snapshot"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    pool_key: str = Field(max_length=60)  # "platform"
    year: int
    cohort_key: str = Field(max_length=60)  # "division:C36", "group:equipment", "all"
    code: str = Field(max_length=80)  # indicator, dimension, "overall", or "*"
    n: int
    mean: float | None = None
    median: float | None = None
    q1: float | None = None
    q3: float | None = None
    p10: float | None = None
    p90: float | None = None
    value_n: int | None = None
    value_mean: float | None = None
    value_median: float | None = None
    value_q1: float | None = None
    value_q3: float | None = None
    value_p10: float | None = None
    value_p90: float | None = None
    computed_at: datetime = timestamp_field()


class BenchmarkStaleMark(SQLModel, table=True):
    """A cohort whose snapshot no longer matches the figures: written by the finalisation
    (in its own transaction, so a mark exists exactly when the new figures do), deleted by
    the refresh that covered it. Insert-only for writers: two finalisations never wait for
    each other on a mark. A platform table: no tenant id, only the cohort."""

    __tablename__ = "benchmark_stale_mark"
    __table_args__ = (sa.Index("ix_benchmark_stale_mark_cohort", "pool_key", "year",
                               "cohort_key", "id"),)

    id: int | None = Field(default=None, sa_column=sa.Column(
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
        autoincrement=True))
    pool_key: str = Field(max_length=60)
    year: int
    cohort_key: str = Field(max_length=60)
    marked_at: datetime = timestamp_field()


class BenchmarkRefresh(SQLModel, table=True):
    """One row per (pool, year, cohort): who is refreshing it now. A refresh claims the row
    with a conditional update (free, or its lease expired: a worker that died) and releases
    it in the transaction that writes the snapshot, so at most one refresh of a cohort runs
    at a time, on any number of workers."""

    __tablename__ = "benchmark_refresh"

    pool_key: str = Field(max_length=60, primary_key=True)
    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    cohort_key: str = Field(max_length=60, primary_key=True)
    claimed_by: uuid.UUID | None = None
    claimed_at: datetime | None = optional_timestamp_field()
    refreshed_at: datetime | None = optional_timestamp_field()


# Indexes for cohort queries on result figures. They serve only the benchmarks, so they are
# declared here (on the assessment package's table) rather than in its models. On PostgreSQL
# they are partial (current figures) and covering, so that a cohort's statistics are an
# index-only scan of its own rows; SQLite gets the plain column lists.
_COVERED = ["tenant_id", "score", "value", "size_class", "province", "opted_in"]
_figure = ResultFigure.__table__  # type: ignore[attr-defined]
sa.Index("ix_result_figure_division_cohort", _figure.c.year, _figure.c.industry_division,
         _figure.c.code, postgresql_include=_COVERED, postgresql_where=_figure.c.current)
sa.Index("ix_result_figure_group_cohort", _figure.c.year, _figure.c.industry_group,
         _figure.c.code, postgresql_include=_COVERED, postgresql_where=_figure.c.current)
# The all-manufacturing cohort (no industry to lead with): its rows grouped by code, each
# code's scores in order, so that the refresh neither sorts the year's figures by code nor
# (in effect) each code's scores for percentile_cont.
sa.Index("ix_result_figure_all_cohort", _figure.c.year, _figure.c.code, _figure.c.score,
         postgresql_include=["tenant_id", "value", "size_class", "province", "opted_in"],
         postgresql_where=_figure.c.current)
# One row per enterprise: the fallback chain's counts read only these.
sa.Index("ix_result_figure_enterprises", _figure.c.year, _figure.c.code,
         _figure.c.industry_group, _figure.c.industry_division,
         postgresql_include=["tenant_id", "size_class", "province", "opted_in"],
         postgresql_where=_figure.c.current)
# The platform pool's membership test: the opted-in enterprises, without reading profiles.
_profile = EnterpriseProfile.__table__  # type: ignore[attr-defined]
sa.Index("ix_enterprise_profile_opted_in", _profile.c.tenant_id,
         postgresql_where=_profile.c.benchmark_opt_in)
# A member's current overall figure of a year (the association dashboard's member list and
# statistics: one index-only probe per member instead of its 38 figures' heap rows).
sa.Index("ix_result_figure_member_overall", _figure.c.tenant_id, _figure.c.year,
         postgresql_include=["score", "level", "industry_division", "size_class", "province"],
         postgresql_where=sa.and_(_figure.c.current,
                                  _figure.c.code == sa.literal_column("'overall'")))
