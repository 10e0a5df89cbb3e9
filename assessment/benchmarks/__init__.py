"""Peer benchmarks: cohorts, pools of opted-in data, anonymity, statistics and their stored
snapshots."""

from __future__ import annotations

import uuid

from flask import Flask

from assessment.assessments import hooks
from assessment.profiles import hooks as profile_hooks


def init_app(app: Flask) -> None:
    """Wire benchmarks: ``flask benchmarks``, the snapshot refresh job, a refresh after every
    finalisation, and the industry cohorts of the platform pool for scoring (hooks:
    ``assessments`` sits below the benchmarks and does not import them)."""
    # Imported here, not at the top: importing any module of this package runs this file,
    # and the CLI and jobs pull in most of the package.
    from assessment.benchmarks import cli, tasks

    cli.register(app)
    hooks.on_finalised(app, tasks.mark_stale_on_finalised)
    profile_hooks.on_opt_in_changed(app, tasks.copy_opt_in_to_figures)
    hooks.provide_industry_cohorts(app, platform_industry_cohorts)


def platform_industry_cohorts(year: int, industry: str, codes: list[str],
                              exclude_tenant: uuid.UUID, minimum: int) -> dict[str, list[float]]:
    """The enterprise's industry cohort in the platform pool (enterprises that share
    anonymised figures), per code, for scoring within the industry."""
    from assessment.benchmarks import services
    from assessment.benchmarks.pools import PlatformPool

    return services.industry_cohorts(PlatformPool(), year, industry, codes, exclude_tenant,
                                     minimum)
