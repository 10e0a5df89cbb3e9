"""Notifications about an assessment: returned with comments, and finalised.

The events and their words live here, beside the lifecycle that makes them happen; the
platform (``tenants.notifications``) stores and delivers them. ``review.services`` tells the
assessors of a returned assessment; the finalisation reaches the enterprise's members and
the members of every organisation holding an accepted link to it through the
``on_finalised`` hook (``assessment.review`` registers :func:`on_finalised`).
"""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l

from assessment.assessments import queries
from assessment.assessments.hooks import Finalised
from assessment.assessments.models import Assessment, ReviewComment
from tenants import queries as platform_queries
from tenants.context import system_scope
from tenants.db import db
from tenants.models import LinkGrant, TenantLink
from tenants.notifications import EventKind, notify, register_event

RETURNED = register_event(EventKind(
    "assessment.returned", _l("An assessment returned with comments"),
    _l("The %(year)s assessment of %(enterprise)s was returned with comments"),
    _l("%(reviewer)s asks for changes. Open the assessment to read the comments, change "
       "the answers and submit it again.")))
REPLIED = register_event(EventKind(
    "assessment.comment_reply", _l("A reply to a review comment"),
    _l("%(author)s replied on the %(year)s assessment of %(enterprise)s"),
    _l("“%(excerpt)s” Open the review to read the conversation and answer.")))
FINALISED = register_event(EventKind(
    "assessment.finalised", _l("An assessment finalised"),
    _l("The %(year)s assessment of %(enterprise)s is final"),
    _l("Its scores and level are published. Open it to see the results.")))


def assessors_of(assessment: Assessment) -> list[uuid.UUID]:
    """Who worked on the assessment and still belongs to the enterprise: whoever started it,
    was given a page, or saved an answer."""
    tenant_id = assessment.tenant_id
    with system_scope(db.session, "notifications: the assessors of an assessment"):
        people = [assessment.created_by_id,
                  *queries.contributors(tenant_id, assessment.id)]
        members = {user.id for user, _m in platform_queries.members_of(tenant_id)}
    return [p for p in dict.fromkeys(people) if p is not None and p in members]


def returned(assessment: Assessment, reviewer_name: str) -> None:
    """Tell the assessors that the assessment came back with comments."""
    enterprise = platform_queries.tenant_by_id(assessment.tenant_id)
    if enterprise is None:
        return
    notify(db.session, tenant_id=enterprise.id, user_ids=assessors_of(assessment),
           event=RETURNED.key,
           params={"year": assessment.year, "enterprise": enterprise.name,
                   "reviewer": reviewer_name or enterprise.name},
           url=f"/t/{enterprise.slug}/assessments/{assessment.id}")


def _linked_url(slug: str, link: TenantLink, enterprise_id: uuid.UUID,
                assessment_id: uuid.UUID) -> str:
    if LinkGrant.review in link.grants:
        return f"/t/{slug}/clients/{enterprise_id}/assessments/{assessment_id}/results"
    if LinkGrant.reports in link.grants:
        return f"/t/{slug}/reports/clients/{enterprise_id}/"
    return f"/t/{slug}/links"


def on_finalised(event: Finalised) -> None:
    """Tell the enterprise's members, and the members of each organisation whose accepted
    link grants it something, that the assessment is final."""
    with system_scope(db.session, "notifications: who hears of a finalisation"):
        enterprise = platform_queries.tenant_by_id(event.tenant_id)
        if enterprise is None:
            return
        own = [user.id for user, _m in platform_queries.members_of(enterprise.id)]
        links = platform_queries.accepted_incoming_links(enterprise.id)
        linked = []
        for link in links:
            source = platform_queries.tenant_by_id(link.source_tenant_id)
            if source is None or not link.grants:
                continue
            members = [user.id for user, _m in platform_queries.members_of(source.id)]
            linked.append((source, link, members))
    params = {"year": event.year, "enterprise": enterprise.name}
    notify(db.session, tenant_id=enterprise.id, user_ids=own, event=FINALISED.key,
           params=params, url=f"/t/{enterprise.slug}/assessments/{event.assessment_id}/results")
    for source, link, members in linked:
        notify(db.session, tenant_id=source.id, user_ids=members, event=FINALISED.key,
               params=params,
               url=_linked_url(source.slug, link, enterprise.id, event.assessment_id))


def _excerpt(body: str, limit: int = 120) -> str:
    flat = " ".join(body.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def replied(assessment: Assessment, thread: list[ReviewComment], reply: ReviewComment,
            author_name: str) -> None:
    """Tell the other side of a review conversation that someone answered: everyone who
    wrote in the thread (but the replier), and, when the replier is an outside reviewer,
    the enterprise's assessors. Each hears of it in their own organisation's view of the
    assessment (the enterprise's review page, or the reviewer's linked one)."""
    enterprise = platform_queries.tenant_by_id(assessment.tenant_id)
    if enterprise is None:
        return
    by_tenant: dict[uuid.UUID, list[uuid.UUID]] = {}
    for said in thread:
        if said.author_id is not None and said.author_id != reply.author_id:
            by_tenant.setdefault(said.author_tenant_id or enterprise.id, []).append(
                said.author_id)
    if reply.author_tenant_id not in (None, enterprise.id):
        by_tenant.setdefault(enterprise.id, []).extend(
            p for p in assessors_of(assessment) if p != reply.author_id)
    if not author_name:
        author_tenant = platform_queries.tenant_by_id(reply.author_tenant_id or enterprise.id)
        author_name = author_tenant.name if author_tenant else enterprise.name
    params = {"author": author_name, "year": assessment.year, "enterprise": enterprise.name,
              "excerpt": _excerpt(reply.body)}
    for tenant_id, people in by_tenant.items():
        with system_scope(db.session, "notifications: who hears of a comment reply"):
            tenant = platform_queries.tenant_by_id(tenant_id)
            members = {user.id for user, _m in platform_queries.members_of(tenant_id)}
        if tenant is None:
            continue
        own = tenant_id == enterprise.id
        url = (f"/t/{tenant.slug}/assessments/{assessment.id}/review" if own else
               f"/t/{tenant.slug}/clients/{enterprise.id}/assessments/{assessment.id}/review")
        notify(db.session, tenant_id=tenant_id,
               user_ids=[p for p in dict.fromkeys(people) if p in members],
               event=REPLIED.key, params=params, url=url)
