"""Sending the outbox: a job started after each commit that queued deliveries, a periodic
task (with Redis) that retries what is due, and ``flask notifications send`` for the
embedded mode's cron.

Each delivery is claimed by a conditional update (pending and due, or a claim whose lease
ran out) that also counts the attempt; the claim commits before the message is sent, so no
transaction is open while a robot answers, and two workers never send one delivery twice.
A failure is retried after ``NOTIFY_RETRY_SECONDS * 2**(attempts-1)``; after
``NOTIFY_MAX_ATTEMPTS`` attempts the delivery is ``failed``, with its reason, on the
tenant's channel page.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from huey import crontab
from sqlmodel import Session, col, select

from tenants.context import system_scope
from tenants.db import db
from tenants.jobs import app_periodic_task, app_task
from tenants.mail import deliver
from tenants.models import User
from tenants.notifications.events import render
from tenants.notifications.models import (
    Channel,
    DeliveryStatus,
    NotificationDelivery,
    NotificationRobot,
    RobotKind,
)
from tenants.notifications.robots import SendFailed
from tenants.notifications.robots import send as send_to_robot
from tenants.types import utcnow

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)  # a claim older than this belongs to a worker that died
BATCH = 200


def _due(now: datetime) -> list[uuid.UUID]:
    with db.commit_scope() as session, system_scope(session, "notifications: due deliveries"):
        return list(session.exec(select(col(NotificationDelivery.id)).where(sa.or_(
            sa.and_(col(NotificationDelivery.status) == DeliveryStatus.pending,
                    col(NotificationDelivery.next_attempt_at) <= now),
            sa.and_(col(NotificationDelivery.status) == DeliveryStatus.sending,
                    col(NotificationDelivery.claimed_at) < now - LEASE),
        )).order_by(col(NotificationDelivery.next_attempt_at)).limit(BATCH)))


def claim(delivery_id: uuid.UUID, token: uuid.UUID, now: datetime) -> bool:
    """Take one delivery for this worker: a compare-and-set the database decides (on
    PostgreSQL the second of two claimers waits for the first one's row lock, then finds the
    row no longer pending). Commits, so the claim holds while the message is sent."""
    with db.commit_scope() as session, system_scope(session, "notifications: claim"):
        result = session.execute(
            sa.update(NotificationDelivery)
            .where(col(NotificationDelivery.id) == delivery_id,
                   sa.or_(sa.and_(col(NotificationDelivery.status) == DeliveryStatus.pending,
                                  col(NotificationDelivery.next_attempt_at) <= now),
                          sa.and_(col(NotificationDelivery.status) == DeliveryStatus.sending,
                                  col(NotificationDelivery.claimed_at) < now - LEASE)))
            .values(status=DeliveryStatus.sending, claim_token=token, claimed_at=now,
                    attempts=col(NotificationDelivery.attempts) + 1)
            .execution_options(synchronize_session=False))
        return bool(getattr(result, "rowcount", 0))


@dataclass(frozen=True)
class _Message:
    """What one attempt needs, read before any transaction is left open: the address (an
    e-mail or a robot) and the texts in the recipient's language."""

    channel: str
    title: str
    body: str
    link: str | None
    email: str | None = None
    robot_kind: str | None = None
    robot_url: str | None = None
    robot_secret: str | None = None


# Names come from users (an organisation may call itself "[click](https://…)"): in a robot's
# markdown they must stay text, not become links or coloured tags in another tenant's group.
_MARKDOWN_ACTIVE = str.maketrans({"[": "［", "]": "］", "<": "＜", ">": "＞", "`": "'"})


def _prepare(session: Session, delivery: NotificationDelivery) -> _Message:
    params = delivery.params
    if delivery.channel == Channel.robot:
        params = {k: str(v).translate(_MARKDOWN_ACTIVE) for k, v in params.items()}
    title, body = render(delivery.event, params, delivery.locale)
    if delivery.channel == Channel.email:
        user = session.get(User, delivery.user_id)
        if user is None or not user.is_active:
            raise SendFailed("address", "no recipient")
        return _Message(Channel.email, title, body, delivery.link, email=user.email)
    robot = session.get(NotificationRobot, (delivery.tenant_id, delivery.robot_id))
    if robot is None:
        raise SendFailed("address", "robot removed")
    return _Message(Channel.robot, title, body, delivery.link, robot_kind=robot.kind,
                    robot_url=robot.url, robot_secret=robot.secret)


def _send(message: _Message) -> None:
    if message.channel == Channel.email:
        text = message.body + (f"\n\n{message.link}" if message.link else "")
        try:
            deliver.call_local(message.email, message.title, text)
        except Exception as error:  # the mail backend's own failure (SMTP)
            raise SendFailed("connection", type(error).__name__) from error
        return
    send_to_robot(RobotKind(message.robot_kind or ""), message.robot_url or "",
                  message.robot_secret, message.title, message.body, message.link)


def _finish(delivery_id: uuid.UUID, token: uuid.UUID, error: SendFailed | None,
            attempts: int, now: datetime) -> None:
    config = current_app.config
    if error is None:
        values: dict[str, object] = {"status": DeliveryStatus.sent, "sent_at": now,
                                     "error_kind": None, "error_detail": None}
    elif attempts >= int(config["NOTIFY_MAX_ATTEMPTS"]):
        values = {"status": DeliveryStatus.failed, "error_kind": error.kind,
                  "error_detail": error.detail}
    else:
        delay = float(config["NOTIFY_RETRY_SECONDS"]) * 2 ** (attempts - 1)
        values = {"status": DeliveryStatus.pending, "error_kind": error.kind,
                  "error_detail": error.detail,
                  "next_attempt_at": now + timedelta(seconds=delay)}
    with db.commit_scope() as session, system_scope(session, "notifications: outcome"):
        # only the claim's holder writes the outcome (a worker past its lease does not)
        session.execute(
            sa.update(NotificationDelivery)
            .where(col(NotificationDelivery.id) == delivery_id,
                   col(NotificationDelivery.claim_token) == token)
            .values(claim_token=None, **values)
            .execution_options(synchronize_session=False))


def send_one(delivery_id: uuid.UUID, now: datetime | None = None) -> bool | None:
    """Claim and send one delivery: True sent, False failed (to be retried or given up),
    None when another worker has it or it is not due."""
    now = now or utcnow()
    token = uuid.uuid4()
    if not claim(delivery_id, token, now):
        return None
    error: SendFailed | None = None
    message: _Message | None = None
    attempts = 1
    with db.commit_scope() as session, system_scope(session, "notifications: read"):
        delivery = session.get(NotificationDelivery, delivery_id)
        if delivery is None:
            return None
        attempts = delivery.attempts
        try:
            message = _prepare(session, delivery)
        except SendFailed as failed:
            error = failed
    if message is not None:
        try:
            _send(message)
        except SendFailed as failed:
            error = failed
    if error is not None:
        log.warning("notification delivery failed", extra={"reason": error.kind})
    _finish(delivery_id, token, error, attempts, now)
    return error is None


def drain(now: datetime | None = None) -> int:
    """Send every due delivery; how many went out."""
    sent = 0
    for delivery_id in _due(now or utcnow()):
        if send_one(delivery_id, now):
            sent += 1
    return sent


@app_task()
def send_due() -> None:
    drain()


@app_periodic_task(crontab(minute="*"))
def send_due_every_minute() -> None:
    drain()
