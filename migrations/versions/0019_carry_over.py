"""The next year's assessment: answers carried over from the year before

Revision ID: 0019
Revises: 0018

- ``carry_over``: one row per assessment whose answers were copied forward from an earlier
  one (the unique key makes a second copy of the same assessment fail in the database);
- ``answer.carried_from_id`` and ``indicator_state.carried_from_id``: the assessment a value
  (or a "not applicable" declaration) was copied from, until the user confirms it unchanged
  or changes it.
"""
from alembic import op
import sqlalchemy as sa
from tenants import rls
from tenants.types import UTCDateTime

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('carry_over',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('source_assessment_id', sa.Uuid(), nullable=False),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.Column('not_applicable', sa.Integer(), nullable=False),
    sa.Column('copied_by_id', sa.Uuid(), nullable=True),
    sa.Column('copied_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'assessment_id'], ['assessment.tenant_id', 'assessment.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.ForeignKeyConstraint(['copied_by_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id'),
    sa.UniqueConstraint('tenant_id', 'assessment_id', name='uq_carry_over')
    )
    rls.enable('carry_over')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_from_id', sa.Uuid(), nullable=True))
    with op.batch_alter_table('indicator_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_from_id', sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('indicator_state', schema=None) as batch_op:
        batch_op.drop_column('carried_from_id')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_column('carried_from_id')
    rls.disable('carry_over')
    op.drop_table('carry_over')
