"""Tables of notifications: what a user was told (the in-app centre), what is still to be
sent on a channel (the outbox), the tenants' group robots and the users' choices.

``notification``, ``notification_delivery`` and ``notification_preference`` are platform
tables (a notification belongs to a user, who may not be a member of the tenant it is about,
e.g. an invitation); row-level security limits them to their user, or (deliveries) lets the
tenant read its own, and the system scope writes them (migration 0021). A robot belongs to
one tenant and is tenant-scoped like any other row.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tenants.sealed import SealedString, sealed_length
from tenants.types import TenantScoped, optional_timestamp_field, timestamp_field


class RobotKind(StrEnum):
    wecom = "wecom"  # 企业微信 group robot: the key is in the URL, no signature
    dingtalk = "dingtalk"  # 钉钉: signed timestamp (ms) and sign in the query string
    feishu = "feishu"  # 飞书 / Lark: signed timestamp (s) and sign in the JSON body


class Channel(StrEnum):
    email = "email"
    robot = "robot"


class DeliveryStatus(StrEnum):
    pending = "pending"  # waiting for its (next) attempt
    sending = "sending"  # claimed by a worker
    sent = "sent"
    failed = "failed"  # gave up after the last attempt


class Notification(SQLModel, table=True):
    """One event told to one user: the in-app centre lists these, newest first."""

    __tablename__ = "notification"
    __table_args__ = (sa.Index("ix_notification_user_created", "user_id", "created_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="app_user.id")
    # the tenant the event is about (its name is in the text; the link goes into it)
    tenant_id: uuid.UUID | None = Field(default=None, foreign_key="tenant.id")
    event: str = Field(max_length=60)
    params: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    url: str | None = Field(default=None, max_length=500)  # a local path, never another host
    created_at: datetime = timestamp_field()
    read_at: datetime | None = optional_timestamp_field()


class NotificationDelivery(SQLModel, table=True):
    """The outbox: one message to send on one channel, by a job after the commit.

    The text is rendered when it is sent, in ``locale``; the row keeps the event and its
    parameters rather than a rendered body, so that nothing is sent that the commit did not
    keep. Claimed by a conditional update (``claim_token``) so two workers never send it
    twice; retried with exponential backoff, then ``failed``.
    """

    __tablename__ = "notification_delivery"
    __table_args__ = (
        sa.Index("ix_notification_delivery_due", "status", "next_attempt_at"),
        sa.Index("ix_notification_delivery_tenant", "tenant_id", "created_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID | None = Field(default=None, foreign_key="tenant.id")
    channel: str = Field(sa_type=sa.String(10))
    user_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")  # e-mail
    robot_id: uuid.UUID | None = Field(default=None)  # robot: its row in the tenant
    event: str = Field(max_length=60)
    params: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    link: str | None = Field(default=None, max_length=600)  # absolute, for mail and robots
    locale: str = Field(default="zh_CN", max_length=10)
    status: str = Field(default=DeliveryStatus.pending, sa_type=sa.String(10))
    attempts: int = Field(default=0)
    next_attempt_at: datetime = timestamp_field()
    claim_token: uuid.UUID | None = Field(default=None)
    claimed_at: datetime | None = optional_timestamp_field()
    error_kind: str | None = Field(default=None, max_length=20)
    error_detail: str | None = Field(default=None, max_length=200)
    created_at: datetime = timestamp_field()
    sent_at: datetime | None = optional_timestamp_field()


ROBOT_URL_LENGTH = 500
ROBOT_SECRET_LENGTH = 200


class NotificationRobot(TenantScoped, table=True):
    """A tenant's group robot (WeCom, DingTalk or Feishu), set up by its administrators."""

    __tablename__ = "notification_robot"

    kind: str = Field(sa_type=sa.String(10))
    name: str = Field(max_length=80)
    # The webhook address holds the robot's key, shown masked; the signing secret is never
    # shown. Both are sealed at rest (tenants.sealed).
    url: str = Field(max_length=ROBOT_URL_LENGTH,
                     sa_type=SealedString(sealed_length(ROBOT_URL_LENGTH)))
    secret: str | None = Field(default=None, max_length=ROBOT_SECRET_LENGTH,
                               sa_type=SealedString(sealed_length(ROBOT_SECRET_LENGTH)))
    events: list[str] = Field(default_factory=list, sa_type=sa.JSON)  # empty: none
    enabled: bool = Field(default=True)
    created_at: datetime = timestamp_field()


class NotificationPreference(SQLModel, table=True):
    """A user's choice of channels for one kind of event (no row: the event's default)."""

    __tablename__ = "notification_preference"

    user_id: uuid.UUID = Field(foreign_key="app_user.id", primary_key=True)
    event: str = Field(primary_key=True, max_length=60)
    email: bool = Field(default=True)
    updated_at: datetime = timestamp_field()
