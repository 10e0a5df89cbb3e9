"""The reminder job (the right actions, each reminder once), the measured effect of last
year's plan in the next year (moved, not moved, done but flat), and what an association
sees of its members' plans (counts only), on both databases."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import col

from assessment.assessments import queries as assessment_queries
from assessment.plans import queries, services
from assessment.plans.effect import measured_effect
from assessment.plans.members import member_progress
from assessment.plans.models import PlanReminder
from assessment.plans.reminders import remind
from assessment.results.services import assessment_results, current_revision
from tenants.models import LinkGrant, Role
from tenants.notifications.models import Notification
from tests.factories.assessments import ANSWERS, PREVIOUS_ANSWERS, make_assessment
from tests.factories.plans import actor_for, in_enterprise, make_plan

TODAY = date(2025, 6, 10)


def _set(app, enterprise, plan, index, *, owner=None, due=None, status=None):
    with in_enterprise(app, enterprise):
        item = list(queries.actions(plan.id))[index]
        actor = actor_for(enterprise)
        if owner is not None or due is not None:
            services.update_action(item, item.version, actor, owner_id=owner, due_date=due)
        for step in status or ():
            services.change_status(item, item.status, step, actor)
        return item.id, item.title


def test_reminders_reach_the_owners_of_due_and_overdue_actions_once(
        app, make_enterprise, make_user, add_member, outbox, fetch):
    enterprise = make_enterprise()
    owner = make_user(name="Action Owner", locale="en")
    add_member(enterprise, owner, Role.assessor)
    assessment = make_assessment(app, enterprise, 2024, finalise=True)
    plan = make_plan(app, enterprise, assessment, adopt=5)
    soon, soon_title = _set(app, enterprise, plan, 0, owner=owner.id,
                            due=TODAY + timedelta(days=3))
    late, late_title = _set(app, enterprise, plan, 1, owner=owner.id,
                            due=TODAY - timedelta(days=1))
    _set(app, enterprise, plan, 2, owner=owner.id, due=TODAY + timedelta(days=30))  # far off
    _set(app, enterprise, plan, 3, owner=owner.id, due=TODAY - timedelta(days=5),
         status=["planned", "done"])  # done: nothing to remind
    _set(app, enterprise, plan, 4, due=TODAY)  # nobody owns it

    with app.app_context():
        assert remind(on=TODAY, days=7) == 2
    # The finalisation's own notices go out too: only the reminders are counted here.
    reminders = lambda: [m for m in outbox()  # noqa: E731
                         if str(m["Subject"]).startswith(("Due on", "Overdue since"))]
    messages = reminders()
    assert sorted(m["To"] for m in messages) == [owner.email, owner.email]
    subjects = sorted(str(m["Subject"]) for m in messages)
    assert any(s.startswith("Due on") and soon_title in s for s in subjects)
    assert any(s.startswith("Overdue since") and late_title in s for s in subjects)
    assert all("/plan/actions/" in m.get_content() for m in messages)
    in_app = fetch(Notification, Notification.user_id == owner.id,
                   col(Notification.event).startswith("plan."))
    assert sorted(n.event for n in in_app) == ["plan.action_due", "plan.action_overdue"]
    assert all(n.url and "/plan/actions/" in n.url for n in in_app)
    sent = fetch(PlanReminder, PlanReminder.tenant_id == enterprise.id)
    assert sorted((r.action_id, r.step) for r in sent) == sorted(
        [(soon, "due_soon"), (late, "overdue")])

    with app.app_context():  # the next day's run: nothing new is due
        assert remind(on=TODAY, days=7) == 0
    assert len(reminders()) == 2
    with app.app_context():  # the soon one is overdue two weeks later: its second step
        assert remind(on=TODAY + timedelta(days=14), days=7) == 1
    assert len(reminders()) == 3


def test_the_measured_effect_of_last_years_plan(app, make_enterprise):
    enterprise = make_enterprise()
    then = make_assessment(app, enterprise, 2023, PREVIOUS_ANSWERS, finalise=True)
    with in_enterprise(app, enterprise):
        loaded = assessment_queries.assessment(then.id)
        actor = actor_for(enterprise)
        plan = services.create_plan(loaded, actor)
        moved = services.add_action(plan, actor, title="On-time delivery",
                                    indicator_codes=["lean.on_time_delivery_rate"])
        flat = services.add_action(plan, actor, title="Digital strategy",
                                   indicator_codes=["digital.strategy"])
        for item in (moved, flat):
            services.change_status(item, "proposed", "planned", actor)
            services.change_status(item, "planned", "done", actor)
        open_flat = services.add_action(plan, actor, title="Strategy, still open",
                                        indicator_codes=["digital.strategy"])
        ids = {"moved": moved.id, "flat": flat.id, "open": open_flat.id}
    now = make_assessment(app, enterprise, 2024, ANSWERS, finalise=True)
    with in_enterprise(app, enterprise):
        old = assessment_queries.assessment(then.id)
        new = assessment_queries.assessment(now.id)
        previous = queries.previous_plan(new)
        assert previous is not None and previous[1].id == old.id
        effects = {e.action.id: e for e in measured_effect(
            list(queries.actions(previous[0].id)), current_revision(old).results,
            assessment_results(new, compare=False).results)}
        on_time = effects[ids["moved"]]
        assert on_time.moved and not on_time.done_but_flat
        assert on_time.indicators[0].direction == "better"
        assert on_time.indicators[0].value_then != on_time.indicators[0].value_now
        assert effects[ids["flat"]].done_but_flat
        assert effects[ids["flat"]].indicators[0].direction == "unchanged"
        assert not effects[ids["open"]].done_but_flat  # flat, but not claimed done


def test_an_association_sees_counts_of_its_members_plans_only(
        app, make_enterprise, make_tenant, make_link, in_tenant):
    member = make_enterprise()
    outsider = make_enterprise()
    association = make_tenant("association")
    make_link(association, member, grants=[LinkGrant.scores])
    plans = {tenant.id: make_plan(app, tenant,
                                  make_assessment(app, tenant, 2024, finalise=True), adopt=3)
             for tenant in (member, outsider)}
    _set(app, member, plans[member.id], 0, due=TODAY - timedelta(days=2))

    rows = in_tenant(association, lambda: member_progress(association.id, TODAY))
    assert [r.enterprise_id for r in rows] == [member.id]  # not the outsider
    assert rows[0].counts["proposed"] == 3 and rows[0].total == 3
    assert rows[0].overdue == 1
