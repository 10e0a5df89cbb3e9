"""Scale: an index for the all-manufacturing cohort, in (code, score) order

Revision ID: 0025
Revises: 0024

``ix_result_figure_all_cohort`` on ``(year, code, score)`` of the current figures, covering
what the statistics read (tenant id for row-level security, value, size class, province,
opt-in). The all-manufacturing cohort of a year has no industry column to lead with: without
it the refresh read the year's figures through the division index and sorted all of them
(19 million at 500,000 assessments) by code before aggregating. With it the rows arrive
grouped by code and each code's scores already in order, so the per-code ``percentile_cont``
sort of the scores finds its input sorted. PostgreSQL only in effect (SQLite gets the plain
column list).
"""
from alembic import op
import sqlalchemy as sa

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('result_figure', schema=None) as batch_op:
        batch_op.create_index('ix_result_figure_all_cohort', ['year', 'code', 'score'],
                              unique=False,
                              postgresql_include=['tenant_id', 'value', 'size_class',
                                                  'province', 'opted_in'],
                              postgresql_where=sa.text('current'))


def downgrade() -> None:
    with op.batch_alter_table('result_figure', schema=None) as batch_op:
        batch_op.drop_index('ix_result_figure_all_cohort')
