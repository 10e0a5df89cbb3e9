"""Group robots' credentials sealed at rest: room for the sealed webhook address and secret

Revision ID: 0024
Revises: 0023

``notification_robot.url`` and ``secret`` are now written sealed (``tenants.sealed``:
AES-256-GCM, base64 with a version prefix), which takes more room than the plain value.
Values written before stay readable as they are and are sealed at their next save.
"""
from alembic import op
import sqlalchemy as sa

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notification_robot', schema=None) as batch_op:
        batch_op.alter_column('url', type_=sa.String(length=2050),
                              existing_type=sa.String(length=500), existing_nullable=False)
        batch_op.alter_column('secret', type_=sa.String(length=850),
                              existing_type=sa.String(length=200), existing_nullable=True)


def downgrade() -> None:
    # A sealed value does not fit the old columns: downgrading drops the robots' credentials
    # rather than fail half-way (their administrators enter them again).
    postgres = op.get_bind().dialect.name == 'postgresql'
    if postgres:  # the owner migrates; the table's policies are forced on it too
        op.execute('ALTER TABLE "notification_robot" NO FORCE ROW LEVEL SECURITY')
    op.execute("DELETE FROM notification_robot")
    if postgres:
        op.execute('ALTER TABLE "notification_robot" FORCE ROW LEVEL SECURITY')
    with op.batch_alter_table('notification_robot', schema=None) as batch_op:
        batch_op.alter_column('secret', type_=sa.String(length=200),
                              existing_type=sa.String(length=850), existing_nullable=True)
        batch_op.alter_column('url', type_=sa.String(length=500),
                              existing_type=sa.String(length=2050), existing_nullable=False)
