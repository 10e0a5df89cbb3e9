"""The audit log: sign-ins, role changes, link changes and other security-relevant events."""

from __future__ import annotations

import uuid
from typing import Any

from flask import g, has_request_context, request
from flask_login import current_user

from tenants.db import db
from tenants.models import AuditEvent


def record(
    action: str,
    *,
    tenant_id: uuid.UUID | None = None,
    subject: str = "",
    actor_user_id: uuid.UUID | None = None,
    **details: Any,
) -> AuditEvent:
    event = AuditEvent(**event_values(action, tenant_id=tenant_id, subject=subject,
                                      actor_user_id=actor_user_id, **details))
    db.session.add(event)
    return event


def event_values(
    action: str,
    *,
    tenant_id: uuid.UUID | None = None,
    subject: str = "",
    actor_user_id: uuid.UUID | None = None,
    **details: Any,
) -> dict[str, Any]:
    """The columns :func:`record` writes (the request's address and id, the signed-in user
    as the actor by default), for a caller that inserts many events at once."""
    ip = request_id = None
    if has_request_context():
        ip = request.remote_addr
        request_id = g.get("request_id")
        if actor_user_id is None and current_user.is_authenticated:
            actor_user_id = current_user.id
    return {"tenant_id": tenant_id, "actor_user_id": actor_user_id, "action": action,
            "subject": subject[:200], "details": {k: str(v) for k, v in details.items()},
            "ip": ip, "request_id": request_id}
