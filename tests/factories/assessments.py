"""Enterprises with a profile and assessments with answers, built through the services
(the evidence, review, results, reports and dashboard tests use them).

Each commits into the test's rolled-back transaction, like :mod:`tests.factories.platform`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask

from assessment.assessments import answering
from assessment.assessments import services as lifecycle
from assessment.assessments.models import Assessment
from assessment.profiles import queries as profile_queries
from assessment.profiles.rules import uscc_check_character
from assessment.profiles.services import ProfileData, save_profile
from tenants import queries as platform_queries
from tenants.context import set_tenant
from tenants.extensions import db
from tenants.models import Tenant, User

# Totals before their sub-counts: a sub-count is checked against the saved total.
ANSWERS: dict[str, Any] = {
    "deliveries_total": 1000, "deliveries_on_time": 965,
    "units_output": 5000, "units_qualified": 4900,
    "partners_total": 40, "partners_online_active": 22,
    "collaboration.organization": 3, "digital.strategy": 2, "resilience.risk_warning": 4,
    "operating_revenue": 80000, "digital_investment": 900,
}
PREVIOUS_ANSWERS: dict[str, Any] = {
    "deliveries_total": 1000, "deliveries_on_time": 900,
    "units_output": 5000, "units_qualified": 4500,
    "collaboration.organization": 2, "digital.strategy": 2,
}


def credit_code(n: int = 1) -> str:
    first17 = f"9135010{n:010d}"
    return first17 + uscc_check_character(first17)


@contextmanager
def acting_in(app: Flask, tenant: Tenant) -> Iterator[None]:
    """A request context whose session acts for ``tenant``; commits at the end."""
    with app.test_request_context():
        set_tenant(db.session, tenant.id)
        yield
        db.commit()


def owner(tenant: Tenant) -> User:
    return platform_queries.owners_of(tenant.id)[0]


def membership_of(tenant: Tenant, user: User) -> Any:
    found = platform_queries.membership(tenant.id, user.id)
    assert found is not None
    return found


def give_profile(app: Flask, tenant: Tenant) -> None:
    with acting_in(app, tenant):
        user = owner(tenant)
        save_profile(membership_of(tenant, user), user, ProfileData(
            legal_name=f"{tenant.name} Ltd", credit_code=credit_code(),
            industry_division="C36", employees=600, revenue_wan="80000", province="35"))


def make_assessment(app: Flask, tenant: Tenant, year: int = 2024,
                    answers: dict[str, Any] | None = None, *, submit: bool = False,
                    finalise: bool = False) -> Assessment:
    """An assessment of ``tenant`` with ``answers`` saved by its owner; optionally
    submitted, or submitted and finalised by the owner."""
    with acting_in(app, tenant):
        if profile_queries.profile() is None:
            give_profile_in_context(tenant)
        user = owner(tenant)
        member = membership_of(tenant, user)
        assessment = lifecycle.create_assessment(member, year, user)
        for key, value in (ANSWERS if answers is None else answers).items():
            answering.save_answer(assessment, member, user, key, value)
        if submit or finalise:
            lifecycle.submit(assessment, member)
        if finalise:
            lifecycle.finalise(assessment, user)
        db.session.flush()
        db.session.expunge(assessment)
    return assessment


def give_profile_in_context(tenant: Tenant) -> None:
    user = owner(tenant)
    save_profile(membership_of(tenant, user), user, ProfileData(
        legal_name=f"{tenant.name} Ltd", credit_code=credit_code(),
        industry_division="C36", employees=600, revenue_wan="80000", province="35"))
