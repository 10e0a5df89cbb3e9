"""The demo's improvement plans: every status, owners, due dates (some overdue), comments
from the demo consultancy, and a second load that changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from sqlmodel import func, select

from assessment.demo import load
from assessment.plans.models import ActionStatus, ImprovementPlan, PlanAction, PlanComment
from assessment.plans.queries import is_overdue
from tenants.context import system_scope
from tenants.db import db
from tenants.queries import tenant_by_slug


def _all(model):
    with system_scope(db.session, "test: demo plans"):
        return list(db.session.exec(select(model)).all())


def test_the_demo_has_plans_in_every_status_with_the_consultancys_comments(app: Flask):
    with app.test_request_context():
        load(members=6)
        db.commit()
        plans = _all(ImprovementPlan)
        actions = _all(PlanAction)
        comments = _all(PlanComment)
        assert len(plans) == 2 + 2  # the demo enterprise's two years, two clients' latest
        assert {a.status for a in actions} == {s.value for s in ActionStatus}
        assert all(a.owner_id is not None for a in actions)
        today = datetime.now(UTC).date()
        assert any(is_overdue(a, today) for a in actions)
        consultancy = tenant_by_slug("demo-consultancy")
        assert consultancy is not None
        assert any(c.author_tenant_id == consultancy.id for c in comments)
        assert any(c.parent_id is not None for c in comments)  # the enterprise replied
        with system_scope(db.session, "test: count"):
            before = db.session.exec(select(func.count()).select_from(PlanAction)).one()
        load(members=6)
        db.commit()
        with system_scope(db.session, "test: count again"):
            assert db.session.exec(select(func.count()).select_from(PlanAction)).one() == before
        db.rollback()


def test_the_demo_enterprises_current_year_is_copied_forward_and_partly_confirmed(
        app: Flask):
    from assessment.assessments import carryover
    from assessment.assessments import queries as assessment_queries
    from assessment.assessments.models import Answer
    from assessment.demo import DRAFT_YEAR, FINALISED_YEARS
    from tenants.context import set_tenant

    with app.test_request_context():
        load(members=2)
        db.commit()
        own = tenant_by_slug("demo-enterprise")
        assert own is not None
        set_tenant(db.session, own.id)
        draft = assessment_queries.assessment_for_year(DRAFT_YEAR)
        last = assessment_queries.assessment_for_year(FINALISED_YEARS[-1])
        assert draft is not None and last is not None
        copy = carryover.copy_of(draft.id)
        assert copy is not None
        answers = list(db.session.exec(select(Answer).where(Answer.assessment_id == draft.id)))
        marked = [a for a in answers if a.carried_from_id == last.id]
        # some still to confirm, some confirmed or typed over: the loop mid-way
        assert 0 < len(marked) < len(answers)
        assert len(carryover.unconfirmed(draft)) >= len(marked)
