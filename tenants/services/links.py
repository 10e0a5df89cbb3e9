"""Links between tenants: an association's members and a consultancy's clients.

The enterprise is in control: it accepts or declines a request, and may revoke an accepted
link at any time. Nothing crosses tenants without an accepted link, and then only what the
link grants.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert as sa_insert
from sqlmodel import col
from sqlmodel import select as sa_select

from tenants import queries
from tenants.billing import entitlements
from tenants.context import system_scope
from tenants.db import db
from tenants.errors import Conflict, DomainError, Forbidden, NotFound
from tenants.models import (
    AuditEvent,
    LinkGrant,
    LinkKind,
    LinkStatus,
    Role,
    Tenant,
    TenantKind,
    TenantLink,
    User,
)
from tenants.notifications import EventKind, notify, register_event
from tenants.services import audit
from tenants.types import utcnow

LINK_KIND_FOR_SOURCE = {
    TenantKind.association: LinkKind.association_member,
    TenantKind.consultancy: LinkKind.consultancy_client,
    # an enterprise acting as a lead manufacturer (链主) invites its suppliers
    TenantKind.enterprise: LinkKind.customer_supplier,
}


LINK_REQUESTED = register_event(EventKind(
    "link.requested", _l("Link requests from associations and consultancies"),
    _l("%(name)s asks to link with your enterprise"),
    _l("Open ChainGauge to accept or decline the request.")))


def _require_manager(tenant: Tenant, actor: User) -> None:
    member = queries.membership(tenant.id, actor.id)
    if member is None:
        raise NotFound(_l("Not found."))
    if not Role(member.role).manages_members:
        raise Forbidden(_l("Only owners and administrators can manage links."))


def _find_enterprise(identifier: str) -> Tenant:
    identifier = identifier.strip()
    tenant = queries.tenant_by_slug(identifier.lower())
    if tenant is None and "@" in identifier:
        user = queries.user_by_email(identifier)
        if user is not None:
            # another user's memberships: readable only in the system scope
            with system_scope(db.session, "link request: the enterprise an owner e-mail names"):
                owned = [t for t, m in queries.tenants_of_user(user.id)
                         if m.role == Role.owner and t.kind == TenantKind.enterprise]
            tenant = owned[0] if len(owned) == 1 else None
    if tenant is None or tenant.kind != TenantKind.enterprise:
        raise DomainError(
            _l("No enterprise found with this address or owner e-mail. "
               "The enterprise must have a ChainGauge account first."), "enterprise"
        )
    return tenant


def request_link(source: Tenant, actor: User, enterprise: str,
                 grants: Iterable[LinkGrant]) -> TenantLink:
    _require_manager(source, actor)
    kind = LINK_KIND_FOR_SOURCE.get(TenantKind(source.kind))
    if kind is None:
        raise Forbidden(_l("Only associations and consultancies invite enterprises."))
    grant_list = sorted({LinkGrant(g) for g in grants})
    if not grant_list:
        raise DomainError(_l("Choose at least one thing the link grants."), "grants")
    target = _find_enterprise(enterprise)
    if target.id == source.id:
        raise DomainError(_l("An enterprise cannot link with itself."), "enterprise")
    link = queries.link_between(source.id, target.id)
    if link is not None and link.status in (LinkStatus.pending, LinkStatus.accepted):
        raise Conflict(_l("This enterprise is already linked or has a pending request."),
                       "enterprise")
    entitlements.require_seat_for_link(source)
    if link is None:
        link = TenantLink(source_tenant_id=source.id, target_tenant_id=target.id, kind=kind)
        db.session.add(link)
    link.status = LinkStatus.pending
    link.grants = [str(g) for g in grant_list]
    link.requested_by_id = actor.id
    link.responded_by_id = None
    link.responded_at = None
    link.may_be_named = False
    audit.record("link.requested", tenant_id=source.id, subject=target.slug, grants=link.grants)
    audit.record("link.requested", tenant_id=target.id, subject=source.slug, grants=link.grants)
    with system_scope(db.session, "link request: the enterprise's managers to notify"):
        managers = [user.id for user, member in queries.members_of(target.id)
                    if Role(member.role).manages_members]
    notify(db.session, tenant_id=target.id, user_ids=managers, event=LINK_REQUESTED.key,
           params={"name": source.name}, url=f"/t/{target.slug}/links")
    db.session.flush()
    return link


def _link_for(tenant: Tenant, link_id: uuid.UUID, *, as_target: bool) -> TenantLink:
    link = queries.link_of_tenant(tenant.id, link_id)
    if link is None:
        raise NotFound(_l("Not found."))
    if as_target and link.target_tenant_id != tenant.id:
        raise Forbidden(_l("Only the enterprise can answer a link request."))
    return link


def respond(target: Tenant, actor: User, link_id: uuid.UUID, accept: bool,
            may_be_named: bool = False) -> TenantLink:
    _require_manager(target, actor)
    link = _link_for(target, link_id, as_target=True)
    if link.status != LinkStatus.pending:
        raise Conflict(_l("This request has already been answered."))
    link.status = LinkStatus.accepted if accept else LinkStatus.declined
    link.may_be_named = bool(accept and may_be_named)
    link.responded_by_id = actor.id
    link.responded_at = utcnow()
    action = "link.accepted" if accept else "link.declined"
    audit.record(action, tenant_id=target.id, subject=str(link.source_tenant_id))
    audit.record(action, tenant_id=link.source_tenant_id, subject=target.slug)
    db.session.flush()
    return link


def revoke(tenant: Tenant, actor: User, link_id: uuid.UUID) -> TenantLink:
    """The enterprise revokes a link, or the inviter withdraws it; either ends it."""
    _require_manager(tenant, actor)
    link = _link_for(tenant, link_id, as_target=False)
    if link.status not in (LinkStatus.pending, LinkStatus.accepted):
        raise Conflict(_l("This link is no longer active."))
    link.status = LinkStatus.revoked
    link.responded_by_id = actor.id
    link.responded_at = utcnow()
    other = link.source_tenant_id if link.target_tenant_id == tenant.id else link.target_tenant_id
    audit.record("link.revoked", tenant_id=tenant.id, subject=str(other))
    audit.record("link.revoked", tenant_id=other, subject=tenant.slug)
    db.session.flush()
    return link


def request_links_in_bulk(source: Tenant, actor: User | None, target_ids: Iterable[uuid.UUID],
                          grants: Iterable[LinkGrant]) -> dict[uuid.UUID, uuid.UUID]:
    """Ask many enterprises at once to link (a campaign's upload), set-based: one query for
    the existing links, one multi-row insert for the new ones. Returns {target: link id}.

    As with :func:`request_link`, the enterprise consents: a new link is pending until it
    accepts. An accepted or pending link is left as it is; a declined or revoked one is asked
    again (a new round is a new question). The enterprises' owners are not mailed here: the
    caller sends its own invitation.
    """
    kind = LINK_KIND_FOR_SOURCE.get(TenantKind(source.kind))
    if kind is None:
        raise Forbidden(_l("Only associations and consultancies invite enterprises."))
    grant_list = sorted(str(LinkGrant(g)) for g in set(grants))
    targets = [t for t in dict.fromkeys(target_ids) if t != source.id]
    found: dict[uuid.UUID, TenantLink] = {}
    for start in range(0, len(targets), 1000):
        chunk = targets[start:start + 1000]
        for link in db.session.exec(sa_select(TenantLink).where(
                TenantLink.source_tenant_id == source.id,
                col(TenantLink.target_tenant_id).in_(chunk))):
            found[link.target_tenant_id] = link
    now = utcnow()
    new_rows: list[dict[str, Any]] = []
    for target in targets:
        existing = found.get(target)
        if existing is None:
            row = {"id": uuid.uuid4(), "source_tenant_id": source.id, "target_tenant_id": target,
                   "kind": str(kind), "status": LinkStatus.pending.value, "grants": grant_list,
                   "may_be_named": False, "requested_by_id": actor.id if actor else None,
                   "created_at": now}
            new_rows.append(row)
        elif existing.status in (LinkStatus.declined, LinkStatus.revoked):
            existing.status = LinkStatus.pending
            existing.grants = grant_list
            existing.requested_by_id = actor.id if actor else None
            existing.responded_by_id = None
            existing.responded_at = None
            existing.may_be_named = False
    # every request holds a seat, as a single one does: the pending ones (the asked-again
    # among them, flushed by the count's query) and the new ones
    entitlements.require_seat_for_link(source, adding=len(new_rows))
    if new_rows:
        db.session.execute(sa_insert(TenantLink), new_rows)
    if targets:
        audit.record("link.requested", tenant_id=source.id, subject=f"{len(targets)}",
                     grants=grant_list, bulk=True)
        # each enterprise's own log shows the request too, as for a single one
        db.session.execute(sa_insert(AuditEvent), [
            {"id": uuid.uuid4(), "tenant_id": target, "actor_user_id": actor.id if actor else None,
             "action": "link.requested", "subject": source.slug[:200],
             "details": {"grants": str(grant_list)}, "created_at": now}
            for target in targets])
    db.session.flush()
    result = {target: link.id for target, link in found.items()}
    result.update({row["target_tenant_id"]: row["id"] for row in new_rows})
    return result
