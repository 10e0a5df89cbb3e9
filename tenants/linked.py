"""Acting inside a linked enterprise: the one place where a request crosses tenants.

A consultancy or association works on a client's or member's data from its own tenant's
URLs (``/t/<own-slug>/clients/<enterprise_id>/...``). :func:`enter_linked_enterprise`
checks that the enterprise accepted a link from the current tenant that grants what the
route needs, then switches the session's tenant context (ORM filter and PostgreSQL RLS) to
the enterprise for the rest of the request, and records the access in the enterprise's
audit log. Without such a link the enterprise does not exist for the caller (404).

Routes declare the grant they need (``tenant_blueprint(..., grant=...)`` or
``@access(grant=...)`` in :mod:`tenants.web`), which calls :func:`enter_linked_enterprise`
for every request whose URL names an ``enterprise_id``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask import abort, g
from flask_login import current_user

from tenants import queries
from tenants.context import set_tenant
from tenants.db import db
from tenants.models import LinkGrant, Membership, Tenant, TenantKind, TenantLink
from tenants.services import audit


@dataclass(frozen=True)
class LinkedEnterprise:
    enterprise: Tenant
    link: TenantLink
    acting_tenant: Tenant  # the consultancy or association whose URL this is


def enter_linked_enterprise(enterprise_id: uuid.UUID, grant: LinkGrant) -> LinkedEnterprise:
    """Switch this request into ``enterprise_id`` if its accepted link grants ``grant``.

    Call from a view of a ``tenant_blueprint`` (the current tenant is the linked one). A
    missing, pending, declined or revoked link, or one without ``grant``, is a 404. Calling
    it twice in one request for the same enterprise is harmless (the second call only
    returns the stored result).
    """
    entered: LinkedEnterprise | None = g.get("linked_enterprise")
    if entered is not None:
        if entered.enterprise.id != enterprise_id or grant not in entered.link.grants:
            abort(404)
        return entered
    acting: Tenant = g.tenant
    if acting.id == enterprise_id:
        abort(404)  # an enterprise reaches its own data through its own URLs
    link = queries.accepted_link(acting.id, enterprise_id, grant)
    enterprise = queries.tenant_by_id(enterprise_id) if link is not None else None
    if link is None or enterprise is None or enterprise.kind != TenantKind.enterprise:
        abort(404)
    set_tenant(db.session, enterprise.id)
    audit.record("link.accessed", tenant_id=enterprise.id, subject=acting.name,
                 actor_user_id=current_user.id, grant=grant, acting_tenant=acting.id)
    entered = LinkedEnterprise(enterprise=enterprise, link=link, acting_tenant=acting)
    g.linked_enterprise = entered
    return entered


def linked_enterprise() -> LinkedEnterprise | None:
    """The enterprise this request entered through a link, if any."""
    return g.get("linked_enterprise")


def link_args() -> dict[str, Any]:
    """URL values that keep a linked request inside its link (``enterprise_id``), for
    ``url_for`` in views and templates; empty for an enterprise's own pages."""
    entered = linked_enterprise()
    return {"enterprise_id": entered.enterprise.id} if entered else {}


def current_membership() -> Membership:
    """The signed-in user's membership in the tenant of the URL: in a linked request, the
    membership in the acting organisation, never one in the entered enterprise."""
    membership: Membership = g.membership
    return membership
