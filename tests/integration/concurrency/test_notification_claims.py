"""The notification outbox with real parallel connections: of several workers that pick up
one delivery, exactly one sends it (a compare-and-set claim the database decides), and a
request that queues a message to a slow, failing robot answers at once while the job
retries in the background."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.conftest import csrf_token
from tests.integration.concurrency.conftest import Committed, race
from tests.integration.notifications import listener as robot_listener


@pytest.fixture
def listener(committed: Committed) -> Iterator[robot_listener.Listener]:
    server = robot_listener.start()
    committed.app.config["NOTIFY_ROBOT_EXTRA_ORIGINS"] = [server.origin]
    committed.app.config["NOTIFY_ROBOT_TIMEOUT"] = 5
    try:
        yield server
    finally:
        server.stop()


def _robot_and_tenant(committed: Committed, url: str) -> tuple[object, object, object]:
    from tenants.context import set_tenant
    from tenants.extensions import db
    from tenants.notifications import services
    from tests import factories

    owner = committed.user(name="Owner")
    tenant = factories.make_tenant(committed.app, owner=owner)
    committed.tenant_ids.append(tenant.id)
    with committed.app.app_context(), committed.app.test_request_context():
        set_tenant(db.session, tenant.id)
        robot = services.add_robot(db.session.merge(tenant), kind="wecom", name="Group",
                                   url=url, secret=None, events=["link.requested"])
        db.commit()
    return tenant, owner, robot


def test_parallel_workers_send_one_delivery_once(committed: Committed,
                                                 listener: robot_listener.Listener) -> None:
    from tenants.context import system_scope
    from tenants.extensions import db
    from tenants.notifications import tasks
    from tenants.notifications.models import Channel, DeliveryStatus, NotificationDelivery

    tenant, _owner, robot = _robot_and_tenant(committed, listener.url("wecom"))
    with committed.app.app_context():
        with system_scope(db.session, "test: a queued delivery"):
            delivery = NotificationDelivery(
                tenant_id=tenant.id, channel=Channel.robot, robot_id=robot.id,  # type: ignore[attr-defined]
                event="link.requested", params={"name": "Parallel"}, locale="en")
            db.session.add(delivery)
            db.session.flush()
        db.commit()
    listener.delay = 0.3  # the first sender is still talking while the others try

    def worker() -> bool | None:
        with committed.app.app_context():
            return tasks.send_one(delivery.id)

    outcomes = race(*(worker for _ in range(4)))
    assert sorted(outcomes, key=str) == [None, None, None, True], outcomes
    assert len(listener.received) == 1
    [stored] = committed.read(NotificationDelivery, NotificationDelivery.id == delivery.id)
    assert (stored.status, stored.attempts) == (DeliveryStatus.sent, 1)


def test_a_failing_robot_does_not_hold_up_the_request(committed: Committed,
                                                      listener: robot_listener.Listener
                                                      ) -> None:
    from tenants import jobs
    from tenants.notifications.models import DeliveryStatus, NotificationDelivery

    tenant, owner, robot = _robot_and_tenant(committed, listener.url("wecom"))
    listener.mode, listener.delay = "fail", 2.0
    client = committed.client(owner)
    token = csrf_token(client, f"/t/{tenant.slug}/settings/notifications/")  # type: ignore[attr-defined]
    started = time.monotonic()
    response = client.post(
        f"/t/{tenant.slug}/settings/notifications/robots/{robot.id}/test",  # type: ignore[attr-defined]
        data={"csrf_token": token})
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 1.5, f"the request waited {elapsed:.1f} s for the robot"
    jobs.wait_for_background_jobs()
    [delivery] = committed.read(NotificationDelivery,
                                NotificationDelivery.tenant_id == tenant.id)  # type: ignore[attr-defined]
    assert (delivery.status, delivery.attempts, delivery.error_kind) == (
        DeliveryStatus.pending, 1, "platform")
    assert len(listener.received) == 1
