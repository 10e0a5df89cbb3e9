"""Jobs: refresh the benchmark snapshots once a finalisation has committed (registered as a
finalisation hook by :func:`assessment.benchmarks.init_app`)."""

from __future__ import annotations

import logging

from assessment.assessments.hooks import Finalised
from assessment.benchmarks import snapshots
from tenants.db import after_commit, db
from tenants.jobs import app_task

log = logging.getLogger(__name__)


@app_task()
def refresh_snapshots(year: int, division: str | None) -> int:
    with db.commit_scope():
        written = snapshots.refresh(year, division)
    log.info("benchmark snapshots refreshed", extra={"reason": f"{year} {division}"})
    return written


def refresh_after_commit(event: Finalised) -> None:
    """After a finalisation (a hook): queue the refresh once the new figures have landed."""
    after_commit(lambda: refresh_snapshots(event.year, event.industry_division))
