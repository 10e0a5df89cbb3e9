"""Benchmarks: peer cohorts, pools of opted-in data, statistics and their stored snapshots."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire benchmarks: ``flask benchmarks`` and the snapshot refresh job."""
    from assessment.benchmarks import cli, tasks  # noqa: F401 (jobs)

    cli.register(app)
