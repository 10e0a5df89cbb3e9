"""Writes of the portfolio: the consultancy records who reviews a client and by when."""

from __future__ import annotations

import uuid
from datetime import date

from flask_babel import lazy_gettext as _l

from assessment.portfolio import queries
from assessment.portfolio.models import PortfolioAssignment
from tenants import queries as platform_queries
from tenants.db import db
from tenants.errors import DomainError, NotFound
from tenants.models import Role
from tenants.services import audit
from tenants.types import utcnow

REVIEWING_ROLES = (Role.owner, Role.admin, Role.assessor)


def assign(consultancy_id: uuid.UUID, client_id: uuid.UUID, reviewer_id: uuid.UUID | None,
           due_on: date | None, actor_id: uuid.UUID) -> PortfolioAssignment:
    """Record the reviewer (a member of the consultancy who may review) and the due date of
    a client the consultancy is linked with; last writer wins (it is a plan, not a
    decision)."""
    if queries.client_link(consultancy_id, client_id) is None:
        raise NotFound(_l("Not found."))
    if reviewer_id is not None:
        member = platform_queries.membership(consultancy_id, reviewer_id)
        if member is None or Role(member.role) not in REVIEWING_ROLES:
            raise DomainError(_l("Choose a member of your organisation who may review."),
                              "reviewer")
    found = queries.assignment(client_id)
    if found is None:
        found = PortfolioAssignment(client_tenant_id=client_id)
        db.session.add(found)
    found.reviewer_id = reviewer_id
    found.due_on = due_on
    found.updated_at = utcnow()
    db.session.flush()
    client = platform_queries.tenant_by_id(client_id)
    audit.record("portfolio.assigned", tenant_id=consultancy_id,
                 subject=client.name if client else "", actor_user_id=actor_id,
                 reviewer=str(reviewer_id) if reviewer_id else "",
                 due_on=due_on.isoformat() if due_on else "")
    return found
