"""Campaigns: a round of assessments with participants, reminders and uploads

Revision ID: 0020
Revises: 0019

- ``campaign``: the round (year, framework version, grants the links ask for, deadline,
  reminder cadence, invitation text in both languages);
- ``campaign_participant``: one company invited to it (unique credit code per campaign);
- ``campaign_reminder``: one step of the cadence sent to one participant; its unique key
  makes a step go out once however many reminder runs race;
- ``campaign_upload``: a participant list checked and applied by a job.
All four are tenant-scoped (row-level security on PostgreSQL). The new link kind
``customer_supplier`` is a value of ``tenant_link.kind`` (a string): no DDL.
"""
from alembic import op
import sqlalchemy as sa
from tenants import rls
from tenants.types import UTCDateTime

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

_TABLES = ['campaign', 'campaign_participant', 'campaign_reminder', 'campaign_upload']


def upgrade() -> None:
    op.create_table('campaign',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.String(length=60), nullable=False),
    sa.Column('framework_version', sa.String(length=30), nullable=False),
    sa.Column('grants', sa.JSON(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('remind_days_before', sa.JSON(), nullable=False),
    sa.Column('escalate_days_after', sa.JSON(), nullable=False),
    sa.Column('invitation_zh', sa.String(length=4000), nullable=False),
    sa.Column('invitation_en', sa.String(length=4000), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('closed_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id')
    )
    op.create_table('campaign_participant',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('campaign_id', sa.Uuid(), nullable=False),
    sa.Column('company_name', sa.String(length=200), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('contact_name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('industry', sa.String(length=3), nullable=False),
    sa.Column('size', sa.String(length=10), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=False),
    sa.Column('enterprise_tenant_id', sa.Uuid(), nullable=True),
    sa.Column('invited_at', UTCDateTime(), nullable=False),
    sa.Column('joined_at', UTCDateTime(), nullable=True),
    sa.Column('declined_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id', 'campaign_id'], ['campaign.tenant_id', 'campaign.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.ForeignKeyConstraint(['enterprise_tenant_id'], ['tenant.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id'),
    sa.UniqueConstraint('tenant_id', 'campaign_id', 'credit_code', name='uq_campaign_participant_code')
    )
    with op.batch_alter_table('campaign_participant', schema=None) as batch_op:
        batch_op.create_index('ix_campaign_participant_board', ['tenant_id', 'campaign_id', 'company_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_participant_enterprise_tenant_id'), ['enterprise_tenant_id'], unique=False)
    op.create_table('campaign_reminder',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('campaign_id', sa.Uuid(), nullable=False),
    sa.Column('participant_id', sa.Uuid(), nullable=False),
    sa.Column('step', sa.String(length=60), nullable=False),
    sa.Column('sent_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'participant_id'], ['campaign_participant.tenant_id', 'campaign_participant.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id'),
    sa.UniqueConstraint('tenant_id', 'participant_id', 'step', name='uq_campaign_reminder')
    )
    with op.batch_alter_table('campaign_reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_reminder_campaign_id'), ['campaign_id'], unique=False)
    op.create_table('campaign_upload',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('campaign_id', sa.Uuid(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('lang', sa.String(length=5), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('problems', sa.JSON(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('finished_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id', 'campaign_id'], ['campaign.tenant_id', 'campaign.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id')
    )
    with op.batch_alter_table('campaign_upload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_upload_campaign_id'), ['campaign_id'], unique=False)
    for table in _TABLES:
        rls.enable(table)


def downgrade() -> None:
    for table in reversed(_TABLES):
        rls.disable(table)
    op.drop_table('campaign_upload')
    op.drop_table('campaign_reminder')
    op.drop_table('campaign_participant')
    op.drop_table('campaign')
