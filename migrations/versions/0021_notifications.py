"""Notifications: the in-app centre, the outbox of deliveries, group robots, user choices

Revision ID: 0021
Revises: 0020

- ``notification``: one event told to one user (platform table; row-level security: the
  user's own rows, and the system scope, in which ``notify`` writes them for others);
- ``notification_delivery``: the outbox, claimed by a conditional update (platform table:
  the system scope writes it, a tenant reads its own rows on its channel page);
- ``notification_robot``: a tenant's WeCom / DingTalk / Feishu robots (tenant-scoped);
- ``notification_preference``: a user's e-mail choice per event (the user's own rows).
"""
from alembic import op
import sqlalchemy as sa
from tenants import rls
from tenants.types import UTCDateTime

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

_USER_TABLES = ['notification', 'notification_preference']


def _platform_policies() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in _USER_TABLES:
        op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
        op.execute(f'CREATE POLICY own_rows ON "{table}" USING (user_id = {rls.USER}) '
                   f'WITH CHECK (user_id = {rls.USER})')
        op.execute(f'CREATE POLICY system_scope ON "{table}" USING ({rls.SYSTEM_ONLY}) '
                   f'WITH CHECK ({rls.SYSTEM_ONLY})')
    op.execute('ALTER TABLE notification_delivery ENABLE ROW LEVEL SECURITY')
    op.execute('ALTER TABLE notification_delivery FORCE ROW LEVEL SECURITY')
    op.execute(f'CREATE POLICY tenant_reads ON notification_delivery FOR SELECT '
               f'USING ({rls.SCOPE} = tenant_id)')
    op.execute(f'CREATE POLICY system_scope ON notification_delivery '
               f'USING ({rls.SYSTEM_ONLY}) WITH CHECK ({rls.SYSTEM_ONLY})')


def upgrade() -> None:
    op.create_table('notification',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=True),
    sa.Column('event', sa.String(length=60), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('read_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_notification_user_created', 'notification', ['user_id', 'created_at'],
                    unique=False)
    op.create_table('notification_delivery',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('robot_id', sa.Uuid(), nullable=True),
    sa.Column('event', sa.String(length=60), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('link', sa.String(length=600), nullable=True),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', UTCDateTime(), nullable=False),
    sa.Column('claim_token', sa.Uuid(), nullable=True),
    sa.Column('claimed_at', UTCDateTime(), nullable=True),
    sa.Column('error_kind', sa.String(length=20), nullable=True),
    sa.Column('error_detail', sa.String(length=200), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('sent_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_notification_delivery_due', 'notification_delivery',
                    ['status', 'next_attempt_at'], unique=False)
    op.create_index('ix_notification_delivery_tenant', 'notification_delivery',
                    ['tenant_id', 'created_at'], unique=False)
    op.create_table('notification_robot',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('secret', sa.String(length=200), nullable=True),
    sa.Column('events', sa.JSON(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id')
    )
    op.create_table('notification_preference',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('event', sa.String(length=60), nullable=False),
    sa.Column('email', sa.Boolean(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('user_id', 'event')
    )
    rls.enable('notification_robot')
    _platform_policies()


def downgrade() -> None:
    rls.disable('notification_robot')
    op.drop_table('notification_preference')
    op.drop_table('notification_robot')
    op.drop_index('ix_notification_delivery_tenant', table_name='notification_delivery')
    op.drop_index('ix_notification_delivery_due', table_name='notification_delivery')
    op.drop_table('notification_delivery')
    op.drop_index('ix_notification_user_created', table_name='notification')
    op.drop_table('notification')
