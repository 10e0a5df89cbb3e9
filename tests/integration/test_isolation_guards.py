"""The two tenant guards: the ORM filter (every backend) and row-level security (PostgreSQL).

The RLS tests speak raw SQL on the app's own connection, i.e. as the app role, which is
neither owner nor superuser: that is the role production uses.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from tenants.context import (
    CrossTenantWrite,
    TenantContextMissing,
    set_tenant,
    system_scope,
)
from tenants.extensions import db
from tenants.models import Invitation
from tenants.types import tenant_scoped_tables, utcnow


def _invitation(tenant_id: uuid.UUID, email: str) -> Invitation:
    return Invitation(tenant_id=tenant_id, email=email, role="viewer",
                      token_hash=uuid.uuid4().hex, expires_at=utcnow() + timedelta(days=1))


@pytest.fixture
def two_tenants(app, make_tenant):
    """Tenants A and B with one invitation each."""
    tenant_a, tenant_b = make_tenant(), make_tenant()
    with app.app_context():
        with system_scope(db.session, "test setup"):
            db.session.add_all([_invitation(tenant_a.id, "a@example.com"),
                                _invitation(tenant_b.id, "b@example.com")])
            db.session.flush()
        db.commit()
    return tenant_a, tenant_b


def test_orm_filter_returns_only_the_current_tenants_rows(app, two_tenants):
    tenant_a, _tenant_b = two_tenants
    with app.app_context():
        set_tenant(db.session, tenant_a.id)
        emails = db.session.exec(select(Invitation.email)).all()
        assert emails == ["a@example.com"]


def test_orm_filter_hides_another_tenants_row_even_by_primary_key(app, two_tenants):
    tenant_a, tenant_b = two_tenants
    with app.app_context():
        with system_scope(db.session, "test"):
            b_id = db.session.exec(select(Invitation.id).where(Invitation.tenant_id == tenant_b.id)
                                   ).one()
        set_tenant(db.session, tenant_a.id)
        assert db.session.exec(select(Invitation).where(Invitation.id == b_id)).first() is None


def test_switching_tenants_back_and_forth_filters_by_the_tenant_of_the_moment(app, two_tenants):
    """The filter's options are built once per tenant and reused: each must keep its own id."""
    tenant_a, tenant_b = two_tenants
    with app.app_context():
        seen = []
        for tenant in (tenant_a, tenant_b, tenant_a, tenant_b):
            set_tenant(db.session, tenant.id)
            seen.append(db.session.exec(select(Invitation.email)).all())
        assert seen == [["a@example.com"], ["b@example.com"], ["a@example.com"],
                        ["b@example.com"]]


def test_query_without_tenant_raises_instead_of_returning_everything(app, two_tenants):
    with app.app_context(), pytest.raises(TenantContextMissing):
        db.session.exec(select(Invitation)).all()


def test_system_scope_sees_every_tenant(app, two_tenants):
    with app.app_context(), system_scope(db.session, "test"):
        emails = sorted(db.session.exec(select(Invitation.email)).all())
        assert emails == ["a@example.com", "b@example.com"]


def test_new_row_is_stamped_with_the_current_tenant(app, two_tenants):
    tenant_a, _ = two_tenants
    with app.app_context():
        set_tenant(db.session, tenant_a.id)
        row = Invitation(email="new@example.com", role="viewer", token_hash=uuid.uuid4().hex,
                         expires_at=utcnow())
        db.session.add(row)
        db.session.flush()
        assert row.tenant_id == tenant_a.id


def test_writing_into_another_tenant_is_refused(app, two_tenants):
    tenant_a, tenant_b = two_tenants
    with app.app_context():
        set_tenant(db.session, tenant_a.id)
        db.session.add(_invitation(tenant_b.id, "intruder@example.com"))
        with pytest.raises(CrossTenantWrite):
            db.session.flush()
        db.session.rollback()


def test_every_tenant_scoped_table_leads_its_key_with_tenant_id():
    for table in tenant_scoped_tables():
        assert table.primary_key.columns.keys()[0] == "tenant_id", table.name


