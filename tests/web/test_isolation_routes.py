"""Every tenant route, walked automatically: another tenant's object is a 404.

For each URL rule that carries a tenant slug or an object id, a signed-in owner of tenant A
asks (1) for tenant B's URL and (2) for its own tenant's URL naming B's objects. Both must
be 404: B's existence is never revealed. The walk is done as the owner of an enterprise,
of a consultancy and of an association, since each kind has routes of its own.
A new route is covered as soon as it is registered; if it takes an argument this test does
not know, the test fails and asks for an entry in ID_FACTORIES below.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from werkzeug.routing import Rule

from tests.conftest import csrf_token
from tests.factories import make_link, owner_of
from tests.integration.assessment_review import factories as review_factories
from tests.integration.campaigns import factories as campaign_factories

# Capability URLs (e-mailed tokens) and static files are not tenant objects.
NOT_TENANT_ARGUMENTS = {"token", "filename"}


@pytest.fixture
def world(app, make_tenant, make_user, tmp_path):
    """Tenant B (an enterprise) with one object of every kind, and two tenants A."""
    from assessment.assessments import queries as assessment_queries
    from assessment.assessments import services as lifecycle
    from assessment.evidence import services as evidence
    from tenants.extensions import db
    from tenants.models import LinkGrant, Membership, Role
    from tenants.services import memberships

    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    enterprise_b = make_tenant("enterprise")
    consultancy_b = make_tenant("consultancy")
    b_member = make_user()
    assessment = review_factories.make_assessment(app, enterprise_b)
    with review_factories.acting_in(app, enterprise_b):
        b_owner = db.session.merge(owner_of(app, enterprise_b))
        member = review_factories.membership_of(enterprise_b, b_owner)
        stored = assessment_queries.assessment(assessment.id)
        evidence_file = evidence.attach(stored, member, b_owner, "lean.on_time_delivery_rate",
                                        "x.pdf", io.BytesIO(review_factories.PDF))
        lifecycle.submit(stored, member)  # submitted: every review action has a target
        comment = lifecycle.add_comment(stored, b_owner, enterprise_b.id, "please check")
        invitation, _token = memberships.invite(db.session.merge(enterprise_b), b_owner,
                                                "someone@example.com", Role.viewer)
        db.session.add(Membership(tenant_id=enterprise_b.id, user_id=b_member.id,
                                  role=Role.viewer))
    with review_factories.acting_in(app, enterprise_b):
        from assessment.plans.models import ImprovementPlan, PlanAction

        # A plan row written directly: the walk needs B's action, not a finalised assessment.
        plan = ImprovementPlan(tenant_id=enterprise_b.id, assessment_id=assessment.id)
        db.session.add(plan)
        db.session.flush()
        plan_action = PlanAction(tenant_id=enterprise_b.id, plan_id=plan.id, title="B's action")
        db.session.add(plan_action)
    link = make_link(app, consultancy_b, enterprise_b,
                     grants=(LinkGrant.scores, LinkGrant.review, LinkGrant.reports))
    with review_factories.acting_in(app, enterprise_b):
        from tenants.notifications import notify
        from tenants.notifications import services as notification_services

        robot = notification_services.add_robot(
            db.session.merge(enterprise_b), kind="wecom", name="B's group",
            url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=b", secret=None,
            events=[])
        [notification] = notify(db.session, tenant_id=enterprise_b.id, user_ids=[b_member.id],
                                event="link.requested", params={"name": "B"},
                                url=f"/t/{enterprise_b.slug}/links")
    association_b = make_tenant("association")
    with review_factories.acting_in(app, association_b):
        from assessment.reports.bulk_models import BulkReportJob, BulkStatus

        bulk_job = BulkReportJob(year=2024, lang="zh", status=BulkStatus.done, total=1, done=1,
                                 zip_path="reports.zip")
        db.session.add(bulk_job)
    # B acts as a lead manufacturer: a supplier campaign with one participant and an upload
    campaign = campaign_factories.make_campaign(app, enterprise_b)
    campaign_upload = campaign_factories.upload(app, enterprise_b, campaign, campaign_factories
                                                .csv_bytes([campaign_factories.member_row(1)]))
    with app.test_request_context():
        from tenants.services import sessions

        # A signed-in session of tenant B's member: "Your sessions" must not reach it.
        b_session, _cookie = sessions.start(db.session.merge(b_member), "10.0.0.2", "", False)
        db.commit()
    return {
        "enterprise_a": make_tenant("enterprise"),
        "consultancy_a": make_tenant("consultancy"),
        "association_a": make_tenant("association"),
        "b": enterprise_b,
        "assessment": assessment,
        "evidence": evidence_file,
        "comment": comment,
        "invitation": invitation,
        "link": link,
        "member": b_member,
        "bulk_job": bulk_job,
        "user_session": b_session,
        "robot": robot,
        "notification": notification,
        "plan_action": plan_action,
        "campaign": campaign,
        "campaign_upload": campaign_upload,
    }


# How to name tenant B's object for each URL argument. Extend this when adding routes.
ID_FACTORIES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "user_id": lambda w: w["member"].id,
    "invitation_id": lambda w: w["invitation"].id,
    "link_id": lambda w: w["link"].id,
    "assessment_id": lambda w: w["assessment"].id,
    "evidence_id": lambda w: w["evidence"].id,
    "comment_id": lambda w: w["comment"].id,
    "enterprise_id": lambda w: w["b"].id,
    "job_id": lambda w: w["bulk_job"].id,
    "session_id": lambda w: w["user_session"].id,
    "robot_id": lambda w: w["robot"].id,
    "notification_id": lambda w: w["notification"].id,
    "action_id": lambda w: w["plan_action"].id,
    # a render's key is the hash of its content; tenant A has no render of that key
    "key": lambda w: "ab" * 32,
    "page": lambda w: "lean",
    "year": lambda w: 2024,
    "code": lambda w: "lean.on_time_delivery_rate",
    "campaign_id": lambda w: w["campaign"].id,
    "upload_id": lambda w: w["campaign_upload"].id,
    "fmt": lambda w: "csv",
}


def tenant_rules(app) -> list[Rule]:
    rules = []
    for rule in app.url_map.iter_rules():
        arguments = set(rule.arguments) - NOT_TENANT_ARGUMENTS
        if "slug" in arguments or any(a.endswith("_id") for a in arguments):
            rules.append(rule)
    return sorted(rules, key=lambda r: r.rule)


def _url(app, rule: Rule, slug: str, world: dict[str, Any]) -> str:
    values: dict[str, Any] = {}
    for argument in rule.arguments:
        if argument == "slug":
            values["slug"] = slug
        elif argument in ID_FACTORIES:
            values[argument] = ID_FACTORIES[argument](world)
        else:
            pytest.fail(f"{rule.rule}: add an ID_FACTORIES entry for <{argument}>")
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def test_the_walk_covers_the_platform_and_assessment_routes(app):
    endpoints = {rule.endpoint for rule in tenant_rules(app)}
    assert {"tenant.members", "tenant.change_role", "tenant.revoke_link",
            "questionnaire.page", "evidence.download", "review.finalise",
            "results.page", "reports.pdf", "reports.bulk_zip", "dashboard.index",
            "review.check", "review.confirm", "plans.page", "plans.action", "plans.edit",
            "plans.change_status", "plans.comment", "plans_members.members",
            "campaigns.board", "campaigns.upload_status", "campaigns.remind",
            "campaigns.export"} <= endpoints


@pytest.mark.parametrize("signed_in_as", ["enterprise_a", "consultancy_a", "association_a"])
def test_every_tenant_route_is_404_for_another_tenants_objects(app, client, world, sign_in,
                                                               signed_in_as):
    tenant_a = world[signed_in_as]
    assert sign_in(owner_of(app, tenant_a)).status_code == 302
    token = csrf_token(client, f"/t/{tenant_a.slug}/")
    failures = []
    for rule in tenant_rules(app):
        slugs = [world["b"].slug]
        if any(argument.endswith("_id") for argument in rule.arguments):
            slugs.append(tenant_a.slug)  # A's own space, naming B's objects
        for slug in slugs:
            url = _url(app, rule, slug, world)
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, data={"csrf_token": token},
                                           headers={"X-CSRFToken": token})
                if response.status_code != 404:
                    failures.append(f"{method} {url} ({rule.endpoint}) -> {response.status_code}")
    assert failures == []


def test_a_non_member_cannot_tell_a_tenant_exists(client, make_tenant, make_user, sign_in):
    existing = make_tenant()
    assert sign_in(make_user()).status_code == 302
    assert client.get(f"/t/{existing.slug}/").status_code == 404
    assert client.get(f"/t/no-such-{uuid.uuid4().hex[:6]}/").status_code == 404
