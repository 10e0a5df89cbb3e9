"""Reads of notifications: a user's centre, a tenant's robots and failed deliveries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import col, func, select

from tenants.db import db
from tenants.notifications.models import (
    Channel,
    DeliveryStatus,
    Notification,
    NotificationDelivery,
    NotificationPreference,
    NotificationRobot,
)

PAGE_SIZE = 20


def unread_count(user_id: uuid.UUID) -> int:
    return int(db.session.exec(select(func.count()).select_from(Notification).where(
        col(Notification.user_id) == user_id,
        col(Notification.read_at).is_(None))).one())


def page_of(user_id: uuid.UUID, page: int, size: int = PAGE_SIZE
            ) -> tuple[Sequence[Notification], int]:
    """One page of the user's notifications, newest first, and how many there are."""
    total = int(db.session.exec(select(func.count()).select_from(Notification).where(
        col(Notification.user_id) == user_id)).one())
    rows = db.session.exec(
        select(Notification).where(col(Notification.user_id) == user_id)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .offset((page - 1) * size).limit(size)).all()
    return rows, total


def notification_of(user_id: uuid.UUID, notification_id: uuid.UUID) -> Notification | None:
    note = db.session.get(Notification, notification_id)
    return note if note is not None and note.user_id == user_id else None


def robots_of(tenant_id: uuid.UUID) -> Sequence[NotificationRobot]:
    return db.session.exec(select(NotificationRobot).where(
        col(NotificationRobot.tenant_id) == tenant_id)
        .order_by(col(NotificationRobot.created_at))).all()


def robot_deliveries(tenant_id: uuid.UUID, limit: int = 20) -> Sequence[NotificationDelivery]:
    """The tenant's latest robot deliveries that failed or are being retried."""
    return db.session.exec(select(NotificationDelivery).where(
        col(NotificationDelivery.tenant_id) == tenant_id,
        col(NotificationDelivery.channel) == Channel.robot,
        sa.or_(col(NotificationDelivery.status) == DeliveryStatus.failed,
               col(NotificationDelivery.error_kind).is_not(None)))
        .order_by(col(NotificationDelivery.created_at).desc()).limit(limit)).all()


def email_opt_outs(user_id: uuid.UUID) -> set[str]:
    return set(db.session.exec(select(col(NotificationPreference.event)).where(
        col(NotificationPreference.user_id) == user_id,
        col(NotificationPreference.email).is_(False))))
