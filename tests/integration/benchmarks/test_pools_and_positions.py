"""Association pools follow the links; the enterprise's position; SQL and Python agree."""

from __future__ import annotations

import random
from typing import Any

import pytest

from assessment.benchmarks.pools import AssociationPool, PlatformPool
from assessment.benchmarks.services import cohort_statistics, position_of
from tenants.context import set_tenant
from tenants.models import LinkGrant, TenantKind

SCORES = [40.0, 55.0, 60.0, 70.0, 90.0]


def _association_stats(in_app: Any, association: Any) -> Any:
    return in_app(lambda: cohort_statistics(AssociationPool(association.id), 2025, "C36"))


def test_an_association_sees_only_members_whose_link_grants_scores(
        peer: Any, make_tenant: Any, link: Any, in_app: Any) -> None:
    association = make_tenant(TenantKind.association)
    members = [peer({"overall": s}, opt_in=False) for s in SCORES[:4]]
    for member in members:
        link(association, member)
    link(association, peer({"overall": 10.0}), grants=(LinkGrant.answers, LinkGrant.reports))
    link(association, peer({"overall": 11.0}), status="pending")
    link(association, peer({"overall": 12.0}), status="declined")
    peer({"overall": 13.0})  # in the platform pool, not linked
    assert not _association_stats(in_app, association).shown  # 4 members granting scores

    link(association, peer({"overall": SCORES[4]}))
    result = _association_stats(in_app, association)
    assert result.enterprises == 5
    assert result.statistics["overall"].score.median == 60.0
    assert "tenant" not in str(result.as_dict("en"))


def test_nothing_after_the_link_is_revoked(peer: Any, make_tenant: Any, make_link: Any,
                                           link: Any, in_app: Any, app: Any) -> None:
    from tenants.extensions import db
    from tenants.services import links
    from tests.factories import owner_of

    association = make_tenant(TenantKind.association)
    leaving = peer({"overall": SCORES[0]}, with_owner=True)
    made = make_link(association, leaving)  # through the links service
    for score in SCORES[1:]:
        link(association, peer({"overall": score}))
    assert _association_stats(in_app, association).enterprises == 5
    with app.test_request_context():
        set_tenant(db.session, leaving.id)  # the revoking side's scope
        links.revoke(db.session.merge(leaving), db.session.merge(owner_of(app, leaving)),
                     made.id)
        db.commit()
    result = _association_stats(in_app, association)
    assert not result.shown and result.statistics == {}
    # the platform pool (the members opted in) is unaffected
    assert in_app(lambda: cohort_statistics(PlatformPool(), 2025, "C36")).enterprises == 5


def _assessment(app: Any, tenant: Any) -> Any:
    from sqlmodel import select

    from assessment.assessments.models import Assessment
    from tenants.context import system_scope
    from tenants.extensions import db

    with app.app_context(), system_scope(db.session, "test"):
        found = db.session.exec(select(Assessment).where(Assessment.tenant_id == tenant.id)).one()
        db.session.expunge(found)
        return found


def _position(in_app: Any, app: Any, tenant: Any, **kwargs: Any) -> Any:
    from tenants.context import set_tenant
    from tenants.extensions import db

    assessment = _assessment(app, tenant)

    def run() -> Any:
        set_tenant(db.session, tenant.id)
        return position_of(assessment, PlatformPool(), **kwargs)

    return in_app(run)


def test_the_position_is_the_mid_rank_with_the_enterprise_counted(
        peer: Any, in_app: Any, app: Any) -> None:
    for score in [40.0, 60.0, 60.0, 80.0]:
        peer({"overall": score, "lean": score})
    me = peer({"overall": 60.0, "lean": None}, opt_in=False)  # not contributing, still ranked
    position = _position(in_app, app, me)
    assert position.shown
    overall = position.positions["overall"]
    # 1 below, 2 equal among the others, plus itself: (1 + 0.5 * 3) / 5
    assert overall.percentile_rank == pytest.approx(50.0)
    assert overall.cohort_size == 5
    assert "lean" not in position.positions  # no score, no rank


def test_the_position_is_suppressed_below_five(peer: Any, in_app: Any, app: Any) -> None:
    for score in [40.0, 60.0, 80.0]:
        peer({"overall": score})
    me = peer({"overall": 70.0})
    assert not _position(in_app, app, me).shown


