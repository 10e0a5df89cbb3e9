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
from sqlmodel import col, select

from assessment.assessments.hooks import Finalised
from assessment.assessments.models import Answer, Assessment, PageAssignment
from tenants import queries as platform_queries
from tenants.context import system_scope
from tenants.db import db
from tenants.models import LinkGrant, LinkStatus, TenantLink
from tenants.notifications import EventKind, notify, register_event

RETURNED = register_event(EventKind(
    "assessment.returned", _l("An assessment returned with comments"),
    _l("The %(year)s assessment of %(enterprise)s was returned with comments"),
    _l("%(reviewer)s asks for changes. Open the assessment to read the comments, change "
       "the answers and submit it again.")))
FINALISED = register_event(EventKind(
    "assessment.finalised", _l("An assessment finalised"),
    _l("The %(year)s assessment of %(enterprise)s is final"),
    _l("Its scores and level are published. Open it to see the results.")))


def assessors_of(assessment: Assessment) -> list[uuid.UUID]:
    """Who worked on the assessment and still belongs to the enterprise: whoever started it,
    was given a page, or saved an answer."""
    tenant_id = assessment.tenant_id
    with system_scope(db.session, "notifications: the assessors of an assessment"):
        people: list[uuid.UUID | None] = [assessment.created_by_id]
        people += db.session.exec(select(PageAssignment.user_id).where(
            PageAssignment.tenant_id == tenant_id,
            PageAssignment.assessment_id == assessment.id)).all()
        people += list(db.session.exec(select(Answer.updated_by_id).distinct().where(
            Answer.tenant_id == tenant_id, Answer.assessment_id == assessment.id,
            col(Answer.updated_by_id).is_not(None))))
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
        links = list(db.session.exec(select(TenantLink).where(
            TenantLink.target_tenant_id == enterprise.id,
            TenantLink.status == LinkStatus.accepted)))
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
