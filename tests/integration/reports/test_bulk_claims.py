"""A bulk report run's claim (the two-node proof's building block, on both databases): one
run holds it; another takes it over only once the lease has passed; the run that lost it
can neither count progress nor finish; a job is not claimed for ever."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import col

from assessment.reports import queries, tasks
from assessment.reports.bulk_models import BulkReportJob, BulkStatus
from tenants.context import set_tenant
from tenants.extensions import db
from tenants.models import TenantKind
from tenants.types import utcnow


def _expire(job_id) -> None:
    db.session.execute(sa.update(BulkReportJob).where(col(BulkReportJob.id) == job_id)
                       .values(lease_until=utcnow() - timedelta(seconds=1)))
    db.commit()


def test_a_run_is_claimed_once_and_taken_over_only_after_its_lease(app, make_tenant):
    association = make_tenant(TenantKind.association)
    with app.test_request_context():
        set_tenant(db.session, association.id)
        job = BulkReportJob(year=2025, lang="en", lease_until=utcnow() + timedelta(hours=1))
        db.session.add(job)
        db.commit()
        job_id = job.id

        assert tasks._claim(job_id, "first", 2)  # a queued job: claimed at once
        assert not tasks._claim(job_id, "second", 2)  # running, its lease not past
        tasks._beat(association.id, job_id, "first", done=1)
        with pytest.raises(tasks._ClaimLost):
            tasks._beat(association.id, job_id, "second")

        _expire(job_id)  # the first run's worker died: no sign of life for the lease
        set_tenant(db.session, association.id)
        assert tasks._claim(job_id, "second", 2)
        with pytest.raises(tasks._ClaimLost):  # the first run, if alive after all, stops
            tasks._beat(association.id, job_id, "first", done=1)
        assert not tasks._settle(association.id, job_id, "first", status=BulkStatus.done)
        set_tenant(db.session, association.id)
        found = queries.bulk_job(job_id)
        assert found is not None
        assert (found.status, found.claimed_by, found.attempts, found.done) == (
            BulkStatus.running, "second", 2, 0)  # the take-over counts afresh

        assert tasks._settle(association.id, job_id, "second", status=BulkStatus.done)
        set_tenant(db.session, association.id)
        assert not tasks._claim(job_id, "third", 2)  # done is done
        db.rollback()


def test_a_job_whose_runs_keep_dying_is_given_up(app, make_tenant):
    association = make_tenant(TenantKind.association)
    with app.test_request_context():
        set_tenant(db.session, association.id)
        job = BulkReportJob(year=2025, lang="en")
        db.session.add(job)
        db.commit()
        job_id = job.id
        for attempt in range(tasks.MAX_ATTEMPTS):
            set_tenant(db.session, association.id)
            assert tasks._claim(job_id, f"run {attempt}", 1)
            _expire(job_id)
        set_tenant(db.session, association.id)
        assert not tasks._claim(job_id, "one more", 1)
        # The scheduled safety net finds it (across tenants) and hands it to the watchdog.
        assert (association.id, job_id) in tasks.stalled_bulk_jobs()
        tasks.watch_bulk.call_local(association.id, job_id)  # the watchdog gives up
        set_tenant(db.session, association.id)
        found = queries.bulk_job(job_id)
        assert found is not None and found.status == BulkStatus.failed
        assert found.claimed_by is None and found.error
        db.rollback()
