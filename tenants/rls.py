"""Row-level security DDL for tenant-scoped tables (PostgreSQL only), used by migrations."""

from __future__ import annotations

from alembic import op

POLICY_CONDITION = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid"


def enable(table: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
    op.execute(
        f'CREATE POLICY tenant_isolation ON "{table}" '
        f"USING ({POLICY_CONDITION}) WITH CHECK ({POLICY_CONDITION})"
    )


def disable(table: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f'DROP POLICY IF EXISTS tenant_isolation ON "{table}"')
    op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
