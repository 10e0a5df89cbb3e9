"""Improvement plans: a plan per finalised assessment, its actions, their history,
comments with replies, and the reminders sent

Revision ID: 0018
Revises: 0017

- ``improvement_plan``: one per assessment (``uq_improvement_plan_assessment``);
- ``plan_action``: what to do, who owns it, by when, its status (a compare-and-set) and
  ``version`` (an edit is a conditional update on it); a proposal is adopted once per plan
  (``uq_plan_action_source``);
- ``plan_action_change``: every change of an action's fields;
- ``plan_comment``: comments on actions and replies (``parent_id``), from the enterprise or
  its linked consultancy (``author_tenant_id``);
- ``plan_reminder``: the reminders sent; the unique key (action, step, due date) makes a
  second one impossible.

All five are tenant-scoped: row-level security on PostgreSQL.
"""
from alembic import op
import sqlalchemy as sa
from tenants import rls
from tenants.types import UTCDateTime

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

TABLES = ('improvement_plan', 'plan_action', 'plan_action_change', 'plan_comment',
          'plan_reminder')


def upgrade() -> None:
    op.create_table('improvement_plan',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['tenant_id', 'assessment_id'], ['assessment.tenant_id', 'assessment.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id'),
    sa.UniqueConstraint('tenant_id', 'assessment_id', name='uq_improvement_plan_assessment')
    )
    with op.batch_alter_table('improvement_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_improvement_plan_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('plan_action',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('indicator_codes', sa.JSON(), nullable=False),
    sa.Column('dimension_code', sa.String(length=80), nullable=True),
    sa.Column('target_value', sa.Float(), nullable=True),
    sa.Column('target_level', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('dimension_gain', sa.Float(), nullable=True),
    sa.Column('overall_gain', sa.Float(), nullable=True),
    sa.Column('effort', sa.String(length=10), nullable=False),
    sa.Column('cost', sa.String(length=10), nullable=False),
    sa.Column('notes', sa.String(length=4000), nullable=False),
    sa.Column('evidence_id', sa.Uuid(), nullable=True),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('source_ref', sa.String(length=120), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('done_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['tenant_id', 'plan_id'], ['improvement_plan.tenant_id', 'improvement_plan.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id'),
    sa.UniqueConstraint('tenant_id', 'plan_id', 'source_ref', name='uq_plan_action_source')
    )
    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_action_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_action_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_action_status'), ['status'], unique=False)

    op.create_table('plan_action_change',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('action_id', sa.Uuid(), nullable=False),
    sa.Column('field_name', sa.String(length=40), nullable=False),
    sa.Column('old_value', sa.JSON(), nullable=False),
    sa.Column('new_value', sa.JSON(), nullable=False),
    sa.Column('changed_by_id', sa.Uuid(), nullable=True),
    sa.Column('changed_by_tenant_id', sa.Uuid(), nullable=True),
    sa.Column('changed_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['changed_by_tenant_id'], ['tenant.id'], ),
    sa.ForeignKeyConstraint(['tenant_id', 'action_id'], ['plan_action.tenant_id', 'plan_action.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id')
    )
    with op.batch_alter_table('plan_action_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_action_change_action_id'), ['action_id'], unique=False)

    op.create_table('plan_comment',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('action_id', sa.Uuid(), nullable=False),
    sa.Column('parent_id', sa.Uuid(), nullable=True),
    sa.Column('body', sa.String(length=4000), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('author_tenant_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['author_tenant_id'], ['tenant.id'], ),
    sa.ForeignKeyConstraint(['tenant_id', 'action_id'], ['plan_action.tenant_id', 'plan_action.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'parent_id'], ['plan_comment.tenant_id', 'plan_comment.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id')
    )
    with op.batch_alter_table('plan_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_comment_action_id'), ['action_id'], unique=False)

    op.create_table('plan_reminder',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('action_id', sa.Uuid(), nullable=False),
    sa.Column('step', sa.String(length=20), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('sent_to_id', sa.Uuid(), nullable=True),
    sa.Column('sent_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['sent_to_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['tenant_id', 'action_id'], ['plan_action.tenant_id', 'plan_action.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id'),
    sa.UniqueConstraint('tenant_id', 'action_id', 'step', 'due_date', name='uq_plan_reminder_step')
    )
    with op.batch_alter_table('plan_reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_reminder_action_id'), ['action_id'], unique=False)
    for table in TABLES:
        rls.enable(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        rls.disable(table)
    with op.batch_alter_table('plan_reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_reminder_action_id'))

    op.drop_table('plan_reminder')
    with op.batch_alter_table('plan_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_comment_action_id'))

    op.drop_table('plan_comment')
    with op.batch_alter_table('plan_action_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_action_change_action_id'))

    op.drop_table('plan_action_change')
    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_action_status'))
        batch_op.drop_index(batch_op.f('ix_plan_action_plan_id'))
        batch_op.drop_index(batch_op.f('ix_plan_action_due_date'))

    op.drop_table('plan_action')
    with op.batch_alter_table('improvement_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_improvement_plan_assessment_id'))

    op.drop_table('improvement_plan')
