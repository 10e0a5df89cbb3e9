"""Honest verification: who verified for which organisation, internally reviewed labels, and
the reviewing organisation of a finalised revision

Revision ID: 0014
Revises: 0012

Schema:
- ``indicator_state.verified_by_tenant_id`` and ``verified_at``: the organisation the
  reviewer acted for, and when; a check constraint refuses ``verified`` unless that
  organisation is another tenant than the enterprise (a linked reviewer);
- ``assessment_revision.reviewed_by_tenant_id`` and ``reviewed_by_name``: the linked
  consultancy or association whose reviewer finalised the revision (empty: a
  self-assessment).

Data (existing rows were labelled before the rule existed):
- A verified label was made by a linked reviewer when its user (``verified_by_id``) is not
  a member of the enterprise and is a member of exactly one tenant whose link to the
  enterprise grants ``review`` and was accepted (it may have been revoked since: the
  verification was made while it held). Such a label keeps ``verified`` and gets that
  tenant and ``verified_at`` = the row's ``updated_at``. Every other verified label (no
  user, a member of the enterprise, nobody linked, or ambiguous) becomes
  ``internally_reviewed``: the label then claims less, never more.
- A finalised revision was reviewed when the user who finalised it passes the same test;
  it gets that tenant and its current name. Otherwise it stays a self-assessment.
- The confidence snapshot of every revision: a ``verified`` entry stays only when the
  indicator's current label is an outside verification (as decided above); otherwise it
  becomes ``internally_reviewed``. A revision keeps no verifier of its own, so an outside
  verification withdrawn after the revision was finalised is downgraded there too: the
  label then claims less, never more.

On PostgreSQL the tables are under forced row-level security, which applies to the owner
that runs migrations too; the data fix lifts the forcing on the tables it reads and writes
for its own transaction and puts it back (the tables' policies are unchanged).

The downgrade turns ``internally_reviewed`` back into ``verified`` (the old schema had only
that word for a reviewer's check) and drops the columns.
"""
from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from alembic import op

from tenants.types import UTCDateTime

revision = '0014'
down_revision = '0012'
branch_labels = None
depends_on = None

VERIFIED_OUTSIDE = ("confidence <> 'verified' OR (verified_by_tenant_id IS NOT NULL "
                    "AND verified_by_tenant_id <> tenant_id)")
# Read and written by the data fix (platform tables may be under RLS too, by then).
DATA_TABLES = ('indicator_state', 'assessment_revision', 'membership', 'tenant_link',
               'tenant')
REVIEWABLE_STATUSES = ('accepted', 'revoked')


def upgrade() -> None:
    with op.batch_alter_table('indicator_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verified_by_tenant_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('verified_at', UTCDateTime(), nullable=True))
        batch_op.create_foreign_key('fk_indicator_state_verified_by_tenant', 'tenant',
                                    ['verified_by_tenant_id'], ['id'])
    with op.batch_alter_table('assessment_revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviewed_by_tenant_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_name', sa.String(length=200),
                                      nullable=False, server_default=''))
        batch_op.create_foreign_key('fk_assessment_revision_reviewed_by_tenant', 'tenant',
                                    ['reviewed_by_tenant_id'], ['id'])
    with _rls_lifted(DATA_TABLES):
        _fix_labels(op.get_bind())
    # After the data fix: every verified label left names another organisation.
    with op.batch_alter_table('indicator_state', schema=None) as batch_op:
        batch_op.create_check_constraint('ck_indicator_state_verified_outside',
                                         sa.text(VERIFIED_OUTSIDE))


def downgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table('indicator_state', schema=None) as batch_op:
        batch_op.drop_constraint('ck_indicator_state_verified_outside', type_='check')
    with _rls_lifted(DATA_TABLES):
        bind.execute(sa.text("UPDATE indicator_state SET confidence = 'verified' "
                             "WHERE confidence = 'internally_reviewed'"))
        revisions = sa.table('assessment_revision', sa.column('id', sa.Uuid()),
                             sa.column('tenant_id', sa.Uuid()),
                             sa.column('confidence', sa.JSON()))
        for row in bind.execute(sa.select(revisions)).mappings().all():
            confidence = _loaded(row['confidence'])
            changed = {code: ('verified' if label == 'internally_reviewed' else label)
                       for code, label in confidence.items()}
            if changed != confidence:
                bind.execute(revisions.update()
                             .where(revisions.c.id == row['id'],
                                    revisions.c.tenant_id == row['tenant_id'])
                             .values(confidence=changed))
    with op.batch_alter_table('indicator_state', schema=None) as batch_op:
        batch_op.drop_constraint('fk_indicator_state_verified_by_tenant', type_='foreignkey')
        batch_op.drop_column('verified_at')
        batch_op.drop_column('verified_by_tenant_id')
    with op.batch_alter_table('assessment_revision', schema=None) as batch_op:
        batch_op.drop_constraint('fk_assessment_revision_reviewed_by_tenant',
                                 type_='foreignkey')
        batch_op.drop_column('reviewed_by_name')
        batch_op.drop_column('reviewed_by_tenant_id')


