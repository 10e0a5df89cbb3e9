"""Peer benchmarks: cohorts, anonymity, statistics and their snapshots."""

from __future__ import annotations

from flask import Flask

from assessment.assessments import hooks
from assessment.benchmarks import tasks


def init_app(app: Flask) -> None:
    """Refresh the snapshots after every finalisation (a hook: ``assessments`` sits below
    the benchmarks and does not import them)."""
    hooks.on_finalised(app, tasks.refresh_after_commit)
