"""A group robot's webhook address and signing secret are sealed in the database and read
back plain by the app, on both databases."""

from __future__ import annotations

import sqlalchemy as sa

from tenants.context import set_tenant
from tenants.extensions import db
from tenants.notifications.models import NotificationRobot
from tests.integration.notifications.test_robots import add_robot

URL = "https://oapi.dingtalk.com/robot/send?access_token=5c6a1f0c0e4d4f8b9a7e"
SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"


def test_robot_credentials_are_sealed_at_rest(app, make_tenant, monkeypatch) -> None:
    from tenants.sealed import PREFIX

    tenant = make_tenant("enterprise")
    robot = add_robot(app, tenant, URL, "dingtalk", SECRET)
    with app.test_request_context():
        set_tenant(db.session, tenant.id)
        stored = db.session.execute(sa.text(
            "SELECT url, secret FROM notification_robot WHERE id = :id"),
            {"id": robot.id if db.dialect == "postgresql" else robot.id.hex}).one()
        assert stored.url.startswith(PREFIX) and stored.secret.startswith(PREFIX)
        assert "5c6a1f0c" not in stored.url and "SEC0123" not in stored.secret
        read = db.session.get(NotificationRobot, (tenant.id, robot.id), populate_existing=True)
        assert read is not None and (read.url, read.secret) == (URL, SECRET)
        db.rollback()

        # SECRET_KEY rotated without DATA_ENCRYPTION_KEY: nothing opens, nothing leaks
        monkeypatch.setitem(app.config, "SECRET_KEY", "another-secret-key-0123456789abcdef")
        set_tenant(db.session, tenant.id)
        read = db.session.get(NotificationRobot, (tenant.id, robot.id), populate_existing=True)
        assert read is not None and (read.url, read.secret) == ("", "")
        db.rollback()
