"""Finalising refreshes the snapshots (through the job); snapshots and the command line."""

from __future__ import annotations

from typing import Any

from assessment.benchmarks.pools import PlatformPool
from assessment.benchmarks.services import cohort_statistics
from tests.integration.benchmarks.conftest import _add_profile

SCORES = [40.0, 55.0, 60.0, 70.0, 90.0]


def _finalise_through_services(app: Any, make_tenant: Any, make_user: Any) -> Any:
    from assessment.assessments import services
    from tenants import queries as platform_queries
    from tenants.context import set_tenant
    from tenants.extensions import db
    from tests.factories import owner_of

    tenant = make_tenant()
    owner = owner_of(app, tenant)
    reviewer = make_user()
    with app.test_request_context():
        _add_profile(tenant.id, "C36", "medium", "32", True)
        set_tenant(db.session, tenant.id)
        membership = platform_queries.membership(tenant.id, owner.id)
        assessment = services.create_assessment(membership, 2025, db.session.merge(owner))
        services.submit(assessment, membership)
        services.finalise(assessment, db.session.merge(reviewer))
        db.commit()  # the refresh job runs after this commit (immediate mode in tests)
    return tenant


def _snapshots(fetch: Any) -> dict[tuple[str, str], Any]:
    from assessment.benchmarks.models import BenchmarkSnapshot

    return {(r.cohort_key, r.code): r for r in fetch(BenchmarkSnapshot)}


def test_finalising_refreshes_the_snapshots(peer: Any, make_tenant: Any, make_user: Any,
                                            fetch: Any, app: Any) -> None:
    for score in SCORES[:4]:
        peer({"overall": score, "lean": score})
    _finalise_through_services(app, make_tenant, make_user)
    rows = _snapshots(fetch)
    assert rows[("division:C36", "*")].n == 5
    assert rows[("group:equipment", "*")].n == 5
    assert rows[("all", "*")].n == 5
    # the empty questionnaire has figures but no scores: 4 scores each, nothing stored
    for code in ("overall", "lean"):
        suppressed = rows[("division:C36", code)]
        assert suppressed.n == 0 and suppressed.median is None and suppressed.mean is None


def test_snapshots_hold_only_what_may_be_shown_and_are_read_when_fresh(
        peer: Any, in_app: Any, app: Any, fetch: Any) -> None:
    from assessment.benchmarks import snapshots
    from tenants.extensions import db

    for score in SCORES:
        peer({"overall": score, "lean": score})
    peer({"overall": 1.0, "lean": None, "green": 5.0})  # green: one score only
    with app.app_context():
        assert snapshots.refresh(2025, "C36") > 0
        db.commit()
    rows = _snapshots(fetch)
    assert rows[("division:C36", "green")].n == 0  # suppressed: no figure stored
    assert rows[("division:C36", "green")].median is None
    assert not any(hasattr(r, "tenant_id") for r in rows.values())
    live = in_app(lambda: cohort_statistics(PlatformPool(), 2025, "C36", use_snapshot=False))
    cached = in_app(lambda: cohort_statistics(PlatformPool(), 2025, "C36", use_snapshot=True))
    # the peers' finalisations marked the cohorts: live until their refresh has run
    assert in_app(lambda: cohort_statistics(PlatformPool(), 2025, "C36")).source == "live"
    from assessment.benchmarks import refresh

    with app.app_context():
        assert refresh.drain_all() == 3
    # the default reads the snapshot while nothing has marked the cohorts since its refresh
    exact = in_app(lambda: cohort_statistics(PlatformPool(), 2025, "C36"))
    assert exact.source == "snapshot" and exact.statistics == cached.statistics
    assert cached.source == "snapshot" and live.source == "live"
    assert cached.enterprises == live.enterprises == 6
    assert cached.statistics["overall"].score == live.statistics["overall"].score
    assert cached.statistics.keys() == live.statistics.keys()
    assert cached.statistics["green"].suppressed and live.statistics["green"].suppressed
    # a stale snapshot is not used
    max_age = app.config["BENCHMARK_SNAPSHOT_MAX_AGE"]
    app.config["BENCHMARK_SNAPSHOT_MAX_AGE"] = -1
    try:
        stale = in_app(lambda: cohort_statistics(PlatformPool(), 2025, "C36",
                                                 use_snapshot=True))
    finally:
        app.config["BENCHMARK_SNAPSHOT_MAX_AGE"] = max_age
    assert stale.source == "live"
    # a finalisation (or an opt-in change) marks the cohorts: live until the refresh
    with app.app_context():
        refresh.mark(2025, "C36")
        db.commit()
    marked = in_app(lambda: cohort_statistics(PlatformPool(), 2025, "C36"))
    assert marked.source == "live" and marked.statistics == live.statistics
    with app.app_context():
        assert refresh.drain(("platform", 2025, "division:C36")) == 1
    assert in_app(lambda: cohort_statistics(PlatformPool(), 2025, "C36")).source == "live"
    for key in ("group:equipment", "all"):
        with app.app_context():
            refresh.drain(("platform", 2025, key))
    assert in_app(lambda: cohort_statistics(PlatformPool(), 2025, "C36")).source == "snapshot"


def test_benchmark_show_prints_the_table_and_the_label(peer: Any, app: Any) -> None:
    for score in SCORES:
        peer({"overall": score, "lean": score, "green": score if score > 60 else None})
    runner = app.test_cli_runner()
    result = runner.invoke(args=["benchmark", "show", "--industry", "C36", "--year", "2025",
                                 "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Manufacture of motor vehicles" in result.output and "enterprises: 5" in result.output
    overall = next(line for line in result.output.splitlines() if line.startswith("overall "))
    assert "60.00" in overall  # the median
    green = next(line for line in result.output.splitlines() if line.startswith("green "))
    assert "Not shown" in green
    assert "min" not in result.output.lower().replace("minimum", "")


def test_benchmark_show_with_too_few_and_with_bad_input(peer: Any, app: Any) -> None:
    peer({"overall": 50.0})
    runner = app.test_cli_runner()
    few = runner.invoke(args=["benchmark", "show", "--industry", "C36", "--year", "2025",
                              "--lang", "en"])
    assert few.exit_code == 0 and "No benchmark" in few.output
    bad = runner.invoke(args=["benchmark", "show", "--industry", "C99", "--year", "2025",
                              "--lang", "en"])
    assert bad.exit_code == 2 and "--industry" in bad.output
    pool = runner.invoke(args=["benchmark", "show", "--year", "2025", "--pool", "association:x"])
    assert pool.exit_code == 2 and "--pool" in pool.output
    size = runner.invoke(args=["benchmark", "show", "--year", "2025", "--size", "huge"])
    assert size.exit_code == 2 and "--size" in size.output
    place = runner.invoke(args=["benchmark", "show", "--year", "2025", "--province", "99"])
    assert place.exit_code == 2 and "--province" in place.output


def test_benchmark_refresh_writes_snapshots(peer: Any, app: Any, fetch: Any) -> None:
    for score in SCORES:
        peer({"overall": score})
    result = app.test_cli_runner().invoke(args=["benchmark", "refresh"])
    assert result.exit_code == 0, result.output
    assert _snapshots(fetch)[("division:C36", "overall")].median == 60.0
