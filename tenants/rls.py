"""Row-level security DDL (PostgreSQL only), used by the migrations.

Since migration 0010 the policies trust only the scope that ``app_set_scope()`` recorded,
with a valid signature, in the current transaction (see ``tenants.context``): the app role
can no longer pick a tenant with ``set_config`` nor become a BYPASSRLS role. Migrations
before 0010 create the older policies on ``app.tenant_id``; 0010 replaces them, and
:func:`enable` creates the signed kind once 0010's functions exist, so that a later
migration's table gets the right policies whatever order the migrations were chained in.
"""

from __future__ import annotations

import hashlib
from typing import Any

from alembic import op
from sqlalchemy import text

# the policy of migrations 0001-0007, kept for them and for 0010's downgrade
LEGACY_CONDITION = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid"
# One function decides for the tenant and the system scope alike: the scope's tenant, the
# nil UUID in the system scope (every tenant), NULL with no scope. Wrapped in a sub-select so
# that PostgreSQL evaluates it once per statement and table (an InitPlan), not once per row,
# and one call per table is all a policy costs (a separate system flag would be a second).
SCOPE = "(SELECT app_scope_tenant())"
EVERY_TENANT = "'00000000-0000-0000-0000-000000000000'::uuid"
USER = "(SELECT app_current_user())"
# "= ANY (ARRAY[...])", not "IN (...)": PostgreSQL expands IN into ORs, each with its own copy
# of the sub-select, and would call the function twice
POLICY_CONDITION = f"{SCOPE} = ANY (ARRAY[tenant_id, {EVERY_TENANT}])"
SYSTEM_ONLY = f"{SCOPE} = {EVERY_TENANT}"

PRIVATE_SCHEMA = "chaingauge_private"

# The functions of the signed scope. The key lives in a schema the app role has no USAGE
# on; only these SECURITY DEFINER functions (owned by the schema owner) read it.
_TRANSACTION_STAMP = "(extract(epoch FROM transaction_timestamp()) * 1000000)::bigint"
FUNCTIONS = [
    f"CREATE SCHEMA {PRIVATE_SCHEMA}",
    f"REVOKE ALL ON SCHEMA {PRIVATE_SCHEMA} FROM PUBLIC",
    # HMAC-SHA256 with the key's inner and outer pads stored precomputed (no pgcrypto needed)
    f"""CREATE TABLE {PRIVATE_SCHEMA}.scope_key (
        id integer PRIMARY KEY CHECK (id = 1),
        inner_pad bytea NOT NULL,
        outer_pad bytea NOT NULL)""",
    # PL/pgSQL throughout: it keeps its plans for the session, where an SQL function that
    # cannot be inlined is planned again on every call (the policies call these per statement)
    f"""CREATE FUNCTION {PRIVATE_SCHEMA}.mac(message text) RETURNS text
        LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$
    DECLARE
        pads record;
    BEGIN
        SELECT k.inner_pad, k.outer_pad INTO pads
        FROM {PRIVATE_SCHEMA}.scope_key k WHERE k.id = 1;
        RETURN pg_catalog.encode(pg_catalog.sha256(pads.outer_pad || pg_catalog.sha256(
            pads.inner_pad || pg_catalog.convert_to(message, 'UTF8'))), 'hex');
    END $$""",  # noqa: S608 - DDL from constants
    # the scope recorded in this transaction, or NULL; a value not signed for this backend
    # and this transaction (set_config by hand, or copied from another transaction) is refused
    f"""CREATE FUNCTION {PRIVATE_SCHEMA}.verified_scope() RETURNS text[]
        LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$
    DECLARE
        recorded text := pg_catalog.current_setting('app.scope', true);
        parts text[];
    BEGIN
        IF recorded IS NULL OR recorded = '' THEN
            RETURN NULL;
        END IF;
        parts := pg_catalog.string_to_array(recorded, '|');
        IF pg_catalog.array_length(parts, 1) IS DISTINCT FROM 4
           OR parts[4] IS DISTINCT FROM {PRIVATE_SCHEMA}.mac(
                'transaction|' || pg_catalog.pg_backend_pid() || '|' || {_TRANSACTION_STAMP}
                || '|' || parts[1] || '|' || parts[2] || '|' || parts[3]) THEN
            RAISE EXCEPTION 'tenant scope refused: app.scope was not recorded by app_set_scope()'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN parts[1:3];
    END $$""",
    f"""CREATE FUNCTION app_set_scope(tenant uuid, app_user uuid, system boolean,
                                      signature text) RETURNS void
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    DECLARE
        scope text := coalesce(tenant::text, '') || '|' || coalesce(app_user::text, '') || '|'
                      || CASE WHEN system THEN '1' ELSE '0' END;
    BEGIN
        IF signature IS NULL OR signature IS DISTINCT FROM {PRIVATE_SCHEMA}.mac(
                'request|' || pg_backend_pid() || '|' || scope) THEN
            RAISE EXCEPTION 'tenant scope refused: bad signature'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        PERFORM set_config('app.scope', scope || '|' || {PRIVATE_SCHEMA}.mac(
            'transaction|' || pg_backend_pid() || '|' || {_TRANSACTION_STAMP} || '|' || scope),
            true);
    END $$""",
    f"""CREATE FUNCTION app_scope_tenant() RETURNS uuid
        LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp AS $$
    DECLARE
        scope text[] := {PRIVATE_SCHEMA}.verified_scope();
    BEGIN
        IF scope[3] = '1' THEN
            RETURN {EVERY_TENANT};
        END IF;
        RETURN NULLIF(scope[1], '')::uuid;
    END $$""",
    f"""CREATE FUNCTION app_current_user() RETURNS uuid
        LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp AS $$
    BEGIN
        RETURN NULLIF(({PRIVATE_SCHEMA}.verified_scope())[2], '')::uuid;
    END $$""",
]
DROP_FUNCTIONS = [
    "DROP FUNCTION IF EXISTS app_current_user()",
    "DROP FUNCTION IF EXISTS app_scope_tenant()",
    "DROP FUNCTION IF EXISTS app_set_scope(uuid, uuid, boolean, text)",
    f"DROP SCHEMA IF EXISTS {PRIVATE_SCHEMA} CASCADE",
]


