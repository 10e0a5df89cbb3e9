"""Peer benchmarks: cohorts, anonymity, statistics and their snapshots."""

from __future__ import annotations

import uuid

from flask import Flask

from assessment.assessments import hooks
from assessment.benchmarks import services, tasks
from assessment.benchmarks.pools import PlatformPool


def init_app(app: Flask) -> None:
    """Refresh the snapshots after every finalisation, and give scoring the industry
    cohorts of the platform pool (hooks: ``assessments`` sits below the benchmarks and does
    not import them)."""
    hooks.on_finalised(app, tasks.refresh_after_commit)
    hooks.provide_industry_cohorts(app, platform_industry_cohorts)


def platform_industry_cohorts(year: int, industry: str, codes: list[str],
                              exclude_tenant: uuid.UUID, minimum: int) -> dict[str, list[float]]:
    """The enterprise's industry cohort in the platform pool (enterprises that share
    anonymised figures), per code, for scoring within the industry."""
    return services.industry_cohorts(PlatformPool(), year, industry, codes, exclude_tenant,
                                     minimum)