class _rls_lifted:
    """Within the migration's transaction, row-level security stops binding the owner on
    ``tables`` where it was forced; it is forced again on the way out (PostgreSQL only)."""

    def __init__(self, tables: tuple[str, ...]) -> None:
        self.tables = tables
        self.lifted: list[str] = []

    def __enter__(self) -> None:
        bind = op.get_bind()
        if bind.dialect.name != 'postgresql':
            return
        forced = bind.execute(sa.text(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relforcerowsecurity "
            "AND relname = ANY(:names) AND relnamespace = 'public'::regnamespace"),
            {'names': list(self.tables)}).scalars().all()
        for table in forced:
            op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
            self.lifted.append(table)

    def __exit__(self, *exc: Any) -> None:
        for table in self.lifted:
            op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')


def _loaded(value: Any) -> dict[str, str]:
    if isinstance(value, str):  # a JSON column read back as text by a plain select
        import json

        value = json.loads(value)
    return dict(value or {})


def _as_uuid(value: Any) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    return uuid.UUID(str(value))


def _fix_labels(bind: sa.engine.Connection) -> None:
    membership = sa.table('membership', sa.column('tenant_id', sa.Uuid()),
                          sa.column('user_id', sa.Uuid()))
    link = sa.table('tenant_link', sa.column('source_tenant_id', sa.Uuid()),
                    sa.column('target_tenant_id', sa.Uuid()), sa.column('status', sa.String()),
                    sa.column('grants', sa.JSON()), sa.column('responded_at', UTCDateTime()))
    tenant = sa.table('tenant', sa.column('id', sa.Uuid()), sa.column('name', sa.String()))
    states = sa.table('indicator_state', sa.column('id', sa.Uuid()),
                      sa.column('tenant_id', sa.Uuid()),
                      sa.column('assessment_id', sa.Uuid()), sa.column('code', sa.String()),
                      sa.column('confidence', sa.String()),
                      sa.column('verified_by_id', sa.Uuid()),
                      sa.column('verified_by_tenant_id', sa.Uuid()),
                      sa.column('verified_at', UTCDateTime()),
                      sa.column('updated_at', UTCDateTime()))
    revisions = sa.table('assessment_revision', sa.column('id', sa.Uuid()),
                         sa.column('tenant_id', sa.Uuid()),
                         sa.column('assessment_id', sa.Uuid()),
                         sa.column('confidence', sa.JSON()),
                         sa.column('finalised_by_id', sa.Uuid()),
                         sa.column('reviewed_by_tenant_id', sa.Uuid()),
                         sa.column('reviewed_by_name', sa.String()))

    tenants_of: dict[uuid.UUID, set[uuid.UUID]] = {}
    for row in bind.execute(sa.select(membership)).mappings():
        tenants_of.setdefault(_as_uuid(row['user_id']), set()).add(_as_uuid(row['tenant_id']))
    # enterprise -> the tenants whose link to it granted review and was accepted
    reviewers_of: dict[uuid.UUID, set[uuid.UUID]] = {}
    for row in bind.execute(sa.select(link)).mappings():
        grants = row['grants']
        if isinstance(grants, str):
            import json

            grants = json.loads(grants)
        if row['status'] in REVIEWABLE_STATUSES and row['responded_at'] is not None \
                and 'review' in (grants or []):
            reviewers_of.setdefault(_as_uuid(row['target_tenant_id']), set()).add(
                _as_uuid(row['source_tenant_id']))
    names = {_as_uuid(row['id']): row['name']
             for row in bind.execute(sa.select(tenant)).mappings()}

    def linked_reviewer_tenant(user_id: Any, enterprise_id: Any) -> uuid.UUID | None:
        user, enterprise = _as_uuid(user_id), _as_uuid(enterprise_id)
        if user is None or enterprise is None:
            return None
        own = tenants_of.get(user, set())
        if enterprise in own:
            return None  # a member of the enterprise: its own check
        candidates = own & reviewers_of.get(enterprise, set())
        return next(iter(candidates)) if len(candidates) == 1 else None

    outside: set[tuple[uuid.UUID, str]] = set()  # (assessment, code) verified from outside
    for row in bind.execute(sa.select(states).where(states.c.confidence == 'verified')
                            ).mappings().all():
        reviewer_tenant = linked_reviewer_tenant(row['verified_by_id'], row['tenant_id'])
        where = (states.c.id == row['id'], states.c.tenant_id == row['tenant_id'])
        if reviewer_tenant is None:
            bind.execute(states.update().where(*where).values(
                confidence='internally_reviewed', verified_at=row['updated_at']))
        else:
            outside.add((_as_uuid(row['assessment_id']), row['code']))
            bind.execute(states.update().where(*where).values(
                verified_by_tenant_id=reviewer_tenant, verified_at=row['updated_at']))

    for row in bind.execute(sa.select(revisions)).mappings().all():
        reviewer_tenant = linked_reviewer_tenant(row['finalised_by_id'], row['tenant_id'])
        confidence = _loaded(row['confidence'])
        assessment_id = _as_uuid(row['assessment_id'])
        fixed = {code: ('internally_reviewed'
                        if label == 'verified' and (assessment_id, code) not in outside
                        else label)
                 for code, label in confidence.items()}
        values: dict[str, Any] = {}
        if fixed != confidence:
            values['confidence'] = fixed
        if reviewer_tenant is not None:
            values['reviewed_by_tenant_id'] = reviewer_tenant
            values['reviewed_by_name'] = names.get(reviewer_tenant, '')
        if values:
            bind.execute(revisions.update().where(revisions.c.id == row['id'],
                                                  revisions.c.tenant_id == row['tenant_id'])
                         .values(**values))
