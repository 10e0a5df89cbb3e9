"""Local times: each user's time zone

Revision ID: 0016
Revises: 0015

``app_user.timezone``: an IANA time zone name (e.g. ``Asia/Shanghai``) in which pages show
times to this user; NULL means the default (``DEFAULT_TIMEZONE``, Asia/Shanghai). Times stay
stored in UTC.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("timezone")
