"""An import waiting for its user's confirmation (it would clear many answers)."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from tenants.types import TenantScoped, tenant_foreign_key, timestamp_field


class PendingImport(TenantScoped, table=True):
    """The uploaded file, as uploaded, until its user confirms or uploads another.

    Identified by the SHA-256 of its bytes, looked up only with the assessment and the user
    who uploaded it, inside the tenant (ORM filter and row-level security): a digest seen by
    someone else confirms nothing."""

    __tablename__ = "pending_import"
    __table_args__ = (tenant_foreign_key("assessment_id", "assessment"),)

    assessment_id: uuid.UUID = Field(index=True)
    user_id: uuid.UUID = Field(foreign_key="app_user.id")
    digest: str = Field(max_length=64)
    data: bytes = Field(sa_type=sa.LargeBinary)
    created_at: datetime = timestamp_field()
