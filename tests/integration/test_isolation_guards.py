"""The two tenant guards: the ORM filter (every backend) and row-level security (PostgreSQL).

The RLS tests speak raw SQL on the app's own connection, i.e. as the app role, which is
neither owner nor superuser: that is the role production uses. They play the attacker with
one injected statement: whatever SQL the app role may run, it must not reach another
tenant's rows nor the system scope.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, ProgrammingError
from sqlmodel import func, insert, select

from tenants.context import (
    CrossTenantWrite,
    TenantContextMissing,
    scope_signature,
    set_tenant,
    set_user,
    system_scope,
)
from tenants.extensions import db
from tenants.models import AuditEvent, Invitation, Membership, TenantLink
from tenants.rls import hmac_pads
from tenants.types import tenant_scoped_tables, utcnow
from tests.databases import BYPASS_ROLE


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



# -- the ORM filter: counts, column selects and inserts --------------------------------------
def _invitation_row(email: str, **extra) -> dict:
    return {"id": uuid.uuid4(), "email": email, "role": "viewer", "token_hash": uuid.uuid4().hex,
            "created_at": utcnow(), "expires_at": utcnow(), **extra}


@pytest.mark.parametrize("statement", [
    pytest.param(lambda: select(func.count()).select_from(Invitation), id="count-select-from"),
    pytest.param(lambda: select(func.count(Invitation.id)), id="count-of-a-column"),
    pytest.param(lambda: select(Invitation.id), id="column-select"),
    pytest.param(lambda: select(func.count()).where(Invitation.email == "a@example.com"),
                 id="count-where"),
    pytest.param(lambda: select(sa.literal(1)).where(
        sa.exists().where(Invitation.email == "a@example.com")), id="exists-subquery"),
    pytest.param(lambda: select(func.count()).select_from(Invitation.__table__),
                 id="core-table"),
])
def test_any_statement_touching_a_tenant_table_without_a_tenant_raises(app, two_tenants,
                                                                        statement):
    with app.app_context(), pytest.raises(TenantContextMissing, match="invitation"):
        db.session.exec(statement()).all()


def test_a_count_with_a_tenant_counts_only_that_tenants_rows(app, two_tenants):
    tenant_a, _ = two_tenants
    with app.app_context():
        set_tenant(db.session, tenant_a.id)
        assert db.session.exec(select(func.count()).select_from(Invitation)).one() == 1


def test_orm_insert_without_a_tenant_raises(app, two_tenants):
    with app.app_context():
        with pytest.raises(TenantContextMissing, match="invitation"):
            db.session.execute(insert(Invitation).values(**_invitation_row("x@example.com")))
        with pytest.raises(TenantContextMissing, match="invitation"):
            db.session.execute(insert(Invitation), [_invitation_row("y@example.com")])


def test_orm_insert_is_stamped_with_the_current_tenant(app, two_tenants):
    tenant_a, _ = two_tenants
    with app.app_context():
        set_tenant(db.session, tenant_a.id)
        db.session.execute(insert(Invitation).values(**_invitation_row("one@example.com")))
        db.session.execute(insert(Invitation), [_invitation_row("two@example.com"),
                                                _invitation_row("three@example.com")])
        with system_scope(db.session, "test"):
            rows = db.session.exec(select(Invitation.tenant_id, Invitation.email).where(
                Invitation.email.in_(["one@example.com", "two@example.com",
                                      "three@example.com"]))).all()
        assert sorted(rows, key=lambda r: r[1]) == [
            (tenant_a.id, "one@example.com"), (tenant_a.id, "three@example.com"),
            (tenant_a.id, "two@example.com")]


def test_orm_insert_into_another_tenant_is_refused(app, two_tenants):
    tenant_a, tenant_b = two_tenants
    with app.app_context():
        set_tenant(db.session, tenant_a.id)
        with pytest.raises(CrossTenantWrite):
            db.session.execute(insert(Invitation).values(
                **_invitation_row("x@example.com", tenant_id=tenant_b.id)))
        with pytest.raises(CrossTenantWrite):
            db.session.execute(insert(Invitation), [
                _invitation_row("ok@example.com"),
                _invitation_row("x@example.com", tenant_id=tenant_b.id)])
        with pytest.raises(CrossTenantWrite):
            db.session.execute(insert(Invitation).from_select(
                ["tenant_id", "id", "email", "role", "token_hash", "created_at", "expires_at"],
                select(Invitation.tenant_id, Invitation.id, Invitation.email, Invitation.role,
                       Invitation.token_hash, Invitation.created_at, Invitation.expires_at)))


# -- row-level security: raw SQL as the app role -------------------------------------------
def _raw(connection, statement: str, **params):
    return connection.execute(sa.text(statement), params)


def _refused(connection, statement: str, **params) -> str:
    """Run ``statement`` in a savepoint; it must fail. Returns the error text."""
    savepoint = connection.begin_nested()
    try:
        with pytest.raises(DBAPIError) as error:
            _raw(connection, statement, **params)
    finally:
        savepoint.rollback()
    return str(error.value)


@pytest.fixture
def in_scope_of(app, two_tenants):
    """``in_scope_of(tenant)``: the app's own connection (the app role) with ``tenant``'s
    signed scope recorded the way the app records it."""
    with app.app_context():
        def scoped(tenant):
            set_tenant(db.session, tenant.id if tenant is not None else None)
            return db.session.connection()
        yield scoped


@pytest.fixture
def app_role_connection(in_scope_of):
    return in_scope_of(None)


def _scope_tables() -> list[str]:
    return [t.name for t in tenant_scoped_tables()] + [
        "membership", "audit_event", "tenant_link", "notification", "notification_delivery",
        "notification_preference"]


@pytest.mark.postgres
def test_the_app_role_is_neither_superuser_nor_owner_nor_bypassing(app_role_connection):
    row = _raw(app_role_connection,
               "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user").one()
    assert tuple(row) == (False, False)
    me = _raw(app_role_connection, "SELECT current_user").scalar()
    for table in _scope_tables():
        owner = _raw(app_role_connection,
                     "SELECT tableowner FROM pg_tables WHERE tablename = :t", t=table).scalar()
        assert owner is not None and owner != me
        forced = _raw(app_role_connection,
                      "SELECT relrowsecurity AND relforcerowsecurity FROM pg_class "
                      "WHERE relname = :t", t=table).scalar()
        assert forced, f"{table} has no forced row-level security"


@pytest.mark.postgres
def test_the_app_role_can_become_no_role_that_bypasses_row_security(app_role_connection):
    reachable = _raw(app_role_connection,
                     "SELECT rolname FROM pg_roles WHERE (rolbypassrls OR rolsuper) "
                     "AND pg_has_role(current_user, oid, 'MEMBER')").scalars().all()
    assert reachable == []
    owner = _raw(app_role_connection,
                 "SELECT tableowner FROM pg_tables WHERE tablename = 'invitation'").scalar()
    for role in (BYPASS_ROLE, owner):
        error = _refused(app_role_connection, f'SET ROLE "{role}"')
        assert "permission denied" in error


@pytest.mark.postgres
def test_raw_sql_with_no_scope_sees_no_rows(app_role_connection):
    for table in _scope_tables():
        assert _raw(app_role_connection, f'SELECT count(*) FROM "{table}"').scalar() == 0, table


@pytest.mark.postgres
def test_raw_sql_reads_only_the_current_tenants_rows(in_scope_of, two_tenants):
    tenant_a, _ = two_tenants
    connection = in_scope_of(tenant_a)
    rows = _raw(connection, "SELECT tenant_id, email FROM invitation").all()
    assert [(r.tenant_id, r.email) for r in rows] == [(tenant_a.id, "a@example.com")]


@pytest.mark.postgres
def test_setting_app_tenant_id_by_hand_does_not_change_the_tenant(in_scope_of, two_tenants):
    """What the policies trusted before migration 0010: now it is just a setting."""
    tenant_a, tenant_b = two_tenants
    connection = in_scope_of(tenant_a)
    _raw(connection, "SELECT set_config('app.tenant_id', :b, true)", b=str(tenant_b.id))
    emails = _raw(connection, "SELECT email FROM invitation").scalars().all()
    assert emails == ["a@example.com"]
    # and with no scope at all it opens nothing either
    connection = in_scope_of(None)
    _raw(connection, "SELECT set_config('app.tenant_id', :b, true)", b=str(tenant_b.id))
    assert _raw(connection, "SELECT count(*) FROM invitation").scalar() == 0


@pytest.mark.postgres
def test_a_scope_written_by_hand_is_refused(in_scope_of, two_tenants):
    """The recorded scope is readable; rewriting it (the system flag on, another tenant) or
    replaying it in another transaction is refused, not obeyed."""
    tenant_a, tenant_b = two_tenants
    connection = in_scope_of(tenant_a)
    recorded = _raw(connection, "SELECT current_setting('app.scope')").scalar()
    tenant, user, system, mac = recorded.split("|")
    assert (tenant, system) == (str(tenant_a.id), "0")
    forgeries = [f"{tenant}|{user}|1|{mac}", f"{tenant_b.id}|{user}|0|{mac}",
                 f"{tenant_b.id}|{user}|1|{'0' * 64}", f"|{user}|1"]
    for forged in forgeries:
        savepoint = connection.begin_nested()
        _raw(connection, "SELECT set_config('app.scope', :v, true)", v=forged)
        with pytest.raises(DBAPIError, match="tenant scope refused"):
            _raw(connection, "SELECT email FROM invitation").all()
        savepoint.rollback()
    assert _raw(connection, "SELECT email FROM invitation").scalars().all() == ["a@example.com"]


@pytest.mark.postgres
def test_app_set_scope_without_the_key_is_refused(in_scope_of, two_tenants, app):
    tenant_a, tenant_b = two_tenants
    connection = in_scope_of(tenant_a)
    pid = _raw(connection, "SELECT pg_backend_pid()").scalar()
    wrong_key = scope_signature(b"guessed", pid, f"{tenant_b.id}||1")
    other_backend = scope_signature(db._state(app).scope_key, pid + 1, f"{tenant_b.id}||1")
    for signature in (wrong_key, other_backend, "", None):
        error = _refused(connection, "SELECT app_set_scope(CAST(:t AS uuid), NULL, true, :s)",
                         t=str(tenant_b.id), s=signature)
        assert "tenant scope refused" in error
    # the signed scope is where it was
    assert _raw(connection, "SELECT email FROM invitation").scalars().all() == ["a@example.com"]


@pytest.mark.postgres
def test_a_new_transaction_started_by_injected_sql_has_no_scope_to_claim(app, two_tenants):
    """An injected ``COMMIT; BEGIN; ...`` starts a transaction with no scope, and without the
    key it cannot record one (a per-transaction token alone would let it claim this one)."""
    _tenant_a, tenant_b = two_tenants
    with db.engine_for(app).connect() as connection:
        raw = connection.connection.dbapi_connection
        with raw.cursor() as cursor:  # several statements in one call: the simple protocol
            cursor.execute("COMMIT; BEGIN; SELECT count(*) FROM tenant_link")
            assert cursor.nextset() and cursor.nextset()  # past COMMIT and BEGIN
            assert cursor.fetchone() == (0,)
        error = _refused(connection, "SELECT app_set_scope(CAST(:t AS uuid), NULL, true, :s)",
                         t=str(tenant_b.id), s="0" * 64)
        assert "tenant scope refused" in error
        connection.rollback()


@pytest.mark.postgres
def test_the_scope_key_is_out_of_the_app_roles_reach(app, app_role_connection):
    for statement in ("SELECT * FROM chaingauge_private.scope_key",
                      "SELECT chaingauge_private.mac('x')",
                      "SELECT chaingauge_private.verified_scope()"):
        assert "permission denied" in _refused(app_role_connection, statement)
    # nor written into any function's code, which every role may read
    inner, outer = hmac_pads(db._state(app).scope_key)
    sources = " ".join(_raw(app_role_connection, "SELECT prosrc FROM pg_proc").scalars())
    assert "mac(" in sources
    assert inner.hex() not in sources and outer.hex() not in sources


@pytest.mark.postgres
def test_raw_sql_cannot_update_or_delete_another_tenants_rows(in_scope_of, two_tenants):
    tenant_a, tenant_b = two_tenants
    connection = in_scope_of(tenant_a)
    updated = _raw(connection, "UPDATE invitation SET email = 'x' WHERE tenant_id = :b",
                   b=tenant_b.id)
    deleted = _raw(connection, "DELETE FROM invitation WHERE tenant_id = :b", b=tenant_b.id)
    assert (updated.rowcount, deleted.rowcount) == (0, 0)


@pytest.mark.postgres
def test_raw_sql_cannot_insert_or_move_a_row_into_another_tenant(in_scope_of, two_tenants):
    tenant_a, tenant_b = two_tenants
    connection = in_scope_of(tenant_a)
    insert_sql = ("INSERT INTO invitation (tenant_id, id, email, role, token_hash, created_at, "
                  "expires_at) VALUES (:b, :id, 'x@example.com', 'viewer', :h, now(), now())")
    for statement, params in ((insert_sql, {"b": tenant_b.id, "id": uuid.uuid4(),
                                            "h": uuid.uuid4().hex}),
                              ("UPDATE invitation SET tenant_id = :b", {"b": tenant_b.id})):
        savepoint = connection.begin_nested()
        with pytest.raises(ProgrammingError, match="row-level security"):
            _raw(connection, statement, **params)
        savepoint.rollback()


@pytest.mark.postgres
def test_tenant_scope_does_not_outlive_the_transaction(app, two_tenants):
    """The scope is transaction-local, so a pooled connection starts clean."""
    tenant_a, _ = two_tenants
    with app.app_context():
        session = db.new_session()
        set_tenant(session, tenant_a.id)
        with session.begin():
            scoped = session.execute(sa.text("SELECT current_setting('app.scope', true)"))
            assert scoped.scalar().startswith(str(tenant_a.id))
        session.close()
    with db.engine_for(app).connect() as connection, connection.begin():
        value = _raw(connection, "SELECT current_setting('app.scope', true)").scalar()
        assert value in (None, "")


# -- row-level security on the platform tables ---------------------------------------------------
@pytest.fixture
def three_tenants(app, make_tenant, make_link, make_user, add_member):
    """A (an association) linked to C; B unrelated; one member each, and audit events."""
    tenant_a, tenant_b = make_tenant("association"), make_tenant()
    tenant_c = make_tenant()
    make_link(tenant_a, tenant_c)
    return tenant_a, tenant_b, tenant_c


def _visible(connection, sql: str, **params) -> set:
    return set(_raw(connection, sql, **params).scalars().all())


@pytest.mark.postgres
def test_platform_rows_of_another_tenant_are_invisible(in_scope_of, three_tenants):
    tenant_a, tenant_b, tenant_c = three_tenants
    for me, linked in ((tenant_a, {tenant_c.id}), (tenant_b, set()), (tenant_c, {tenant_a.id})):
        connection = in_scope_of(me)
        assert _visible(connection, "SELECT tenant_id FROM membership") == {me.id}
        assert _visible(connection, "SELECT tenant_id FROM audit_event") == {me.id}
        ends = _visible(connection, "SELECT source_tenant_id FROM tenant_link") | _visible(
            connection, "SELECT target_tenant_id FROM tenant_link")
        assert ends == ({me.id} | linked if linked else set())
        assert _visible(connection, "SELECT tenant_id FROM invitation") <= {me.id}


@pytest.mark.postgres
def test_platform_rows_cannot_be_changed_across_tenants(in_scope_of, three_tenants):
    tenant_a, tenant_b, _tenant_c = three_tenants
    connection = in_scope_of(tenant_b)
    changed = [
        _raw(connection, "UPDATE membership SET role = 'owner' WHERE tenant_id = :a",
             a=tenant_a.id).rowcount,
        _raw(connection, "DELETE FROM tenant_link WHERE source_tenant_id = :a",
             a=tenant_a.id).rowcount,
        # the audit log is append-only, even for the tenant's own events
        _raw(connection, "DELETE FROM audit_event").rowcount,
        _raw(connection, "UPDATE audit_event SET action = 'x'").rowcount,
    ]
    assert changed == [0, 0, 0, 0]
    user_id = _raw(connection, "SELECT user_id FROM membership").scalars().first()
    error = _refused(connection, "INSERT INTO membership (tenant_id, user_id, role, created_at) "
                                 "VALUES (:a, :u, 'owner', now())", a=tenant_a.id, u=user_id)
    assert "row-level security" in error


@pytest.mark.postgres
def test_a_users_own_memberships_are_readable_before_a_tenant_is_chosen(app, three_tenants,
                                                                         make_user, add_member):
    tenant_a, tenant_b, _tenant_c = three_tenants
    user = make_user()
    add_member(tenant_a, user, "viewer")
    add_member(tenant_b, user, "viewer")
    with app.app_context():
        set_user(db.session, user.id)
        connection = db.session.connection()
        assert _visible(connection, "SELECT tenant_id FROM membership") == {tenant_a.id,
                                                                          tenant_b.id}
        # another user's are not, and nothing else opens up
        assert _visible(connection, "SELECT user_id FROM membership") == {user.id}
        assert _raw(connection, "SELECT count(*) FROM audit_event").scalar() == 0
        assert _raw(connection, "SELECT count(*) FROM tenant_link").scalar() == 0


# -- the system scope --------------------------------------------------------------------------
@pytest.mark.postgres
def test_system_scope_sees_the_transactions_own_uncommitted_writes(app, two_tenants):
    tenant_a, _tenant_b = two_tenants
    with app.app_context():
        set_tenant(db.session, tenant_a.id)
        db.session.add(_invitation(tenant_a.id, "fresh@example.com"))
        db.session.flush()
        with system_scope(db.session, "test"):
            emails = set(db.session.exec(select(Invitation.email)).all())
            links = db.session.exec(select(func.count()).select_from(TenantLink)).one()
            members = db.session.exec(select(func.count()).select_from(Membership)).one()
            events = db.session.exec(select(func.count()).select_from(AuditEvent)).one()
        assert emails == {"a@example.com", "b@example.com", "fresh@example.com"}
        assert members >= 2 and events >= 2 and links == 0
        # and after the block the tenant's scope is back
        assert sorted(db.session.exec(select(Invitation.email)).all()) == [
            "a@example.com", "fresh@example.com"]
        raw = _raw(db.session.connection(), "SELECT count(*) FROM invitation").scalar()
        assert raw == 2


@pytest.mark.postgres
def test_system_scope_survives_a_savepoint_and_ends_with_the_block(app, two_tenants):
    with app.app_context():
        with system_scope(db.session, "test"):
            with db.session.begin_nested():
                inner = db.session.exec(select(func.count()).select_from(Invitation)).one()
            after_savepoint = db.session.exec(select(func.count()).select_from(Invitation)).one()
        assert (inner, after_savepoint) == (2, 2)
        raw = _raw(db.session.connection(), "SELECT count(*) FROM invitation").scalar()
        assert raw == 0


@pytest.mark.postgres
def test_a_failed_statement_in_system_scope_does_not_leave_the_flag_behind(app, two_tenants):
    tenant_a, _ = two_tenants
    with app.app_context():
        set_tenant(db.session, tenant_a.id)
        with pytest.raises(DBAPIError), system_scope(db.session, "test"):
            db.session.execute(sa.text("SELECT 1/0"))
        db.session.rollback()
        emails = _raw(db.session.connection(), "SELECT email FROM invitation").scalars().all()
        assert emails == ["a@example.com"]


@pytest.mark.postgres
def test_migration_0010_downgrades_and_upgrades_again(app):
    """On a throwaway database: down to 0007 (the app.tenant_id policies come back, the
    signed-scope functions go), then up again."""
    from alembic import command

    from tenants.cli import alembic_config
    from tests.databases import postgres_database

    generator = postgres_database()
    throwaway = next(generator)
    try:
        config = alembic_config(app)
        config.attributes["url"] = throwaway.owner_url
        command.upgrade(config, "head")
        engine = sa.create_engine(throwaway.owner_url)

        def state() -> tuple[set, bool]:
            with engine.connect() as connection:
                quals = set(connection.execute(sa.text(
                    "SELECT tablename || ':' || policyname FROM pg_policies")).scalars())
                signed = connection.execute(sa.text(
                    "SELECT to_regprocedure('app_scope_tenant()') IS NOT NULL")).scalar()
            return quals, bool(signed)

        head_policies, head_signed = state()
        command.downgrade(config, "0007")
        old_policies, old_signed = state()
        command.upgrade(config, "head")
        again_policies, again_signed = state()
        engine.dispose()
    finally:
        generator.close()
    assert head_signed and again_signed and not old_signed
    assert "membership:own_memberships" in head_policies
    assert "tenant_link:either_side" in head_policies
    assert not any(p.startswith(("membership:", "audit_event:", "tenant_link:"))
                   for p in old_policies)
    assert "invitation:tenant_isolation" in old_policies
    assert head_policies == again_policies
