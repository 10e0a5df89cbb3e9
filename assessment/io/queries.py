"""Reads of the import package: the files held for confirmation."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlmodel import select

from assessment.io.models import PendingImport
from tenants.db import db
from tenants.types import utcnow

KEPT_FOR = timedelta(hours=24)


def held_imports(assessment_id: uuid.UUID, user_id: uuid.UUID) -> Sequence[PendingImport]:
    return db.session.exec(select(PendingImport).where(
        PendingImport.assessment_id == assessment_id, PendingImport.user_id == user_id)).all()


def held_import(assessment_id: uuid.UUID, user_id: uuid.UUID, digest: str) -> bytes | None:
    """The file this user holds for this assessment under ``digest`` (None: none, or older
    than :data:`KEPT_FOR`)."""
    found = db.session.exec(
        select(PendingImport).where(PendingImport.assessment_id == assessment_id,
                                    PendingImport.user_id == user_id,
                                    PendingImport.digest == digest,
                                    PendingImport.created_at >= utcnow() - KEPT_FOR)
    ).first()
    return None if found is None else found.data
