"""The Free plan's one assessment a year, counted by the assessment package itself."""

from __future__ import annotations

import pytest

from assessment.assessments import services
from assessment.profiles.services import ProfileData, save_profile
from tenants import queries as platform_queries
from tenants.billing.entitlements import EntitlementRequired
from tenants.context import set_tenant
from tenants.extensions import db
from tests.factories import owner_of
from tests.integration.billing.helpers import billing, subscribe

__all__ = ["billing"]

PROFILE = ProfileData(legal_name="示例机械有限公司", credit_code="91350100M000100Y43",
                      industry_division="C34", employees=350, revenue_wan="5000",
                      province="32")


def _start(app, tenant, years):
    owner = owner_of(app, tenant)
    with app.test_request_context():
        set_tenant(db.session, tenant.id)
        member = platform_queries.membership(tenant.id, owner.id)
        user = db.session.merge(owner)
        save_profile(member, user, PROFILE)
        created = [services.create_assessment(member, year, user) for year in years]
        db.commit()
        return created


def test_free_allows_one_assessment_a_year_with_an_upgrade_link(app, billing, make_tenant):
    tenant = make_tenant("enterprise")
    _start(app, tenant, [2025])
    with pytest.raises(EntitlementRequired) as refused:
        _start(app, tenant, [2024])
    assert "/billing/" in refused.value.upgrade_url
    assert refused.value.field == "year"


def test_professional_has_no_yearly_limit(app, billing, make_tenant):
    tenant = make_tenant("enterprise")
    subscribe(app, tenant, "professional")
    assert [a.year for a in _start(app, tenant, [2025, 2024, 2023])] == [2025, 2024, 2023]


def test_self_hosted_mode_has_no_limit(app, make_tenant):
    tenant = make_tenant("enterprise")
    assert len(_start(app, tenant, [2025, 2024])) == 2
