"""The opt-in travels with the figures: finalisation copies it, a change of the profile's
opt-in rewrites every figure of the enterprise in the same transaction and marks its
cohorts stale, so the platform pool counts the change from the next request."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def test_opting_in_and_out_rewrites_the_figures_and_marks_the_cohorts(
        app: Any, make_tenant: Any) -> None:
    from assessment.assessments.models import ResultFigure
    from assessment.benchmarks import refresh
    from assessment.profiles.services import ProfileData, save_profile
    from tenants.context import system_scope
    from tenants.extensions import db
    from tests.integration.assessment_review import factories

    enterprise = make_tenant("enterprise")
    factories.make_assessment(app, enterprise, 2024, finalise=True)  # profile: not opted in

    def state() -> tuple[set[bool], Any]:
        """The figures' opt-in flags, and when the division's snapshot was last refreshed
        (the marks' job runs inline after the commit in these tests)."""
        from assessment.benchmarks.models import BenchmarkRefresh

        with app.app_context(), system_scope(db.session, "test: figures"):
            flags = set(db.session.execute(sa.select(ResultFigure.opted_in).where(
                ResultFigure.tenant_id == enterprise.id)).scalars())
            assert refresh.pending([("platform", 2024, "division:C36")]) == 0
            refreshed = db.session.execute(sa.select(BenchmarkRefresh.refreshed_at).where(
                BenchmarkRefresh.year == 2024,
                BenchmarkRefresh.cohort_key == "division:C36")).scalar_one()
            db.rollback()
        return flags, refreshed

    flags, refreshed_before = state()
    assert flags == {False}

    def choose(opt_in: bool) -> None:
        with factories.acting_in(app, enterprise):
            user = factories.owner(enterprise)
            save_profile(factories.membership_of(enterprise, user), user, ProfileData(
                legal_name=f"{enterprise.name} Ltd", credit_code=factories.credit_code(),
                industry_division="C36", employees=600, revenue_wan="80000",
                province="35", benchmark_opt_in=opt_in))

    choose(True)
    flags, refreshed = state()
    assert flags == {True} and refreshed > refreshed_before  # marked, and refreshed
    choose(False)
    assert state()[0] == {False}
