"""Benchmarks: snapshots of anonymous cohort statistics (a platform table, no RLS: it holds
no tenant's row), and indexes for cohort queries on result figures

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 12:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
from tenants.types import UTCDateTime

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('benchmark_snapshot',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('pool_key', sa.String(length=60), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('cohort_key', sa.String(length=60), nullable=False),
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('mean', sa.Float(), nullable=True),
    sa.Column('median', sa.Float(), nullable=True),
    sa.Column('q1', sa.Float(), nullable=True),
    sa.Column('q3', sa.Float(), nullable=True),
    sa.Column('p10', sa.Float(), nullable=True),
    sa.Column('p90', sa.Float(), nullable=True),
    sa.Column('value_n', sa.Integer(), nullable=True),
    sa.Column('value_mean', sa.Float(), nullable=True),
    sa.Column('value_median', sa.Float(), nullable=True),
    sa.Column('value_q1', sa.Float(), nullable=True),
    sa.Column('value_q3', sa.Float(), nullable=True),
    sa.Column('value_p10', sa.Float(), nullable=True),
    sa.Column('value_p90', sa.Float(), nullable=True),
    sa.Column('computed_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pool_key', 'year', 'cohort_key', 'code', name='uq_benchmark_snapshot')
    )
    # Cohort queries: partial (current figures) and covering on PostgreSQL, so that one
    # cohort's statistics are an index-only scan of its own rows.
    covered = ['tenant_id', 'score', 'value', 'size_class', 'province']
    current = sa.text('current')
    with op.batch_alter_table('result_figure', schema=None) as batch_op:
        batch_op.create_index('ix_result_figure_division_cohort',
                              ['year', 'industry_division', 'code'], unique=False,
                              postgresql_include=covered, postgresql_where=current)
        batch_op.create_index('ix_result_figure_group_cohort',
                              ['year', 'industry_group', 'code'], unique=False,
                              postgresql_include=covered, postgresql_where=current)
        batch_op.create_index('ix_result_figure_enterprises',
                              ['year', 'code', 'industry_group', 'industry_division'],
                              unique=False,
                              postgresql_include=['tenant_id', 'size_class', 'province'],
                              postgresql_where=current)
    with op.batch_alter_table('enterprise_profile', schema=None) as batch_op:
        batch_op.create_index('ix_enterprise_profile_opted_in', ['tenant_id'], unique=False,
                              postgresql_where=sa.text('benchmark_opt_in'))


def downgrade() -> None:
    with op.batch_alter_table('enterprise_profile', schema=None) as batch_op:
        batch_op.drop_index('ix_enterprise_profile_opted_in')
    with op.batch_alter_table('result_figure', schema=None) as batch_op:
        batch_op.drop_index('ix_result_figure_enterprises')
        batch_op.drop_index('ix_result_figure_group_cohort')
        batch_op.drop_index('ix_result_figure_division_cohort')
    op.drop_table('benchmark_snapshot')
