"""A tenant's branding for the reports it issues (consultancies for their clients)."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from assessment.design_tokens import colour
from tenants.types import TenantScoped, timestamp_field

DEFAULT_BRAND_COLOUR = colour("brand")


class TenantBranding(TenantScoped, table=True):
    __tablename__ = "tenant_branding"
    __table_args__ = (sa.UniqueConstraint("tenant_id", name="uq_tenant_branding_tenant"),)

    # Already sanitised (assessment.reports.logos): a re-encoded PNG or an allow-listed SVG.
    logo: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    logo_media_type: str | None = Field(default=None, max_length=20)
    brand_colour: str = Field(default=DEFAULT_BRAND_COLOUR, max_length=7)
    footer_text: str = Field(default="", max_length=200)
    version: int = Field(default=1)
    updated_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    updated_at: datetime = timestamp_field()
