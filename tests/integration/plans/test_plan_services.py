"""Plan services against both databases: a plan built from the recommendations, edits with
their history and conflict detection, status changes as compare-and-set, comments with
replies from the enterprise and its consultancy, and the report's chapter."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask_babel import force_locale

from assessment.assessments import queries as assessment_queries
from assessment.plans import queries, services
from assessment.plans.chapter import plan_chapter
from assessment.plans.models import ActionStatus, PlanActionChange, SourceKind
from assessment.plans.proposals import proposals_for
from assessment.plans.services import Actor
from tenants.errors import Conflict, FieldErrors, Forbidden
from tenants.models import Role
from tests.factories import owner_of
from tests.factories.assessments import make_assessment
from tests.factories.plans import actor_for, in_enterprise, make_plan

LINE_NUMBER = re.compile(r"\d+\s*[–-]?\s*\d*\s*行")


@pytest.fixture
def finalised(app, make_enterprise):
    enterprise = make_enterprise()
    return enterprise, make_assessment(app, enterprise, 2024, finalise=True)


def test_a_plan_is_built_from_the_weakest_indicators_and_the_recommendations(app, finalised):
    enterprise, assessment = finalised
    with in_enterprise(app, enterprise):
        loaded = assessment_queries.assessment(assessment.id)
        proposals = proposals_for(loaded)
        kinds = {p.kind for p in proposals}
        assert SourceKind.indicator in kinds and SourceKind.measure in kinds
        # the what-if gives the gains; the largest overall gain comes first
        gains = [p.overall_gain or 0 for p in proposals if p.kind == SourceKind.indicator]
        assert gains == sorted(gains, reverse=True) and gains[0] > 0
        measure = next(p for p in proposals if p.kind == SourceKind.measure)
        cited = measure.source("zh")
        assert cited and "指南" in cited and not LINE_NUMBER.search(cited)
        english = measure.source("en") or ""
        assert "section" in english and "line" not in english

        actor = actor_for(enterprise)
        plan = services.create_plan(loaded, actor)
        assert services.create_plan(loaded, actor).id == plan.id  # one per assessment
        chosen = [proposals[0], measure]
        added = services.adopt(plan, chosen, actor)
        assert len(added) == 2
        assert services.adopt(plan, chosen, actor) == []  # adopted once
        first = added[0]
        assert first.status == ActionStatus.proposed
        assert first.indicator_codes == list(proposals[0].indicator_codes)
        assert first.overall_gain == proposals[0].overall_gain
        assert first.target_level == proposals[0].target_level
        assert len(queries.actions(plan.id)) == 2


def test_a_draft_has_no_plan_and_a_viewer_builds_none(app, make_enterprise, make_user,
                                                      add_member):
    enterprise = make_enterprise()
    draft = make_assessment(app, enterprise, 2024)
    viewer = make_user()
    add_member(enterprise, viewer, Role.viewer)
    with in_enterprise(app, enterprise):
        with pytest.raises(Conflict):
            services.create_plan(assessment_queries.assessment(draft.id), actor_for(enterprise))
        with pytest.raises(Forbidden):
            services.create_plan(assessment_queries.assessment(draft.id),
                                 actor_for(enterprise, viewer))


def test_an_edit_at_a_stale_version_is_a_conflict_and_history_is_kept(app, finalised,
                                                                      make_user, add_member):
    enterprise, assessment = finalised
    colleague = make_user(name="Colleague")
    add_member(enterprise, colleague, Role.assessor)
    plan = make_plan(app, enterprise, assessment, adopt=1)
    with in_enterprise(app, enterprise):
        item = queries.actions(plan.id)[0]
        actor = actor_for(enterprise)
        seen = item.version
        services.update_action(item, seen, actor, owner_id=colleague.id,
                               due_date=date(2025, 3, 31), notes="first")
        assert item.version == seen + 1 and item.owner_id == colleague.id
        with pytest.raises(Conflict) as refused:
            services.update_action(item, seen, actor_for(enterprise, colleague), notes="lost?")
        with force_locale("en"):
            assert "changed this action" in str(refused.value.message)
        assert queries.action(plan.id, item.id).notes == "first"
        changed = {h.field_name for h in queries.history(item.id)}
        assert changed == {"owner_id", "due_date", "notes"}
        assert all(isinstance(h, PlanActionChange) and h.changed_by_tenant_id == enterprise.id
                   for h in queries.history(item.id))


def test_the_owner_must_be_a_member(app, finalised, make_user):
    enterprise, assessment = finalised
    stranger = make_user()
    plan = make_plan(app, enterprise, assessment, adopt=1)
    with in_enterprise(app, enterprise):
        item = queries.actions(plan.id)[0]
        with pytest.raises(FieldErrors) as refused:
            services.update_action(item, item.version, actor_for(enterprise),
                                   owner_id=stranger.id)
        assert "owner_id" in refused.value.errors


def test_a_status_change_is_a_compare_and_set(app, finalised):
    enterprise, assessment = finalised
    plan = make_plan(app, enterprise, assessment, adopt=1)
    with in_enterprise(app, enterprise):
        item = queries.actions(plan.id)[0]
        actor = actor_for(enterprise)
        services.change_status(item, "proposed", "planned", actor)
        with pytest.raises(Conflict) as refused:  # a second click seen at "proposed"
            services.change_status(item, "proposed", "planned", actor)
        with force_locale("en"):
            assert "already changed" in str(refused.value.message)
        with pytest.raises(Conflict):  # not a transition
            services.change_status(item, "planned", "planned", actor)
        services.change_status(item, "planned", "in_progress", actor)
        services.change_status(item, "in_progress", "done", actor)
        assert item.status == ActionStatus.done and item.done_at is not None
        statuses = [(h.old_value, h.new_value) for h in queries.history(item.id)
                    if h.field_name == "status"]
        assert sorted(statuses) == sorted([("proposed", "planned"), ("planned", "in_progress"),
                                           ("in_progress", "done")])


def test_comments_and_replies_from_the_enterprise_and_its_consultancy(
        app, finalised, make_tenant, make_link):
    from tenants.models import LinkGrant

    enterprise, assessment = finalised
    consultancy = make_tenant("consultancy")
    make_link(consultancy, enterprise, grants=[LinkGrant.review])
    plan = make_plan(app, enterprise, assessment, adopt=1)
    # the consultancy's owner, acting for it (its memberships are read in its own scope)
    reviewer = Actor(owner_of(app, consultancy), consultancy.id, Role.owner)
    with in_enterprise(app, enterprise):
        item = queries.actions(plan.id)[0]
        question = services.add_comment(item, reviewer, "Who measures this?")
        answer = services.add_comment(item, actor_for(enterprise), "Our quality team.",
                                      question.id)
        found = queries.comments(item.id)
        assert [c.body for c in found] == ["Who measures this?", "Our quality team."]
        assert question.author_tenant_id == consultancy.id
        assert answer.parent_id == question.id and answer.author_tenant_id == enterprise.id
        with pytest.raises(FieldErrors):
            services.add_comment(item, actor_for(enterprise), "   ")


def test_the_report_chapter(app, finalised, make_enterprise):
    enterprise, assessment = finalised
    with in_enterprise(app, enterprise):
        assert plan_chapter(assessment_queries.assessment(assessment.id), "zh") is None
    make_plan(app, enterprise, assessment, adopt=3)
    with in_enterprise(app, enterprise):
        loaded = assessment_queries.assessment(assessment.id)
        chapter = plan_chapter(loaded, "en")
        assert chapter is not None and len(chapter.actions) == 3
        assert chapter.counts["proposed"] == 3 and "<svg" in chapter.matrix_svg
        assert all(row.status_label == "Proposed" for row in chapter.actions)
        zh = plan_chapter(loaded, "zh")
        assert zh is not None and zh.actions[0].status_label == "建议"
        assert not any(LINE_NUMBER.search(row.source or "") for row in zh.actions)
