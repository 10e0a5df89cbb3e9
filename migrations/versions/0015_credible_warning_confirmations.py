"""Plausibility warnings the enterprise confirmed before submitting, and their snapshot in a
finalised revision

Revision ID: 0015
Revises: 0014

- ``warning_confirmation``: one row per warning of an assessment (its code and key) that the
  enterprise confirmed with a reason; it holds while the warning and the answer it concerns
  are unchanged (``fingerprint``, ``answer_key`` at ``answer_version``).
- ``assessment_revision.warning_confirmations``: the warnings of the finalised figures with
  their confirmations, as the report's data-quality section prints them (existing revisions
  get an empty list: they were finalised before warnings were confirmed).
"""
from alembic import op
import sqlalchemy as sa
from tenants import rls
from tenants.types import UTCDateTime

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('warning_confirmation',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('answer_key', sa.String(length=80), nullable=True),
    sa.Column('answer_version', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('confirmed_by_id', sa.Uuid(), nullable=True),
    sa.Column('confirmed_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'assessment_id'], ['assessment.tenant_id', 'assessment.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id'),
    sa.UniqueConstraint('tenant_id', 'assessment_id', 'code', 'key', name='uq_warning_confirmation')
    )
    with op.batch_alter_table('warning_confirmation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_warning_confirmation_assessment_id'), ['assessment_id'], unique=False)
    rls.enable('warning_confirmation')
    with op.batch_alter_table('assessment_revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('warning_confirmations', sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table('assessment_revision', schema=None) as batch_op:
        batch_op.drop_column('warning_confirmations')
    rls.disable('warning_confirmation')
    with op.batch_alter_table('warning_confirmation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_warning_confirmation_assessment_id'))
    op.drop_table('warning_confirmation')
