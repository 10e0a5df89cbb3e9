"""Reads of the enterprise profile. Tenant-scoped: the ORM filter confines them to the
current tenant (an enterprise has at most one profile)."""

from __future__ import annotations

from sqlmodel import select

from assessment.profiles.models import EnterpriseProfile
from tenants.db import db


def profile() -> EnterpriseProfile | None:
    return db.session.exec(select(EnterpriseProfile)).first()


def profile_for_share() -> EnterpriseProfile | None:
    """The profile, share-locked until the commit (PostgreSQL): a concurrent change of the
    benchmark opt-in waits for the figures being published, and rewrites them after."""
    return db.session.exec(select(EnterpriseProfile).with_for_update(read=True)).first()
