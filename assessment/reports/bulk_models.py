"""A bulk run: an association renders every member's report in one job, into one ZIP."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field

from tenants.types import TenantScoped, optional_timestamp_field, timestamp_field


class BulkStatus(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class BulkReportJob(TenantScoped, table=True):
    __tablename__ = "bulk_report_job"

    year: int
    lang: str = Field(max_length=2)
    status: str = Field(default=BulkStatus.queued, sa_type=sa.String(10))
    done: int = Field(default=0)
    total: int = Field(default=0)
    skipped: int = Field(default=0)  # members without a finalised assessment of the year
    # Set when the ZIP is complete.
    zip_path: str | None = Field(default=None, max_length=300)  # a file name in the folder
    error: str = Field(default="", max_length=500)
    requested_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    # The run's claim, decided by conditional UPDATEs (assessment/reports/tasks.py): which run
    # holds it ("<host>:<pid>:<random>"), until when without a sign of life, and how many
    # runs have claimed it (a run that kills its worker every time is not tried for ever).
    claimed_by: str | None = Field(default=None, max_length=80)
    lease_until: datetime | None = optional_timestamp_field()
    attempts: int = Field(default=0)
    created_at: datetime = timestamp_field()
    finished_at: datetime | None = optional_timestamp_field()
