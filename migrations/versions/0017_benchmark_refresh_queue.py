"""Scale: benchmark refreshes that coalesce, and the opt-in on the figures

Revision ID: 0017
Revises: 0016

- ``benchmark_stale_mark``: cohorts whose snapshot a finalisation made stale (insert-only
  for writers; the refresh that covers a mark deletes it);
- ``benchmark_refresh``: one row per (pool, year, cohort), claimed by a conditional update
  so that at most one refresh of a cohort runs at a time on any number of workers;
- ``result_figure.opted_in``: the enterprise's benchmark opt-in, copied from its profile
  (existing rows from the current profile), so that the platform pool's statistics read it
  from the cohort indexes instead of a semi-join on profiles; the three cohort indexes
  carry it as an included column on PostgreSQL;
- ``ix_result_figure_member_overall``: a member's current overall figure of a year (the
  association dashboard reads one per member).

On PostgreSQL ``result_figure`` is under forced row-level security, which applies to the
owner that runs migrations too; the data fix lifts the forcing for its own transaction and
puts it back (the table's policies are unchanged).
"""
from alembic import op
import sqlalchemy as sa
from tenants.types import UTCDateTime

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

_INDEXES = {
    'ix_result_figure_division_cohort': ['year', 'industry_division', 'code'],
    'ix_result_figure_group_cohort': ['year', 'industry_group', 'code'],
    'ix_result_figure_enterprises': ['year', 'code', 'industry_group', 'industry_division'],
}
_COVERED = ['tenant_id', 'score', 'value', 'size_class', 'province']


def _include(name: str, with_opt_in: bool) -> list[str]:
    base = ['tenant_id', 'size_class', 'province'] if name == 'ix_result_figure_enterprises' \
        else list(_COVERED)
    return base + (['opted_in'] if with_opt_in else [])


def _recreate_indexes(with_opt_in: bool) -> None:
    with op.batch_alter_table('result_figure', schema=None) as batch_op:
        for name, columns in _INDEXES.items():
            batch_op.drop_index(name)
            batch_op.create_index(name, columns, unique=False,
                                  postgresql_include=_include(name, with_opt_in),
                                  postgresql_where=sa.text('current'))


def upgrade() -> None:
    op.create_table('benchmark_stale_mark',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True,
              nullable=False),
    sa.Column('pool_key', sa.String(length=60), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('cohort_key', sa.String(length=60), nullable=False),
    sa.Column('marked_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_benchmark_stale_mark_cohort', 'benchmark_stale_mark',
                    ['pool_key', 'year', 'cohort_key', 'id'], unique=False)
    op.create_table('benchmark_refresh',
    sa.Column('pool_key', sa.String(length=60), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('cohort_key', sa.String(length=60), nullable=False),
    sa.Column('claimed_by', sa.Uuid(), nullable=True),
    sa.Column('claimed_at', UTCDateTime(), nullable=True),
    sa.Column('refreshed_at', UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('pool_key', 'year', 'cohort_key')
    )
    with op.batch_alter_table('result_figure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opted_in', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    postgres = op.get_bind().dialect.name == 'postgresql'
    if postgres:
        op.execute('ALTER TABLE result_figure NO FORCE ROW LEVEL SECURITY')
        op.execute('ALTER TABLE enterprise_profile NO FORCE ROW LEVEL SECURITY')
    op.execute('UPDATE result_figure SET opted_in = true WHERE tenant_id IN '
               '(SELECT tenant_id FROM enterprise_profile WHERE benchmark_opt_in)')
    if postgres:
        op.execute('ALTER TABLE enterprise_profile FORCE ROW LEVEL SECURITY')
        op.execute('ALTER TABLE result_figure FORCE ROW LEVEL SECURITY')
    _recreate_indexes(with_opt_in=True)
    # A member's current overall figure of a year, for the association dashboard.
    with op.batch_alter_table('result_figure', schema=None) as batch_op:
        batch_op.create_index('ix_result_figure_member_overall', ['tenant_id', 'year'],
                              unique=False,
                              postgresql_include=['score', 'level', 'industry_division',
                                                  'size_class', 'province'],
                              postgresql_where=sa.text("current AND code = 'overall'"))


def downgrade() -> None:
    with op.batch_alter_table('result_figure', schema=None) as batch_op:
        batch_op.drop_index('ix_result_figure_member_overall')
    _recreate_indexes(with_opt_in=False)
    with op.batch_alter_table('result_figure', schema=None) as batch_op:
        batch_op.drop_column('opted_in')
    op.drop_table('benchmark_refresh')
    op.drop_index('ix_benchmark_stale_mark_cohort', table_name='benchmark_stale_mark')
    op.drop_table('benchmark_stale_mark')
