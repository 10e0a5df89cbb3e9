"""The consultancy's own record of each client engagement: who reviews it, by when.

A row belongs to the consultancy (its ``tenant_id``); the client is named by its tenant id
and reached only through the accepted link (``tenants.linked``), never through this row.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from tenants.types import TenantScoped, timestamp_field


class PortfolioAssignment(TenantScoped, table=True):
    __tablename__ = "portfolio_assignment"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "client_tenant_id", name="uq_portfolio_assignment"),
    )

    client_tenant_id: uuid.UUID = Field(foreign_key="tenant.id")
    reviewer_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    due_on: date | None = None
    updated_at: datetime = timestamp_field()
