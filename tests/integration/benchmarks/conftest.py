"""Factories for benchmark tests.

``peer`` makes an enterprise tenant with a profile and, optionally, a finalised assessment's
current figures inserted directly (in a logged system scope, as finalisation would write
them): fast enough for cohorts of dozens. ``finalised_through_services`` builds one through
the real lifecycle (profile, assessment, submit, finalise) for the end-to-end checks.
"""

from __future__ import annotations

import itertools
import uuid
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask

from tests import factories

_credit = itertools.count(1)


def _add_profile(tenant_id: uuid.UUID, division: str, size_class: str, province: str,
                 opt_in: bool) -> None:
    from assessment.profiles.models import EnterpriseProfile
    from tenants.context import set_tenant
    from tenants.extensions import db

    set_tenant(db.session, tenant_id)
    db.session.add(EnterpriseProfile(
        legal_name=f"Enterprise {tenant_id.hex[:6]}", credit_code=f"{next(_credit):018d}",
        industry_division=division, employees=500, revenue_wan=Decimal("5000"),
        size_class=size_class, province=province, benchmark_opt_in=opt_in))
    db.session.flush()


def add_figures(app: Flask, tenant_id: uuid.UUID, year: int, scores: dict[str, float | None],
                *, division: str = "C36", size_class: str = "medium", province: str = "32",
                values: dict[str, float] | None = None, current: bool = True,
                revision: int = 1) -> uuid.UUID:
    """A finalised assessment of ``year`` with one figure per code of ``scores``."""
    from sqlmodel import select

    from assessment.assessments.models import Assessment, ResultFigure
    from assessment.profiles.models import EnterpriseProfile
    from indicators.catalogue.industries import group_of
    from tenants.context import system_scope
    from tenants.extensions import db
    from tenants.types import utcnow

    values = values or {}
    with app.app_context():
        with system_scope(db.session, "test data"):
            assessment = db.session.exec(select(Assessment).where(
                Assessment.tenant_id == tenant_id, Assessment.year == year)).first()
            if assessment is None:
                assessment = Assessment(tenant_id=tenant_id, year=year, framework_id="scm-2024",
                                        framework_version="1", state="finalised",
                                        finalised_at=utcnow())
                db.session.add(assessment)
                db.session.flush()
            profile = db.session.exec(select(EnterpriseProfile).where(
                EnterpriseProfile.tenant_id == tenant_id)).first()
            opted_in = bool(profile and profile.benchmark_opt_in)  # as finalisation copies it
            for code, score in scores.items():
                kind = "overall" if code == "overall" else (
                    "indicator" if "." in code else "dimension")
                db.session.add(ResultFigure(
                    tenant_id=tenant_id, assessment_id=assessment.id, revision=revision,
                    year=year, code=code, kind=kind, status="ok" if score is not None
                    else "missing", score=score, value=values.get(code), level=None,
                    industry_division=division, industry_group=group_of(division),
                    size_class=size_class, province=province, current=current,
                    opted_in=opted_in))
            if current:  # as finalisation does: the cohorts' snapshots are stale now
                from assessment.benchmarks import refresh

                refresh.mark(year, division)
            db.session.flush()
            assessment_id = assessment.id
        db.commit()
        return assessment_id


def add_answers(app: Flask, tenant_id: uuid.UUID, year: int, answers: dict[str, Any], *,
                state: str | None = None) -> None:
    """Answer rows of the enterprise's assessment of ``year`` (made by ``add_figures``), as
    the questionnaire stores them; ``state`` overrides the assessment's (a reopened one)."""
    from sqlmodel import select

    from assessment.assessments.models import Answer, AnswerState, Assessment
    from tenants.context import system_scope
    from tenants.extensions import db

    with app.app_context():
        with system_scope(db.session, "test data"):
            assessment = db.session.exec(select(Assessment).where(
                Assessment.tenant_id == tenant_id, Assessment.year == year)).one()
            if state is not None:
                assessment.state = state
            for key, value in answers.items():
                unknown = value is AnswerState.unknown
                db.session.add(Answer(
                    tenant_id=tenant_id, assessment_id=assessment.id, key=key,
                    value=None if unknown else value,
                    state=AnswerState.unknown if unknown else AnswerState.answered))
            db.session.flush()
        db.commit()


def _bare_enterprise(app: Flask) -> Any:
    """An enterprise tenant with no users (hashing an owner's password is the slow part)."""
    from tenants.extensions import db
    from tenants.models import Tenant, TenantKind

    with app.app_context():
        n = next(_credit)
        tenant = Tenant(kind=TenantKind.enterprise, name=f"Peer {n}", slug=f"peer-{n}")
        db.session.add(tenant)
        db.commit()
        return tenant


def make_peer(app: Flask, scores: dict[str, float | None] | None = None, *, year: int = 2025,
              division: str = "C36", size_class: str = "medium", province: str = "32",
              opt_in: bool = True, values: dict[str, float] | None = None,
              with_owner: bool = False, answers: dict[str, Any] | None = None) -> Any:
    """An enterprise tenant with a profile; with ``scores``, a finalised assessment too, with
    ``answers`` as its answer rows. ``with_owner`` makes it through the accounts service,
    with an owner (for links)."""
    tenant = factories.make_tenant(app) if with_owner else _bare_enterprise(app)
    with app.app_context():
        from tenants.extensions import db

        _add_profile(tenant.id, division, size_class, province, opt_in)
        db.commit()
    if scores is not None:
        add_figures(app, tenant.id, year, scores, division=division, size_class=size_class,
                    province=province, values=values)
        if answers:
            add_answers(app, tenant.id, year, answers)
    return tenant


@pytest.fixture
def peer(app: Flask) -> Any:
    return lambda *a, **kw: make_peer(app, *a, **kw)


@pytest.fixture
def figures(app: Flask) -> Any:
    return lambda *a, **kw: add_figures(app, *a, **kw)


@pytest.fixture
def answers(app: Flask) -> Any:
    return lambda *a, **kw: add_answers(app, *a, **kw)


@pytest.fixture
def in_app(app: Flask) -> Any:
    """Run ``fn`` in a request context of the app (benchmark services need one for labels)
    and return its result; what it wrote is rolled back."""

    def run(fn: Any) -> Any:
        from tenants.extensions import db

        with app.test_request_context():
            try:
                return fn()
            finally:
                db.rollback()

    return run


def add_link(app: Flask, association: Any, member: Any, *,
             grants: tuple[str, ...] = ("scores",), status: str = "accepted") -> None:
    """A link row as the links service leaves it after the member answered (fast path; the
    revocation test goes through the service itself)."""
    from tenants.context import set_tenant
    from tenants.extensions import db
    from tenants.models import LinkKind, TenantLink

    with app.app_context():
        set_tenant(db.session, association.id)  # a link is written by one of its sides
        db.session.add(TenantLink(source_tenant_id=association.id, target_tenant_id=member.id,
                                  kind=LinkKind.association_member, status=status,
                                  grants=list(grants)))
        db.commit()


@pytest.fixture
def link(app: Flask) -> Any:
    return lambda *a, **kw: add_link(app, *a, **kw)
