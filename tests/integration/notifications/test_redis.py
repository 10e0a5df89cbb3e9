"""With Redis, the send job is queued (the request does not send) and the worker runs it;
the periodic retry task is scheduled every minute."""

from __future__ import annotations

from datetime import datetime

import pytest

from tenants import jobs
from tenants.context import set_tenant
from tenants.extensions import db
from tenants.notifications import notify
from tenants.notifications.models import DeliveryStatus, NotificationDelivery
from tests.factories import owner_of
from tests.integration.notifications.test_robots import add_robot, deliveries
from tests.integration.test_jobs_and_redis import (  # noqa: F401 - fixtures
    REDIS_URL,
    redis_db,
    restore_jobs,
)


@pytest.mark.usefixtures("redis_db", "restore_jobs")
def test_with_redis_the_send_job_is_queued_and_run_by_the_worker(
        app, fresh_app, make_tenant, fetch, robots_allowed):
    tenant = make_tenant("enterprise")
    add_robot(app, tenant, robots_allowed.url("wecom"), "wecom")
    application = fresh_app(join=True, REDIS_URL=REDIS_URL,
                            NOTIFY_ROBOT_EXTRA_ORIGINS=[robots_allowed.origin])
    assert jobs.huey.immediate is False
    with application.test_request_context():
        set_tenant(db.session, tenant.id)
        notify(db.session, tenant_id=tenant.id, user_ids=[owner_of(app, tenant).id],
               event="link.requested", params={"name": "Queued"}, url="/")
        db.commit()
    assert robots_allowed.received == []  # queued, not sent by the request
    assert jobs.huey.pending_count() == 1
    task = jobs.huey.dequeue()
    assert task is not None and task.name.endswith("send_due")
    with application.app_context():
        jobs.huey.execute(task)
    assert [r.verdict for r in robots_allowed.received] == ["ok"]
    assert {d.status for d in deliveries(fetch)} == {DeliveryStatus.sent}
    assert {d.status for d in deliveries(fetch, "email")} == {DeliveryStatus.sent}
    assert fetch(NotificationDelivery)


def test_the_retry_task_runs_every_minute():
    due = jobs.huey.read_periodic(datetime(2026, 12, 3, 9, 17))
    assert "send_due_every_minute" in {t.name for t in due}
