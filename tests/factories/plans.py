"""Improvement plans built through the services, for the plan tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask

from assessment.assessments import queries as assessment_queries
from assessment.plans import services
from assessment.plans.proposals import proposals_for
from assessment.plans.services import Actor
from tenants import queries as platform_queries
from tenants.context import set_tenant
from tenants.extensions import db
from tenants.models import Tenant, User
from tests.factories.assessments import owner


def actor_for(tenant: Tenant, user: User | None = None) -> Actor:
    """The actor ``user`` (default: the owner) of ``tenant``, in ``tenant``'s scope."""
    user = user or owner(tenant)
    membership = platform_queries.membership(tenant.id, user.id)
    assert membership is not None
    return Actor.of(user, membership)


@contextmanager
def in_enterprise(app: Flask, tenant: Tenant) -> Iterator[None]:
    with app.test_request_context():
        set_tenant(db.session, tenant.id)
        yield
        db.commit()


def make_plan(app: Flask, tenant: Tenant, assessment: Any, adopt: int = 3) -> Any:
    """A plan of ``assessment`` with its first ``adopt`` proposals adopted."""
    with in_enterprise(app, tenant):
        loaded = assessment_queries.assessment(assessment.id)
        actor = actor_for(tenant)
        plan = services.create_plan(loaded, actor)
        services.adopt(plan, proposals_for(loaded)[:adopt], actor)
        db.session.flush()
        db.session.expunge(plan)
    return plan
