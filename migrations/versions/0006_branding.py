"""Report branding of a tenant: logo, brand colour, footer text

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa
from tenants import rls
from tenants.types import UTCDateTime

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('tenant_branding',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('logo', sa.LargeBinary(), nullable=True),
    sa.Column('logo_media_type', sa.String(length=20), nullable=True),
    sa.Column('brand_colour', sa.String(length=7), nullable=False),
    sa.Column('footer_text', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Uuid(), nullable=True),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.ForeignKeyConstraint(['updated_by_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('tenant_id', 'id'),
    sa.UniqueConstraint('tenant_id', name='uq_tenant_branding_tenant')
    )
    rls.enable('tenant_branding')


def downgrade() -> None:
    rls.disable('tenant_branding')
    op.drop_table('tenant_branding')
