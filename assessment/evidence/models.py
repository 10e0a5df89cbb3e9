"""The evidence table: one uploaded file attached to one indicator of an assessment.

The file itself lives outside the web root under a random name (``storage``); the row keeps
what the user called it, what its content really is, its size and digest, and who sent it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from tenants.types import TenantScoped, tenant_foreign_key, timestamp_field


class EvidenceFile(TenantScoped, table=True):
    __tablename__ = "evidence_file"
    __table_args__ = (
        tenant_foreign_key("assessment_id", "assessment"),
        sa.UniqueConstraint("tenant_id", "stored_name", name="uq_evidence_stored_name"),
    )

    assessment_id: uuid.UUID = Field(index=True)
    indicator_code: str = Field(max_length=80)
    original_name: str = Field(max_length=255)  # as uploaded, for display only
    stored_name: str = Field(max_length=64)  # random; never derived from the upload
    content_type: str = Field(max_length=120)  # detected from the content, not the client
    size: int
    sha256: str = Field(max_length=64)
    uploaded_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    uploaded_at: datetime = timestamp_field()
