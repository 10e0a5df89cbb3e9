"""Reads of evidence files (in the current tenant: the ORM filter applies)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import col, select

from assessment.evidence.models import EvidenceFile
from tenants.db import db


# -- reads --------------------------------------------------------------------------------
def files_of(assessment_id: uuid.UUID, code: str | None = None) -> Sequence[EvidenceFile]:
    statement = select(EvidenceFile).where(EvidenceFile.assessment_id == assessment_id)
    if code is not None:
        statement = statement.where(EvidenceFile.indicator_code == code)
    return db.session.exec(
        statement.order_by(col(EvidenceFile.indicator_code), col(EvidenceFile.uploaded_at))
    ).all()


def files_by_indicator(assessment_id: uuid.UUID) -> dict[str, list[EvidenceFile]]:
    grouped: dict[str, list[EvidenceFile]] = {}
    for evidence in files_of(assessment_id):
        grouped.setdefault(evidence.indicator_code, []).append(evidence)
    return grouped


def evidence_file(assessment_id: uuid.UUID, evidence_id: uuid.UUID) -> EvidenceFile | None:
    """A file of the current tenant's assessment; another tenant's is None (ORM filter)."""
    return db.session.exec(
        select(EvidenceFile).where(EvidenceFile.id == evidence_id,
                                   EvidenceFile.assessment_id == assessment_id)
    ).first()
