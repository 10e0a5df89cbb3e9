"""The enterprise profile: one per enterprise tenant."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field

from tenants.types import TenantScoped, timestamp_field


class EnterpriseProfile(TenantScoped, table=True):
    __tablename__ = "enterprise_profile"
    __table_args__ = (sa.UniqueConstraint("tenant_id", name="uq_enterprise_profile_tenant"),)

    legal_name: str = Field(max_length=200)
    credit_code: str = Field(max_length=18)  # 统一社会信用代码, GB 32100-2015
    industry_division: str = Field(max_length=3, index=True)  # GB/T 4754-2017, "C13".."C43"
    employees: int = Field(ge=0)
    revenue_wan: Decimal = Field(sa_type=sa.Numeric(16, 2))  # 营业收入, 万元
    size_class: str = Field(max_length=10, index=True)  # derived: large/medium/small/micro
    province: str = Field(max_length=2, index=True)  # GB/T 2260 provincial code
    export_oriented: bool = Field(default=False)
    chain_leader: bool = Field(default=False)  # 供应链主导企业
    # Opt-in to the platform's anonymised benchmark pool.
    benchmark_opt_in: bool = Field(default=False)
    version: int = Field(default=1)
    updated_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    updated_at: datetime = timestamp_field()
