"""Tables of a campaign: the round itself, its participants, the reminders sent, uploads.

A campaign belongs to its owner (an association, a consultancy, or an enterprise acting as a
lead manufacturer); participants are the owner's rows too, until an enterprise signs up or
is linked (``enterprise_tenant_id``). What the enterprise has done is never copied here: the
status board reads it through the accepted link (``queries.py``).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from tenants.types import (
    TenantScoped,
    optional_timestamp_field,
    tenant_foreign_key,
    timestamp_field,
)


class Status(StrEnum):
    """Where a participant stands; derived when read, never stored."""

    invited = "invited"
    signed_up = "signed_up"
    in_progress = "in_progress"
    submitted = "submitted"
    returned = "returned"
    finalised = "finalised"
    declined = "declined"
    overdue = "overdue"


class Campaign(TenantScoped, table=True):
    name: str = Field(max_length=200)
    year: int
    framework_id: str = Field(max_length=60)
    framework_version: str = Field(max_length=30)
    grants: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    deadline: date
    # Reminders go out this many days before the deadline, escalations this many after it.
    remind_days_before: list[int] = Field(default_factory=list, sa_type=sa.JSON)
    escalate_days_after: list[int] = Field(default_factory=list, sa_type=sa.JSON)
    invitation_zh: str = Field(default="", max_length=4000)
    invitation_en: str = Field(default="", max_length=4000)
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = timestamp_field()
    closed_at: datetime | None = optional_timestamp_field()


class Participant(TenantScoped, table=True):
    __tablename__ = "campaign_participant"
    __table_args__ = (
        tenant_foreign_key("campaign_id", "campaign"),
        sa.UniqueConstraint("tenant_id", "campaign_id", "credit_code",
                            name="uq_campaign_participant_code"),
        sa.Index("ix_campaign_participant_board", "tenant_id", "campaign_id", "company_name"),
    )

    campaign_id: uuid.UUID
    company_name: str = Field(max_length=200)
    credit_code: str = Field(max_length=18)  # 统一社会信用代码, GB 32100-2015
    contact_name: str = Field(default="", max_length=120)
    email: str = Field(max_length=254)
    industry: str = Field(default="", max_length=3)
    size: str = Field(default="", max_length=10)
    province: str = Field(default="", max_length=2)
    # The enterprise once it signed up or was found by its credit code.
    enterprise_tenant_id: uuid.UUID | None = Field(default=None, foreign_key="tenant.id",
                                                   index=True)
    invited_at: datetime = timestamp_field()
    joined_at: datetime | None = optional_timestamp_field()
    declined_at: datetime | None = optional_timestamp_field()


class Reminder(TenantScoped, table=True):
    """One message of the cadence to one participant. The unique key is what makes a step go
    out once, whatever number of reminder runs race (``reminders.py``)."""

    __tablename__ = "campaign_reminder"
    __table_args__ = (
        tenant_foreign_key("participant_id", "campaign_participant"),
        sa.UniqueConstraint("tenant_id", "participant_id", "step", name="uq_campaign_reminder"),
    )

    campaign_id: uuid.UUID = Field(index=True)
    participant_id: uuid.UUID
    # "before:7", "after:3", or "now:<uuid>" for one sent by the owner's hand
    step: str = Field(max_length=60)
    sent_at: datetime = timestamp_field()


class UploadState(StrEnum):
    queued = "queued"
    done = "done"
    refused = "refused"


class Upload(TenantScoped, table=True):
    """A participant list being checked and applied by a job: the page polls it."""

    __tablename__ = "campaign_upload"
    __table_args__ = (tenant_foreign_key("campaign_id", "campaign"),)

    campaign_id: uuid.UUID = Field(index=True)
    filename: str = Field(default="", max_length=200)
    data: bytes = Field(sa_type=sa.LargeBinary)
    lang: str = Field(default="zh", max_length=5)
    state: str = Field(default=UploadState.queued, sa_type=sa.String(20))
    problems: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    counts: dict[str, int] = Field(default_factory=dict, sa_type=sa.JSON)
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = timestamp_field()
    finished_at: datetime | None = optional_timestamp_field()
