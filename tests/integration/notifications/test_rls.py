"""Row-level security of the notification tables (PostgreSQL): a user's statements reach
only their own notifications and choices, whatever the SQL; deliveries are read by their
tenant and written only in the system scope."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from tenants.context import set_tenant, set_user
from tenants.extensions import db
from tests.factories import owner_of
from tests.integration.notifications.test_robots import tell


def _raw(connection, statement: str, **params):
    return connection.execute(sa.text(statement), params)


@pytest.mark.postgres
def test_a_user_reaches_only_their_own_notifications(app, make_tenant, make_user, add_member):
    tenant = make_tenant("enterprise")
    owner, other = owner_of(app, tenant), make_user()
    add_member(tenant, other, "admin")
    tell(app, tenant, [owner.id, other.id])
    with app.app_context():
        set_tenant(db.session, tenant.id)
        set_user(db.session, owner.id)
        connection = db.session.connection()
        seen = _raw(connection, "SELECT user_id FROM notification").scalars().all()
        assert seen == [owner.id]
        changed = _raw(connection, "UPDATE notification SET read_at = now() "
                                   "WHERE user_id = :u", u=other.id).rowcount
        assert changed == 0
        savepoint = connection.begin_nested()
        with pytest.raises(DBAPIError):
            _raw(connection, "INSERT INTO notification (id, user_id, event, params, created_at)"
                             " VALUES (gen_random_uuid(), :u, 'x', '{}', now())", u=other.id)
        savepoint.rollback()
        # the tenant reads its deliveries (the channel page) but cannot change them
        assert _raw(connection, "SELECT count(*) FROM notification_delivery").scalar() == 2
        assert _raw(connection, "UPDATE notification_delivery SET status = 'sent'"
                    ).rowcount == 0
        db.session.rollback()


@pytest.mark.postgres
def test_another_tenants_deliveries_are_invisible(app, make_tenant):
    mine, theirs = make_tenant("enterprise"), make_tenant("enterprise")
    tell(app, theirs, [owner_of(app, theirs).id])
    with app.app_context():
        set_tenant(db.session, mine.id)
        connection = db.session.connection()
        assert _raw(connection, "SELECT count(*) FROM notification_delivery").scalar() == 0
        db.session.rollback()
