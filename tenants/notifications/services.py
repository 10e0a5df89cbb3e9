"""Writes of notifications: telling users (:func:`notify`), marking read, the tenant's
robots and the user's choices of channel. They change and flush; the request commits."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from tenants import jobs, mail
from tenants.context import system_scope
from tenants.db import after_commit, db
from tenants.errors import DomainError, NotFound
from tenants.models import Tenant, User
from tenants.notifications.events import event_kind
from tenants.notifications.models import (
    Channel,
    Notification,
    NotificationDelivery,
    NotificationPreference,
    NotificationRobot,
    RobotKind,
)
from tenants.notifications.robots import check_url
from tenants.services import audit
from tenants.types import utcnow

_DRAIN_QUEUED = "_chaingauge_notifications_drain_queued"


def _absolute(url: str | None) -> str | None:
    if not url:
        return None
    if has_request_context():
        return request.host_url.rstrip("/") + url
    return f"{str(current_app.config['PUBLIC_URL']).rstrip('/')}{url}"


def _queue_drain() -> None:
    """Once per unit of work: after the commit, start the job that sends the outbox."""
    if g.get(_DRAIN_QUEUED):
        return
    setattr(g, _DRAIN_QUEUED, True)

    def start() -> None:
        g.pop(_DRAIN_QUEUED, None)
        from tenants.notifications import tasks  # the job module imports this one

        jobs.start(tasks.send_due)

    after_commit(start)


def notify(session: Session, *, tenant_id: uuid.UUID | None, user_ids: Iterable[uuid.UUID],
           event: str, params: Mapping[str, Any] | None = None,
           url: str | None = None) -> list[Notification]:
    """Tell ``user_ids`` about ``event``: one in-app notification each, and deliveries queued
    on their channels (e-mail unless they opted out) and on ``tenant_id``'s group robots that
    post this event. Nothing is sent before the unit of work commits, and the sending runs as
    a job, so a slow or failing robot never holds up the request.

    ``event`` is a key registered with :func:`~tenants.notifications.events.register_event`;
    ``params`` fill its texts' placeholders (names, years: words, never codes); ``url`` is a
    local path (``/t/<slug>/...``) that the notification links to.
    """
    kind = event_kind(event)
    if kind is None:
        raise ValueError(f"unregistered notification event {event!r}")
    if url is not None and (not url.startswith("/") or url.startswith("//")):
        raise ValueError("a notification links to a local path")
    values = {k: str(v) for k, v in (params or {}).items()}
    link = _absolute(url)
    wanted = list(dict.fromkeys(user_ids))
    created: list[Notification] = []
    robot_deliveries = 0
    default_locale = current_app.config["DEFAULT_LOCALE"]
    # The recipients are other users (and, for an invitation, not yet members): their rows,
    # preferences and the tenant's robots are written and read in a logged system scope.
    with system_scope(session, f"notifications: {event} to its recipients"):
        tenant = session.get(Tenant, tenant_id) if tenant_id else None
        users = list(session.exec(select(User).where(
            col(User.id).in_(wanted), col(User.is_active).is_(True)))) if wanted else []
        opted_out: set[uuid.UUID] = set()
        if users and kind.email:
            opted_out = set(session.exec(select(col(NotificationPreference.user_id)).where(
                col(NotificationPreference.user_id).in_([u.id for u in users]),
                col(NotificationPreference.event) == event,
                col(NotificationPreference.email).is_(False))))
        for user in sorted(users, key=lambda u: wanted.index(u.id)):
            note = Notification(user_id=user.id, tenant_id=tenant_id, event=event,
                                params=values, url=url)
            session.add(note)
            created.append(note)
            if (kind.email and user.id not in opted_out and user.email_verified_at
                    and not mail.is_suppressed()):
                session.add(NotificationDelivery(
                    tenant_id=tenant_id, channel=Channel.email, user_id=user.id, event=event,
                    params=values, link=link,
                    locale=user.locale or (tenant.locale if tenant else default_locale)))
        if kind.robot and tenant is not None:
            robots = session.exec(select(NotificationRobot).where(
                col(NotificationRobot.tenant_id) == tenant.id,
                col(NotificationRobot.enabled).is_(True)))
            for robot in robots:
                if event in (robot.events or []):
                    robot_deliveries += 1
                    session.add(NotificationDelivery(
                        tenant_id=tenant.id, channel=Channel.robot, robot_id=robot.id,
                        event=event, params=values, link=link, locale=tenant.locale))
        session.flush()
    if created or robot_deliveries:
        _queue_drain()
    return created


# -- the centre: marking read (compare-and-set) -------------------------------------------------
def mark_read(user_id: uuid.UUID, notification_id: uuid.UUID) -> bool:
    """Mark one of the user's notifications read; False when it already was. Another user's
    notification (or none) is a ``NotFound``."""
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != user_id:
        raise NotFound(_l("Not found."))
    result = db.session.execute(
        sa.update(Notification).where(col(Notification.id) == notification_id,
                                      col(Notification.user_id) == user_id,
                                      col(Notification.read_at).is_(None))
        .values(read_at=utcnow()).execution_options(synchronize_session=False))
    db.session.expire(note)
    return bool(getattr(result, "rowcount", 0))


def mark_all_read(user_id: uuid.UUID, up_to: datetime | None) -> int:
    """Mark read every unread notification of the user created up to ``up_to`` (the newest
    the page showed), so one that arrived since stays unread. Returns how many."""
    condition = [col(Notification.user_id) == user_id,
                 col(Notification.read_at).is_(None)]
    if up_to is not None:
        condition.append(col(Notification.created_at) <= up_to)
    result = db.session.execute(
        sa.update(Notification).where(*condition).values(read_at=utcnow())
        .execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0))


# -- the user's choices ----------------------------------------------------------------------
def set_email_preferences(user: User, chosen: Mapping[str, bool]) -> None:
    """Store whether each event reaches the user by e-mail (an upsert per event, decided by
    the primary key: two saves at once cannot both insert)."""
    for event, email in chosen.items():
        kind = event_kind(event)
        if kind is None or not kind.email:
            continue
        updated = db.session.execute(
            sa.update(NotificationPreference)
            .where(col(NotificationPreference.user_id) == user.id,
                   col(NotificationPreference.event) == event)
            .values(email=email, updated_at=utcnow())
            .execution_options(synchronize_session=False))
        if getattr(updated, "rowcount", 0):
            continue
        try:
            with db.session.begin_nested():
                db.session.add(NotificationPreference(user_id=user.id, event=event,
                                                      email=email))
        except IntegrityError:  # another save inserted it first: ours is the later word
            db.session.execute(
                sa.update(NotificationPreference)
                .where(col(NotificationPreference.user_id) == user.id,
                       col(NotificationPreference.event) == event)
                .values(email=email, updated_at=utcnow())
                .execution_options(synchronize_session=False))


# -- the tenant's robots -----------------------------------------------------------------------
def _robot(tenant: Tenant, robot_id: uuid.UUID) -> NotificationRobot:
    robot = db.session.get(NotificationRobot, (tenant.id, robot_id))
    if robot is None:
        raise NotFound(_l("Not found."))
    return robot


def _checked_events(events: Iterable[str]) -> list[str]:
    return sorted({e for e in events if (k := event_kind(e)) is not None and k.robot})


def add_robot(tenant: Tenant, *, kind: str, name: str, url: str, secret: str | None,
              events: Iterable[str]) -> NotificationRobot:
    try:
        robot_kind = RobotKind(kind)
    except ValueError as error:
        raise DomainError(_l("Choose the kind of robot."), "kind") from error
    name = (name or "").strip()
    if not name:
        raise DomainError(_l("Give the robot a name."), "name")
    robot = NotificationRobot(tenant_id=tenant.id, kind=robot_kind, name=name[:80],
                              url=check_url(robot_kind, url),
                              secret=(secret or "").strip() or None,
                              events=_checked_events(events))
    db.session.add(robot)
    audit.record("notifications.robot_added", tenant_id=tenant.id, subject=robot.name,
                 kind=robot_kind)
    db.session.flush()
    return robot


def update_robot(tenant: Tenant, robot_id: uuid.UUID, *, name: str, url: str | None,
                 secret: str | None, events: Iterable[str], enabled: bool
                 ) -> NotificationRobot:
    """Change a robot; an empty URL or secret keeps the stored one (they are never shown)."""
    robot = _robot(tenant, robot_id)
    name = (name or "").strip()
    if not name:
        raise DomainError(_l("Give the robot a name."), "name")
    robot.name = name[:80]
    if url and url.strip():
        robot.url = check_url(RobotKind(robot.kind), url)
    if secret and secret.strip():
        robot.secret = secret.strip()
    robot.events = _checked_events(events)
    robot.enabled = enabled
    audit.record("notifications.robot_changed", tenant_id=tenant.id, subject=robot.name)
    db.session.flush()
    return robot


def remove_robot(tenant: Tenant, robot_id: uuid.UUID) -> None:
    robot = _robot(tenant, robot_id)
    db.session.delete(robot)
    audit.record("notifications.robot_removed", tenant_id=tenant.id, subject=robot.name)
    db.session.flush()


def test_robot(tenant: Tenant, robot_id: uuid.UUID) -> NotificationDelivery:
    """Queue a test message to one robot (sent by the job like any other)."""
    robot = _robot(tenant, robot_id)
    with system_scope(db.session, "notifications: a robot test message"):
        delivery = NotificationDelivery(
            tenant_id=tenant.id, channel=Channel.robot, robot_id=robot.id,
            event="notifications.test", params={"tenant": tenant.name},
            link=_absolute(f"/t/{tenant.slug}/"), locale=tenant.locale)
        db.session.add(delivery)
        db.session.flush()
    _queue_drain()
    return delivery
