"""Assessment: enterprise profile, assessments, answers and history, indicator states,
page assignments, review comments, revisions and result figures (all tenant-scoped, with RLS)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 23:23:52.558502
"""
from alembic import op
import sqlalchemy as sa
from tenants import rls
from tenants.types import UTCDateTime

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('assessment',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.String(length=60), nullable=False),
    sa.Column('framework_version', sa.String(length=30), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('submitted_at', UTCDateTime(), nullable=True),
    sa.Column('finalised_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id'),
    sa.UniqueConstraint('tenant_id', 'year', name='uq_assessment_year')
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_year'), ['year'], unique=False)

    op.create_table('enterprise_profile',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('legal_name', sa.String(length=200), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('industry_division', sa.String(length=3), nullable=False),
    sa.Column('employees', sa.Integer(), nullable=False),
    sa.Column('revenue_wan', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('size_class', sa.String(length=10), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=False),
    sa.Column('export_oriented', sa.Boolean(), nullable=False),
    sa.Column('chain_leader', sa.Boolean(), nullable=False),
    sa.Column('benchmark_opt_in', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Uuid(), nullable=True),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.ForeignKeyConstraint(['updated_by_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id'),
    sa.UniqueConstraint('tenant_id', name='uq_enterprise_profile_tenant')
    )
    with op.batch_alter_table('enterprise_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_profile_industry_division'), ['industry_division'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_profile_province'), ['province'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_profile_size_class'), ['size_class'], unique=False)

    op.create_table('answer',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Uuid(), nullable=True),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'assessment_id'], ['assessment.tenant_id', 'assessment.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.ForeignKeyConstraint(['updated_by_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id'),
    sa.UniqueConstraint('tenant_id', 'assessment_id', 'key', name='uq_answer_key')
    )
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('answer_change',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('old_value', sa.JSON(), nullable=False),
    sa.Column('new_value', sa.JSON(), nullable=False),
    sa.Column('old_state', sa.String(length=20), nullable=True),
    sa.Column('new_state', sa.String(length=20), nullable=True),
    sa.Column('changed_by_id', sa.Uuid(), nullable=True),
    sa.Column('changed_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['tenant_id', 'assessment_id'], ['assessment.tenant_id', 'assessment.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id')
    )
    with op.batch_alter_table('answer_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_change_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_change_key'), ['key'], unique=False)

    op.create_table('assessment_revision',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.String(length=60), nullable=False),
    sa.Column('framework_version', sa.String(length=30), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('results', sa.JSON(), nullable=False),
    sa.Column('confidence', sa.JSON(), nullable=False),
    sa.Column('finalised_by_id', sa.Uuid(), nullable=True),
    sa.Column('finalised_at', UTCDateTime(), nullable=False),
    sa.Column('superseded_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['finalised_by_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['tenant_id', 'assessment_id'], ['assessment.tenant_id', 'assessment.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id'),
    sa.UniqueConstraint('tenant_id', 'assessment_id', 'revision', name='uq_revision')
    )
    with op.batch_alter_table('assessment_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_revision_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('indicator_state',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('not_applicable', sa.Boolean(), nullable=False),
    sa.Column('na_reason', sa.String(length=1000), nullable=False),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.Column('verified_by_id', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'assessment_id'], ['assessment.tenant_id', 'assessment.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.ForeignKeyConstraint(['verified_by_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id'),
    sa.UniqueConstraint('tenant_id', 'assessment_id', 'code', name='uq_indicator_state')
    )
    with op.batch_alter_table('indicator_state', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_state_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('page_assignment',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('page', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'assessment_id'], ['assessment.tenant_id', 'assessment.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id'),
    sa.UniqueConstraint('tenant_id', 'assessment_id', 'page', name='uq_page_assignment')
    )
    with op.batch_alter_table('page_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_page_assignment_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('result_figure',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=True),
    sa.Column('industry_division', sa.String(length=3), nullable=False),
    sa.Column('industry_group', sa.String(length=40), nullable=False),
    sa.Column('size_class', sa.String(length=10), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'assessment_id'], ['assessment.tenant_id', 'assessment.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id')
    )
    with op.batch_alter_table('result_figure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_result_figure_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index('ix_result_figure_cohort', ['year', 'code', 'industry_division'], unique=False)
        batch_op.create_index(batch_op.f('ix_result_figure_current'), ['current'], unique=False)

    op.create_table('review_comment',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=80), nullable=True),
    sa.Column('body', sa.String(length=4000), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('author_tenant_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('resolved_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['author_tenant_id'], ['tenant.id'], ),
    sa.ForeignKeyConstraint(['tenant_id', 'assessment_id'], ['assessment.tenant_id', 'assessment.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id')
    )
    with op.batch_alter_table('review_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_comment_assessment_id'), ['assessment_id'], unique=False)

    rls.enable('enterprise_profile')
    rls.enable('assessment')
    rls.enable('answer')
    rls.enable('answer_change')
    rls.enable('indicator_state')
    rls.enable('page_assignment')
    rls.enable('review_comment')
    rls.enable('assessment_revision')
    rls.enable('result_figure')


def downgrade() -> None:
    rls.disable('enterprise_profile')
    rls.disable('assessment')
    rls.disable('answer')
    rls.disable('answer_change')
    rls.disable('indicator_state')
    rls.disable('page_assignment')
    rls.disable('review_comment')
    rls.disable('assessment_revision')
    rls.disable('result_figure')
    with op.batch_alter_table('review_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_comment_assessment_id'))

    op.drop_table('review_comment')
    with op.batch_alter_table('result_figure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_result_figure_current'))
        batch_op.drop_index('ix_result_figure_cohort')
        batch_op.drop_index(batch_op.f('ix_result_figure_assessment_id'))

    op.drop_table('result_figure')
    with op.batch_alter_table('page_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_page_assignment_assessment_id'))

    op.drop_table('page_assignment')
    with op.batch_alter_table('indicator_state', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_state_assessment_id'))

    op.drop_table('indicator_state')
    with op.batch_alter_table('assessment_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_revision_assessment_id'))

    op.drop_table('assessment_revision')
    with op.batch_alter_table('answer_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_change_key'))
        batch_op.drop_index(batch_op.f('ix_answer_change_assessment_id'))

    op.drop_table('answer_change')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_assessment_id'))

    op.drop_table('answer')
    with op.batch_alter_table('enterprise_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_profile_size_class'))
        batch_op.drop_index(batch_op.f('ix_enterprise_profile_province'))
        batch_op.drop_index(batch_op.f('ix_enterprise_profile_industry_division'))

    op.drop_table('enterprise_profile')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_year'))
        batch_op.drop_index(batch_op.f('ix_assessment_state'))

    op.drop_table('assessment')
