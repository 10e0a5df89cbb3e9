"""Factories for the dashboard tests: association members in every state, fast.

A member is an enterprise tenant without users (hashing passwords is the slow part) with a
profile, a link row as the links service leaves it, and, as asked, an assessment of the year
in a given state; a finalised one gets its current figures inserted directly in a logged
system scope, as finalisation writes them. The end-to-end checks build through the services
(tests/integration/assessment_review/factories.py).
"""

from __future__ import annotations

import itertools
import uuid
from decimal import Decimal
from typing import Any

from flask import Flask

_n = itertools.count(1)

DIMENSIONS = ("collaboration", "lean", "digital", "green", "global", "resilience", "talent")


def level_of(score: float) -> int:
    return min(5, int(score // 20) + 1)


def make_member(app: Flask, association: Any, state: str | None = "finalised", *,
                name: str | None = None, year: int = 2025, overall: float = 50.0,
                division: str = "C36", size_class: str = "medium", province: str = "32",
                link_status: str = "accepted", grants: tuple[str, ...] = ("scores",),
                scores: dict[str, float] | None = None, opt_in: bool = False) -> Any:
    """An enterprise linked to ``association``. ``state`` None: no assessment of the year;
    ``"finalised"`` writes its figures: ``overall``, every dimension at ``overall`` unless
    ``scores`` says otherwise, and any indicator scores in ``scores``."""
    from sqlmodel import select

    from assessment.assessments.models import Assessment, ResultFigure
    from assessment.profiles.models import EnterpriseProfile
    from indicators.catalogue.industries import group_of
    from tenants.context import set_tenant, system_scope
    from tenants.extensions import db
    from tenants.models import LinkKind, Tenant, TenantKind, TenantLink
    from tenants.types import utcnow

    n = next(_n)
    with app.app_context():
        tenant = Tenant(kind=TenantKind.enterprise, name=name or f"Member {n:03d}",
                        slug=f"member-{uuid.uuid4().hex[:10]}")
        db.session.add(tenant)
        db.session.flush()
        if association is not None:
            db.session.add(TenantLink(source_tenant_id=association.id,
                                      target_tenant_id=tenant.id,
                                      kind=LinkKind.association_member, status=link_status,
                                      grants=list(grants)))
        set_tenant(db.session, tenant.id)
        db.session.add(EnterpriseProfile(
            legal_name=f"{tenant.name} Co.", credit_code=f"{n:018d}",
            industry_division=division, employees=500, revenue_wan=Decimal("5000"),
            size_class=size_class, province=province, benchmark_opt_in=opt_in))
        db.session.flush()
        set_tenant(db.session, None)
        if state is not None:
            with system_scope(db.session, "test data"):
                assessment = Assessment(tenant_id=tenant.id, year=year, framework_id="scm-2024",
                                        framework_version="1", state=state,
                                        finalised_at=utcnow() if state == "finalised" else None)
                db.session.add(assessment)
                db.session.flush()
                if state == "finalised":
                    figures = {"overall": overall, **{d: overall for d in DIMENSIONS},
                               **(scores or {})}
                    for code, score in figures.items():
                        kind = "overall" if code == "overall" else (
                            "indicator" if "." in code else "dimension")
                        db.session.add(ResultFigure(
                            tenant_id=tenant.id, assessment_id=assessment.id, revision=1,
                            year=year, code=code, kind=kind, status="ok", score=score,
                            value=None, level=level_of(score), industry_division=division,
                            industry_group=group_of(division), size_class=size_class,
                            province=province, current=True, opted_in=opt_in))
                    from assessment.benchmarks import refresh

                    refresh.mark(year, division)  # as finalisation does
                db.session.flush()
                assert db.session.exec(select(Assessment).where(
                    Assessment.tenant_id == tenant.id)).first() is not None
        db.commit()
        return tenant


def revoke(app: Flask, association: Any, member: Any) -> None:
    """The member revokes its link (the link row as the links service leaves it)."""
    from sqlmodel import select

    from tenants.context import set_tenant
    from tenants.extensions import db
    from tenants.models import LinkStatus, TenantLink

    with app.app_context():
        set_tenant(db.session, association.id)  # the association's side of the link
        link = db.session.exec(select(TenantLink).where(
            TenantLink.source_tenant_id == association.id,
            TenantLink.target_tenant_id == member.id)).one()
        link.status = LinkStatus.revoked
        db.commit()
