"""Benchmark refreshes that coalesce, with real parallel connections: of many jobs for one
cohort one refreshes at a time (decided by a conditional update in the database), marks that
arrive meanwhile are picked up, a claim whose worker died is taken over after its lease, and
the finalising request does not wait for the refresh."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from assessment.benchmarks.models import BenchmarkRefresh, BenchmarkSnapshot, BenchmarkStaleMark
from tests.integration.concurrency.conftest import YEAR, Committed, race

REF = ("platform", YEAR, "division:C36")


def _mark(committed: Committed, division: str = "C36") -> None:
    from assessment.benchmarks import refresh
    from tenants.extensions import db

    with committed.app.app_context():
        refresh.mark(YEAR, division)
        db.commit()


def _drain(committed: Committed, ref: tuple[str, int, str] = REF) -> int:
    from assessment.benchmarks import refresh

    with committed.app.app_context():
        return refresh.drain(ref)


def _marks(committed: Committed, ref: tuple[str, int, str] = REF) -> int:
    return len(committed.read(BenchmarkStaleMark, BenchmarkStaleMark.pool_key == ref[0],
                              BenchmarkStaleMark.year == ref[1],
                              BenchmarkStaleMark.cohort_key == ref[2]))


def _claim(committed: Committed, token: uuid.UUID, age: timedelta = timedelta(0)) -> None:
    from assessment.benchmarks import refresh
    from tenants.context import system_scope
    from tenants.extensions import db
    from tenants.types import utcnow

    with committed.app.app_context():
        with system_scope(db.session, "test: claim"):
            assert refresh.claim(REF, token)
            db.session.execute(sa.update(BenchmarkRefresh).where(
                BenchmarkRefresh.cohort_key == REF[2], BenchmarkRefresh.year == YEAR)
                .values(claimed_at=utcnow() - age))
        db.commit()


def test_parallel_jobs_of_one_cohort_refresh_it_once(committed: Committed) -> None:
    _mark(committed)
    _mark(committed)  # two finalisations, two jobs each way: one refresh covers both
    outcomes = race(*(lambda: _drain(committed) for _ in range(4)))
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert sum(outcomes) == 1  # type: ignore[arg-type]
    assert _marks(committed) == 0
    header = committed.read(BenchmarkSnapshot, BenchmarkSnapshot.year == YEAR,
                            BenchmarkSnapshot.cohort_key == REF[2],
                            BenchmarkSnapshot.code == "*")
    assert len(header) == 1


def test_a_claimed_cohort_is_left_to_its_refresh_and_taken_over_after_the_lease(
        committed: Committed) -> None:
    _mark(committed)
    _claim(committed, uuid.uuid4())  # another worker is refreshing it right now
    outcomes = race(*(lambda: _drain(committed) for _ in range(3)))
    assert outcomes == [0, 0, 0]
    assert _marks(committed) == 1  # left for the worker that holds the claim
    # that worker died: once its lease has run out, the next job takes the cohort over
    _claim_age = timedelta(seconds=committed.app.config.get(
        "BENCHMARK_REFRESH_LEASE_SECONDS", 600) + 1)
    from tenants.extensions import db
    from tenants.types import utcnow

    with committed.app.app_context():
        db.session.execute(sa.update(BenchmarkRefresh).where(
            BenchmarkRefresh.cohort_key == REF[2], BenchmarkRefresh.year == YEAR)
            .values(claimed_at=utcnow() - _claim_age))
        db.commit()
    assert _drain(committed) == 1
    assert _marks(committed) == 0


@pytest.mark.postgres  # on SQLite the refresh holds the one write lock: no mark lands meanwhile
def test_marks_made_during_a_refresh_are_picked_up_by_it(committed: Committed,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """A finalisation lands while the cohort refreshes; its own job finds the cohort
    claimed and returns; the running refresh goes round once more."""
    from assessment.benchmarks import snapshots

    original = snapshots.refresh_cohort
    calls: list[int] = []
    late_job: list[int] = []

    def refresh_while_a_finalisation_lands(cohort: Any) -> int:
        calls.append(1)
        if len(calls) == 1:
            worker = threading.Thread(target=lambda: (_mark(committed),
                                                      late_job.append(_drain(committed))))
            worker.start()
            worker.join(30)
        return original(cohort)

    monkeypatch.setattr(snapshots, "refresh_cohort", refresh_while_a_finalisation_lands)
    _mark(committed)
    assert _drain(committed) == 2
    assert late_job == [0]  # the late mark's own job did not refresh: the running one did
    assert _marks(committed) == 0


def test_finalising_does_not_wait_for_the_refresh(committed: Committed,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Embedded mode (no Redis): the refresh runs on the job threads, after the request."""
    from assessment.benchmarks import refresh
    from tenants import jobs
    from tenants.models import Role
    from tests import factories
    from tests.integration.assessment_review.factories import ANSWERS, make_assessment

    release = threading.Event()
    started: list[str] = []
    original = refresh.drain

    def slow_drain(ref: Any, **kwargs: Any) -> int:
        started.append(ref[2])
        assert release.wait(30)
        return original(ref, **kwargs)

    monkeypatch.setattr(refresh, "drain", slow_drain)
    owner = committed.user(name="Owner")
    tenant = factories.make_tenant(committed.app, owner=owner, members=[])
    committed.tenant_ids.append(tenant.id)
    assert Role.owner  # the owner finalises its own self-assessment
    make_assessment(committed.app, tenant, YEAR, ANSWERS, finalise=True)  # commits
    # the request has answered; its three cohorts wait, marked, for the refresh job
    assert _marks(committed, ("platform", YEAR, "all")) == 1
    release.set()
    jobs.wait_for_background_jobs()
    assert sorted(started) == ["all", "division:C36", "group:equipment"]
    assert _marks(committed, ("platform", YEAR, "all")) == 0
