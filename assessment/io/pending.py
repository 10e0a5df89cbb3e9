"""Holding an import until its user confirms it (services: change and flush)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import col

from assessment.io import queries
from assessment.io.models import PendingImport
from tenants.db import db


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hold(assessment_id: uuid.UUID, user_id: uuid.UUID, data: bytes) -> str:
    """Keep ``data`` for this user and assessment, replacing what they held; its digest."""
    discard(assessment_id, user_id)
    digest = digest_of(data)
    db.session.add(PendingImport(assessment_id=assessment_id, user_id=user_id, digest=digest,
                                 data=data))
    db.session.flush()
    return digest


def discard(assessment_id: uuid.UUID, user_id: uuid.UUID) -> None:
    for held in queries.held_imports(assessment_id, user_id):
        db.session.delete(held)
    db.session.flush()


# An import not confirmed within a day is abandoned: its user uploads the file again.
HELD_FOR = timedelta(days=1)


def purge_abandoned(now: datetime) -> int:
    """Delete every import held longer than :data:`HELD_FOR` (housekeeping, system scope)."""
    result = db.session.execute(delete(PendingImport).where(
        col(PendingImport.created_at) < now - HELD_FOR))
    return int(result.rowcount)  # type: ignore[attr-defined]
