"""Factories for the import/export tests: an enterprise with a profile and an assessment
whose answers were saved through the services."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask import Flask

from assessment.assessments import answering, services
from assessment.assessments.models import AnswerState
from assessment.profiles.rules import uscc_check_character
from assessment.profiles.services import ProfileData, save_profile
from tenants import queries as platform_queries
from tenants.context import set_tenant
from tenants.extensions import db
from tenants.models import Tenant, User

ANSWERS: dict[str, Any] = {
    "collaboration.organization": 3,
    "online_business_areas": ["procurement", "production", "sales"],
    "partners_online_active": 40, "partners_total": 120,
    "resource_sharing": {"warehousing": 40, "testing": None},
    "units_sold": 9800, "units_produced": 10000,
    "operating_cost": 42000.5, "period_expenses": 3800, "operating_revenue": 50000,
    "deliveries_on_time": 965, "deliveries_total": 1000,
    "digital.strategy": 2, "orders_online": 700, "orders_total": 1000,
    "output_value": 52000,
    "energy": [{"carrier": "electricity", "quantity": 1200000, "unit": "kWh"},
               {"carrier": "natural_gas", "quantity": 80000, "unit": "m3"}],
    "process_emissions": [{"gas": "CH4", "tonnes": 1.5}],
    "scm_staff": 30, "total_staff": 600,
}
UNKNOWN = ("security_incidents",)
NOT_APPLICABLE = {"global.footprint": "No overseas operations."}


@dataclass(frozen=True)
class Made:
    tenant_id: uuid.UUID
    slug: str
    assessment_id: uuid.UUID
    owner_email: str


def credit_code(n: int) -> str:
    first17 = f"91110000{n:09d}"
    return first17 + uscc_check_character(first17)


def make_assessment(app: Flask, tenant: Tenant, owner: User, *, year: int = 2025,
                    answers: dict[str, Any] | None = None, finalise: bool = False) -> Made:
    with app.test_request_context():
        set_tenant(db.session, tenant.id)
        user = db.session.merge(owner)
        membership = platform_queries.membership(tenant.id, user.id)
        assert membership is not None
        save_profile(membership, user, ProfileData(
            legal_name=f"{tenant.name} Ltd",
            credit_code=credit_code(abs(hash(tenant.slug)) % 10**9),
            industry_division="C34", employees=600, revenue_wan="50000", province="32"))
        assessment = services.create_assessment(membership, year, user)
        for key, value in (ANSWERS if answers is None else answers).items():
            answering.save_answer(assessment, membership, user, key, value)
        for key in UNKNOWN:
            answering.save_answer(assessment, membership, user, key, None, AnswerState.unknown)
        for code, reason in NOT_APPLICABLE.items():
            answering.set_not_applicable(assessment, membership, user, code, True, reason)
        if finalise:
            services.submit(assessment, membership)
            services.finalise(assessment, user)
        made = Made(tenant.id, tenant.slug, assessment.id, user.email)
        db.commit()
        return made
