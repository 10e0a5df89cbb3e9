"""Consultancy portfolio and review conversations

Revision ID: 0022
Revises: 0021

- ``portfolio_assignment``: a consultancy's record of a client engagement (the reviewer
  among its members, the due date), one per client; tenant-scoped (the consultancy's).
- ``review_comment.parent_id``: a reply names the comment it answers (one level);
- ``review_comment.resolved_by_id`` / ``resolved_by_tenant_id``: who resolved a comment
  and for which organisation (``resolved_at`` already says when).
"""
from alembic import op
import sqlalchemy as sa
from tenants import rls
from tenants.types import UTCDateTime

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('portfolio_assignment',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('client_tenant_id', sa.Uuid(), nullable=False),
    sa.Column('reviewer_id', sa.Uuid(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.ForeignKeyConstraint(['client_tenant_id'], ['tenant.id'], ),
    sa.ForeignKeyConstraint(['reviewer_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id'),
    sa.UniqueConstraint('tenant_id', 'client_tenant_id', name='uq_portfolio_assignment')
    )
    rls.enable('portfolio_assignment')
    with op.batch_alter_table('review_comment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('resolved_by_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('resolved_by_tenant_id', sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f('ix_review_comment_parent_id'), ['parent_id'],
                              unique=False)
        batch_op.create_foreign_key('fk_review_comment_parent', 'review_comment',
                                    ['tenant_id', 'parent_id'], ['tenant_id', 'id'],
                                    ondelete='CASCADE')
        batch_op.create_foreign_key('fk_review_comment_resolved_by', 'app_user',
                                    ['resolved_by_id'], ['id'])
        batch_op.create_foreign_key('fk_review_comment_resolved_by_tenant', 'tenant',
                                    ['resolved_by_tenant_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('review_comment', schema=None) as batch_op:
        batch_op.drop_constraint('fk_review_comment_resolved_by_tenant', type_='foreignkey')
        batch_op.drop_constraint('fk_review_comment_resolved_by', type_='foreignkey')
        batch_op.drop_constraint('fk_review_comment_parent', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_review_comment_parent_id'))
        batch_op.drop_column('resolved_by_tenant_id')
        batch_op.drop_column('resolved_by_id')
        batch_op.drop_column('parent_id')
    rls.disable('portfolio_assignment')
    op.drop_table('portfolio_assignment')
