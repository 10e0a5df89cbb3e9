"""Server-side sign-in sessions and shared sign-in throttling; the session version goes

A browser is signed in while its user_session row is not revoked, so logout, a password
change and "end this session" take effect on the next request; the counter on the user
that a password change used to bump is replaced by these rows.

Revision ID: 0009
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa
from tenants.types import UTCDateTime

revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('user_session',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', UTCDateTime(), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.Column('device', sa.String(length=120), nullable=False),
    sa.Column('remember_digest', sa.String(length=64), nullable=True),
    sa.Column('previous_remember_digest', sa.String(length=64), nullable=True),
    sa.Column('remember_rotated_at', UTCDateTime(), nullable=True),
    sa.Column('revoked_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_user_session_user_id'), 'user_session', ['user_id'], unique=False)
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', UTCDateTime(), nullable=False),
    sa.Column('blocked_until', UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('app_user') as batch_op:
        batch_op.drop_column('session_version')


def downgrade() -> None:
    with op.batch_alter_table('app_user') as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False,
                                      server_default='1'))
    op.drop_table('login_throttle')
    op.drop_index(op.f('ix_user_session_user_id'), table_name='user_session')
    op.drop_table('user_session')
