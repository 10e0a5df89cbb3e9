"""Billing: one account per tenant (Stripe customer and subscription state) and every
received Stripe event. Platform tables, no row-level security: webhooks arrive with no
tenant and are handled in a system scope.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 23:24:28.278894
"""
from alembic import op
import sqlalchemy as sa
from tenants.types import UTCDateTime

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('billing_account',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('stripe_customer_id', sa.String(length=255), nullable=True),
    sa.Column('stripe_subscription_id', sa.String(length=255), nullable=True),
    sa.Column('plan', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('current_period_start', UTCDateTime(), nullable=True),
    sa.Column('current_period_end', UTCDateTime(), nullable=True),
    sa.Column('cancel_at_period_end', sa.Boolean(), nullable=False),
    sa.Column('grace_until', UTCDateTime(), nullable=True),
    sa.Column('state_at', UTCDateTime(), nullable=True),
    sa.Column('state_rank', sa.Integer(), nullable=False),
    sa.Column('payment_state_at', UTCDateTime(), nullable=True),
    sa.Column('ended_subscription_ids', sa.JSON(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.PrimaryKeyConstraint('tenant_id')
    )
    with op.batch_alter_table('billing_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_billing_account_stripe_customer_id'), ['stripe_customer_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_billing_account_stripe_subscription_id'), ['stripe_subscription_id'], unique=False)

    op.create_table('stripe_event',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=100), nullable=False),
    sa.Column('created', UTCDateTime(), nullable=False),
    sa.Column('livemode', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('received_at', UTCDateTime(), nullable=False),
    sa.Column('processed_at', UTCDateTime(), nullable=True),
    sa.Column('result', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('stripe_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stripe_event_created'), ['created'], unique=False)
        batch_op.create_index(batch_op.f('ix_stripe_event_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stripe_event_type'), ['type'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('stripe_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stripe_event_type'))
        batch_op.drop_index(batch_op.f('ix_stripe_event_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_stripe_event_created'))

    op.drop_table('stripe_event')
    with op.batch_alter_table('billing_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_billing_account_stripe_subscription_id'))
        batch_op.drop_index(batch_op.f('ix_billing_account_stripe_customer_id'))

    op.drop_table('billing_account')
