"""Signed tenant scope: policies that the app role cannot talk its way around, and
row-level security on the platform tables that hold a tenant's rows

The tenant-scoped tables' policies stop reading ``app.tenant_id`` (which the app role could
set to anything) and call SECURITY DEFINER functions that trust only a scope recorded with a
valid signature in the same transaction; the system scope becomes a flag in that scope
instead of ``SET ROLE`` to a BYPASSRLS role. Memberships, audit events and links get
policies of their own (invitations are tenant-scoped already). PostgreSQL only: SQLite has
no row-level security.

Revision ID: 0010
Revises: 0009
"""
from alembic import op
from sqlalchemy import text

from tenants import rls

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

PLATFORM_TABLES = ['membership', 'audit_event', 'tenant_link']


def _tables_with_legacy_policy() -> list[str]:
    # Every table a migration gave the app.tenant_id policy, whatever chain created it.
    rows = op.get_bind().execute(text(
        "SELECT tablename FROM pg_policies WHERE schemaname = 'public' "
        "AND policyname = 'tenant_isolation' AND qual LIKE '%app.tenant_id%' ORDER BY 1"))
    return [row[0] for row in rows]


def _tables_with_signed_policy() -> list[str]:
    rows = op.get_bind().execute(text(
        "SELECT tablename FROM pg_policies WHERE schemaname = 'public' "
        "AND policyname = 'tenant_isolation' AND qual LIKE '%app_scope_tenant%' "
        "AND tablename <> ALL(:platform) ORDER BY 1"), {"platform": PLATFORM_TABLES})
    return [row[0] for row in rows]


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for statement in rls.FUNCTIONS:
        op.execute(statement)
    for table in _tables_with_legacy_policy():
        op.execute(f'DROP POLICY tenant_isolation ON "{table}"')
        rls.create_tenant_policies(table)
    for table in PLATFORM_TABLES:
        rls.enable_platform(table)


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in PLATFORM_TABLES:
        rls.disable_platform(table)
    for table in _tables_with_signed_policy():
        op.execute(f'DROP POLICY tenant_isolation ON "{table}"')
        rls.create_legacy_policy(table)
    for statement in rls.DROP_FUNCTIONS:
        op.execute(statement)
