"""The enterprise profile page: owners and administrators edit it, every error at once, the
size class derived by the NBS rule, a stale save refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessment.profiles.models import EnterpriseProfile
from tests.factories import owner_of
from tests.web.assessment.factories import valid_credit_code
from tests.web.helpers import ENGLISH, field_error, flashes, text


def _form(**overrides):
    data = {"legal_name": "Acme Precision Ltd", "credit_code": valid_credit_code(),
            "industry_division": "C34", "employees": "120", "revenue_wan": "2500",
            "province": "33", "version": ""}
    data.update(overrides)
    return data


def test_owner_saves_the_profile_and_sees_its_size_class(app, client, make_tenant, sign_in,
                                                         post, fetch):
    tenant = make_tenant("enterprise")
    sign_in(owner_of(app, tenant))
    response = post(f"/t/{tenant.slug}/profile/", _form(chain_leader="y"))
    assert response.status_code == 302
    [profile] = fetch(EnterpriseProfile, EnterpriseProfile.tenant_id == tenant.id)
    assert (profile.size_class, profile.chain_leader, profile.version) == ("small", True, 1)
    page = text(client.get(f"/t/{tenant.slug}/profile/", headers=ENGLISH))
    assert "Small" in page and "Acme Precision Ltd" in page


def test_a_wrong_check_character_is_shown_on_the_credit_code_with_the_other_errors(
        app, client, make_tenant, sign_in, post, fetch):
    tenant = make_tenant("enterprise")
    sign_in(owner_of(app, tenant))
    code = valid_credit_code()
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = post(f"/t/{tenant.slug}/profile/",
                    _form(credit_code=wrong, employees="many"), headers=ENGLISH)
    assert response.status_code == 422
    assert "check the code for a typing error" in field_error(response, "credit_code")
    assert "whole number" in field_error(response, "employees")
    assert fetch(EnterpriseProfile, EnterpriseProfile.tenant_id == tenant.id) == []


@pytest.mark.parametrize(("employees", "revenue", "expected"), [
    ("1000", "40000", "large"),
    ("999", "40000", "medium"),
    ("300", "2000", "medium"),
    ("300", "1999.99", "small"),
    ("20", "300", "small"),
    ("19", "300", "micro"),
])
def test_the_size_class_is_derived_at_the_thresholds(app, make_tenant, sign_in, post, fetch,
                                                     employees, revenue, expected):
    tenant = make_tenant("enterprise")
    sign_in(owner_of(app, tenant))
    assert post(f"/t/{tenant.slug}/profile/",
                _form(employees=employees, revenue_wan=revenue)).status_code == 302
    [profile] = fetch(EnterpriseProfile, EnterpriseProfile.tenant_id == tenant.id)
    assert profile.size_class == expected
    assert profile.revenue_wan == Decimal(revenue)


def test_a_stale_save_overwrites_nothing(app, client, enterprise_with_profile, sign_in, post,
                                         fetch):
    tenant = enterprise_with_profile()  # version 1, saved by the owner
    sign_in(owner_of(app, tenant))
    assert post(f"/t/{tenant.slug}/profile/", _form(version="1")).status_code == 302
    stale = post(f"/t/{tenant.slug}/profile/", _form(legal_name="Stale Ltd", version="1"),
                 headers=ENGLISH)
    assert stale.status_code == 409
    assert any("Someone else changed the profile" in m for m in flashes(stale))
    [profile] = fetch(EnterpriseProfile, EnterpriseProfile.tenant_id == tenant.id)
    assert (profile.legal_name, profile.version) == ("Acme Precision Ltd", 2)


def test_a_profile_created_meanwhile_is_not_overwritten(app, enterprise_with_profile, sign_in,
                                                        post, fetch):
    tenant = enterprise_with_profile()
    sign_in(owner_of(app, tenant))
    assert post(f"/t/{tenant.slug}/profile/", _form(version="")).status_code == 409
    [profile] = fetch(EnterpriseProfile, EnterpriseProfile.tenant_id == tenant.id)
    assert profile.legal_name == "示例制造有限公司"


def test_viewers_read_the_profile_and_cannot_save_it(app, client, enterprise_with_profile,
                                                     make_user, sign_in, post):
    viewer = make_user()
    tenant = enterprise_with_profile(members=[(viewer, "viewer")])
    sign_in(viewer)
    page = text(client.get(f"/t/{tenant.slug}/profile/"))
    assert "示例制造有限公司" in page and 'name="legal_name"' not in page
    assert post(f"/t/{tenant.slug}/profile/", _form()).status_code == 403


def test_the_select_lists_follow_the_language(app, client, make_tenant, sign_in):
    tenant = make_tenant("enterprise")
    sign_in(owner_of(app, tenant))
    page = text(client.get(f"/t/{tenant.slug}/profile/"))
    # industries by name; the code is only the option's value
    assert '<option value="C36">汽车制造业</option>' in page and ">C36 " not in page
    english = text(client.get(f"/t/{tenant.slug}/profile/", headers=ENGLISH))
    assert "Zhejiang" in english and "Manufacture of motor vehicles" in english


def test_an_association_has_no_profile_page(app, client, make_tenant, sign_in):
    tenant = make_tenant("association")
    sign_in(owner_of(app, tenant))
    assert client.get(f"/t/{tenant.slug}/profile/").status_code == 404