# -- row-level security: raw SQL as the app role -------------------------------------------
def _raw(connection, statement: str, **params):
    return connection.execute(sa.text(statement), params)


def _set(connection, tenant_id) -> None:
    _raw(connection, "SELECT set_config('app.tenant_id', :t, true)",
         t=str(tenant_id) if tenant_id else "")


@pytest.fixture
def app_role_connection(app, two_tenants):
    """The test's own connection (the app role) with both tenants' rows in place."""
    with app.app_context():
        yield db.session.connection()


@pytest.mark.postgres
def test_the_app_role_is_neither_superuser_nor_owner_nor_bypassing(app_role_connection):
    row = _raw(app_role_connection,
               "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user").one()
    assert tuple(row) == (False, False)
    for table in tenant_scoped_tables():
        owner = _raw(app_role_connection,
                     "SELECT tableowner FROM pg_tables WHERE tablename = :t", t=table.name).scalar()
        assert owner != _raw(app_role_connection, "SELECT current_user").scalar()
        forced = _raw(app_role_connection,
                      "SELECT relrowsecurity AND relforcerowsecurity FROM pg_class "
                      "WHERE relname = :t", t=table.name).scalar()
        assert forced, f"{table.name} has no forced row-level security"


@pytest.mark.postgres
def test_raw_sql_with_no_tenant_set_sees_no_rows(app_role_connection):
    _set(app_role_connection, None)
    for table in tenant_scoped_tables():
        assert _raw(app_role_connection, f'SELECT count(*) FROM "{table.name}"').scalar() == 0


@pytest.mark.postgres
def test_raw_sql_reads_only_the_current_tenants_rows(app_role_connection, two_tenants):
    tenant_a, _ = two_tenants
    _set(app_role_connection, tenant_a.id)
    rows = _raw(app_role_connection, "SELECT tenant_id, email FROM invitation").all()
    assert [(r.tenant_id, r.email) for r in rows] == [(tenant_a.id, "a@example.com")]


@pytest.mark.postgres
def test_raw_sql_cannot_update_or_delete_another_tenants_rows(app_role_connection, two_tenants):
    tenant_a, tenant_b = two_tenants
    _set(app_role_connection, tenant_a.id)
    updated = _raw(app_role_connection, "UPDATE invitation SET email = 'x' WHERE tenant_id = :b",
                   b=tenant_b.id)
    deleted = _raw(app_role_connection, "DELETE FROM invitation WHERE tenant_id = :b",
                   b=tenant_b.id)
    assert (updated.rowcount, deleted.rowcount) == (0, 0)


@pytest.mark.postgres
def test_raw_sql_cannot_insert_or_move_a_row_into_another_tenant(app_role_connection, two_tenants):
    from sqlalchemy.exc import ProgrammingError

    tenant_a, tenant_b = two_tenants
    _set(app_role_connection, tenant_a.id)
    insert = ("INSERT INTO invitation (tenant_id, id, email, role, token_hash, created_at, "
              "expires_at) VALUES (:b, :id, 'x@example.com', 'viewer', :h, now(), now())")
    savepoint = app_role_connection.begin_nested()
    with pytest.raises(ProgrammingError, match="row-level security"):
        _raw(app_role_connection, insert, b=tenant_b.id, id=uuid.uuid4(), h=uuid.uuid4().hex)
    savepoint.rollback()
    savepoint = app_role_connection.begin_nested()
    with pytest.raises(ProgrammingError, match="row-level security"):
        _raw(app_role_connection, "UPDATE invitation SET tenant_id = :b", b=tenant_b.id)
    savepoint.rollback()


@pytest.mark.postgres
def test_tenant_setting_does_not_outlive_the_transaction(app):
    """set_config(..., true) is transaction-local, so a pooled connection starts clean."""
    from tenants.extensions import db as database

    with database.engine_for(app).connect() as connection:
        with connection.begin():
            _set(connection, uuid.uuid4())
        with connection.begin():
            value = _raw(connection, "SELECT current_setting('app.tenant_id', true)").scalar()
        assert value in (None, "")