@pytest.mark.postgres
def test_sql_and_python_agree_on_the_same_data(peer: Any, in_app: Any, app: Any) -> None:
    from assessment.benchmarks.cohorts import Cohort, CohortFilter, Scope
    from assessment.benchmarks.queries import distributions, rank_counts
    from tenants.context import system_scope
    from tenants.extensions import db

    rng = random.Random(7)
    codes = ["overall", "lean", "lean.on_time_delivery_rate", "green.energy_intensity"]
    tenants = []
    for i in range(23):
        scores = {c: round(rng.uniform(0, 100), rng.choice([0, 1, 6])) for c in codes}
        if i % 5 == 0:
            scores["lean"] = None  # missing figures
        values = {c: rng.uniform(0, 2) for c in codes if "." in c}
        tenants.append(peer(scores, values=values, division=rng.choice(["C36", "C37"])))
    cohort = Cohort(CohortFilter(2025, "C36"), Scope.group)
    own = {"overall": 50.0, "lean": 33.0, "lean.on_time_delivery_rate": 71.0}

    def both() -> tuple[Any, Any, Any, Any]:
        with system_scope(db.session, "test"):
            return (distributions(PlatformPool(), cohort, method="sql"),
                    distributions(PlatformPool(), cohort, method="python"),
                    rank_counts(PlatformPool(), cohort, own, tenants[0].id, method="sql"),
                    rank_counts(PlatformPool(), cohort, own, tenants[0].id, method="python"))

    sql, python, sql_ranks, python_ranks = in_app(both)
    assert sql.keys() == python.keys() == set(codes)
    for code in codes:
        for a, b in zip(sql[code], python[code], strict=True):
            assert (a is None) == (b is None)
            if a is not None:
                assert a.n == b.n
                for name, expected in b.as_dict().items():
                    assert a.as_dict()[name] == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert sql_ranks == python_ranks
    assert sql["lean"][0].n == 18  # every fifth enterprise has no score for lean


@pytest.mark.postgres
def test_a_snapshots_one_statement_agrees_with_python_and_puts_its_settings_back(
        peer: Any, in_app: Any) -> None:
    import sqlalchemy as sa

    from assessment.benchmarks.cohorts import Cohort, CohortFilter, Scope
    from assessment.benchmarks.queries import cohort_summary
    from tenants.context import system_scope
    from tenants.extensions import db

    rng = random.Random(11)
    codes = ["overall", "lean", "green.energy_intensity"]
    for i in range(12):
        scores = {c: round(rng.uniform(0, 100), 1) for c in codes}
        if i % 4 == 0:
            scores["lean"] = None
        peer(scores, values={"green.energy_intensity": rng.uniform(0, 2)},
             division=rng.choice(["C36", "C37", "C13"]))
    peer({"overall": 10.0}, opt_in=False)  # not in the platform pool

    def run() -> tuple[Any, ...]:
        with system_scope(db.session, "test"):
            setting = "SELECT current_setting('work_mem'), current_setting('enable_sort')"
            before = db.session.execute(sa.text(setting)).one()
            found = {scope: cohort_summary(PlatformPool(), Cohort(CohortFilter(2025, "C36"),
                                                                  scope), method="sql")
                     for scope in Scope}
            after = db.session.execute(sa.text(setting)).one()
            expected = {scope: cohort_summary(PlatformPool(), Cohort(
                CohortFilter(2025, "C36"), scope), method="python") for scope in Scope}
            return before, after, found, expected

    before, after, found, expected = in_app(run)
    assert after == before  # the refresh's settings end with its statement
    assert found[Scope.manufacturing][0] == 12
    for scope in Scope:
        (n_sql, sql), (n_python, python) = found[scope], expected[scope]
        assert n_sql == n_python and sql.keys() == python.keys()
        for code in python:
            for a, b in zip(sql[code], python[code], strict=True):
                assert (a is None) == (b is None)
                if a is not None:
                    assert a.n == b.n
                    for name, value in b.as_dict().items():
                        assert a.as_dict()[name] == pytest.approx(value, rel=1e-9, abs=1e-9)
