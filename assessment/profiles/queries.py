"""Reads of the enterprise profile. Tenant-scoped: the ORM filter confines them to the
current tenant (an enterprise has at most one profile)."""

from __future__ import annotations

from sqlmodel import select

from assessment.profiles.models import EnterpriseProfile
from tenants.db import db


def profile() -> EnterpriseProfile | None:
    return db.session.exec(select(EnterpriseProfile)).first()