def _postgres() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def signed_scope_installed() -> bool:
    return bool(op.get_bind().execute(
        text("SELECT to_regprocedure('app_scope_tenant()') IS NOT NULL")).scalar())


def _force(table: str) -> None:
    op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')


def create_tenant_policies(table: str) -> None:
    """A tenant's rows in its scope; every row in the system scope."""
    op.execute(f'CREATE POLICY tenant_isolation ON "{table}" '
               f"USING ({POLICY_CONDITION}) WITH CHECK ({POLICY_CONDITION})")


def create_legacy_policy(table: str) -> None:
    op.execute(f'CREATE POLICY tenant_isolation ON "{table}" '
               f"USING ({LEGACY_CONDITION}) WITH CHECK ({LEGACY_CONDITION})")


def enable(table: str) -> None:
    """Row-level security on a tenant-scoped table (``tenant_id`` column)."""
    if not _postgres():
        return
    _force(table)
    if signed_scope_installed():
        create_tenant_policies(table)
    else:
        create_legacy_policy(table)


def disable(table: str) -> None:
    if not _postgres():
        return
    op.execute(f'DROP POLICY IF EXISTS tenant_isolation ON "{table}"')
    op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')


# -- platform tables that hold a tenant's rows (migration 0010) -----------------------------
PLATFORM_POLICIES: dict[str, list[str]] = {
    # a tenant's members; a signed-in user's own memberships (the tenant switcher, and the
    # membership check that comes before the tenant is chosen) are readable in any scope
    "membership": [
        f"CREATE POLICY tenant_isolation ON membership USING ({POLICY_CONDITION}) "
        f"WITH CHECK ({POLICY_CONDITION})",
        f"CREATE POLICY own_memberships ON membership FOR SELECT USING (user_id = {USER})",
    ],
    # append-only for the app: events are written from many scopes (a link's events go into
    # both tenants' logs; a failed sign-in has no tenant), read only by their tenant, and
    # changed or deleted by nobody but the system scope
    "audit_event": [
        f"CREATE POLICY tenant_isolation ON audit_event FOR SELECT USING ({POLICY_CONDITION})",
        "CREATE POLICY append_only ON audit_event FOR INSERT WITH CHECK (true)",
        f"CREATE POLICY system_scope ON audit_event USING ({SYSTEM_ONLY}) "
        f"WITH CHECK ({SYSTEM_ONLY})",
    ],
    # a link is visible to, and changed by, either side
    "tenant_link": [
        f"CREATE POLICY either_side ON tenant_link "
        f"USING ({SCOPE} = ANY (ARRAY[source_tenant_id, target_tenant_id, {EVERY_TENANT}])) "
        f"WITH CHECK ({SCOPE} = ANY (ARRAY[source_tenant_id, target_tenant_id, "
        f"{EVERY_TENANT}]))",
    ],
}
PLATFORM_POLICY_NAMES = {
    "membership": ["tenant_isolation", "own_memberships"],
    "audit_event": ["tenant_isolation", "append_only", "system_scope"],
    "tenant_link": ["either_side"],
}


def enable_platform(table: str) -> None:
    if not _postgres():
        return
    _force(table)
    for statement in PLATFORM_POLICIES[table]:
        op.execute(statement)


def disable_platform(table: str) -> None:
    if not _postgres():
        return
    for name in PLATFORM_POLICY_NAMES[table]:
        op.execute(f'DROP POLICY IF EXISTS {name} ON "{table}"')
    op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')


# -- the scope key -------------------------------------------------------------------------------
def hmac_pads(key: bytes) -> tuple[bytes, bytes]:
    """HMAC-SHA256's inner and outer padded keys (RFC 2104), so that the database computes
    the same HMAC as Python's ``hmac`` module with two calls of its built-in ``sha256``."""
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


_INSTALL_KEY = (
    f"INSERT INTO {PRIVATE_SCHEMA}.scope_key (id, inner_pad, outer_pad) "  # noqa: S608
    "VALUES (1, :inner, :outer) ON CONFLICT (id) DO UPDATE "
    "SET inner_pad = EXCLUDED.inner_pad, outer_pad = EXCLUDED.outer_pad"
)


def install_scope_key(connection: Any, key: bytes) -> None:
    """Store the app's scope key (run as the owner by ``flask db upgrade`` each time, so a
    changed key takes effect with the next upgrade). Does nothing before migration 0010."""
    if connection.dialect.name != "postgresql":
        return
    present = connection.execute(
        text("SELECT to_regclass(:t) IS NOT NULL"), {"t": f"{PRIVATE_SCHEMA}.scope_key"}
    ).scalar()
    if not present:
        return
    inner, outer = hmac_pads(key)
    connection.execute(text(_INSTALL_KEY), {"inner": inner, "outer": outer})
