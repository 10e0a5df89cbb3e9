"""Bulk report runs on more than one worker: the run's claim and lease

Revision ID: 0023
Revises: 0022

A bulk run is claimed by a conditional update on its row (``claimed_by``, ``lease_until``,
``attempts``): the run renews its lease while it lives, and a run whose worker died (its lease
past) is taken over by another worker, which resumes from the reports already stored. The
table keeps its row-level security policies; new columns need none of their own.
"""
from alembic import op
import sqlalchemy as sa
from tenants.types import UTCDateTime

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('bulk_report_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('lease_until', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0',
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('bulk_report_job', schema=None) as batch_op:
        batch_op.drop_column('attempts')
        batch_op.drop_column('lease_until')
        batch_op.drop_column('claimed_by')
