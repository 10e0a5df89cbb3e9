"""Confirmation before what cannot be undone: submit, finalise, return, reopen, ending a link,
removing a member and deleting evidence each answer a first POST with a page that says in
one sentence what the action will do and changes nothing; the POST with ``confirm=yes``
acts. No JavaScript is involved."""

from __future__ import annotations

import re

from assessment.assessments.models import Assessment
from assessment.evidence.models import EvidenceFile
from assessment.profiles.models import EnterpriseProfile
from tenants.models import LinkGrant, LinkStatus, Membership, Role, TenantLink
from tests.factories import owner_of
from tests.web.assessment_review.test_evidence_web import (  # noqa: F401 - a fixture
    _url,
    enterprise_with_file,
)
from tests.web.helpers import ENGLISH, text

CONFIRM = {"confirm": "yes"}


def _base(tenant, assessment, enterprise=None):
    if enterprise is None:
        return f"/t/{tenant.slug}/assessments/{assessment.id}"
    return f"/t/{tenant.slug}/clients/{enterprise.id}/assessments/{assessment.id}"


def _row(fetch, assessment) -> Assessment:
    [row] = fetch(Assessment, Assessment.id == assessment.id)
    return row


def _asks(response, *words: str) -> str:
    """The confirmation page: one sentence, a form that repeats the POST confirmed."""
    assert response.status_code == 200
    page = text(response)
    assert 'class="confirm-sentence"' in page
    assert re.search(r'name="confirm" value="yes"', page)
    assert 'name="csrf_token"' in page
    sentence = re.search(r'class="confirm-sentence">([^<]+)<', page)
    assert sentence
    for word in words:
        assert word in sentence.group(1), (word, sentence.group(1))
    return page


def test_submit_asks_first_then_submits(app, make_enterprise, make_assessment, sign_in, post,
                                        fetch):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    sign_in(owner_of(app, enterprise))
    version = _row(fetch, assessment).version
    url = f"{_base(enterprise, assessment)}/submit"
    page = _asks(post(url, {"expected_version": version}, headers=ENGLISH),
                 str(assessment.year), "review")
    assert f'name="expected_version" value="{version}"' in page  # carried to the confirmation
    assert _row(fetch, assessment).state == "draft"
    assert post(url, {**CONFIRM, "expected_version": version}).status_code == 303
    assert _row(fetch, assessment).state == "submitted"


def test_a_chinese_confirmation_is_in_chinese(app, make_enterprise, make_assessment, sign_in,
                                              post, fetch):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    sign_in(owner_of(app, enterprise))
    response = post(f"{_base(enterprise, assessment)}/submit",
                    {"expected_version": _row(fetch, assessment).version})
    page = _asks(response, str(assessment.year))
    assert "审阅" in page and "Submit for review" not in page


def test_finalise_asks_and_offers_the_pool_at_the_first_finalisation(
        app, make_enterprise, make_assessment, sign_in, post, fetch):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise, submit=True)
    sign_in(owner_of(app, enterprise))
    url = f"{_base(enterprise, assessment)}/review/finalise"
    version = _row(fetch, assessment).version
    page = _asks(post(url, {"expected_version": version}, headers=ENGLISH),
                 "cannot be changed")
    assert 'name="benchmark_opt_in"' in page
    assert "It gives" in page and "It costs" in page
    assert _row(fetch, assessment).state == "submitted"
    done = post(url, {**CONFIRM, "expected_version": version, "benchmark_opt_in": "y"})
    assert done.status_code == 303
    assert _row(fetch, assessment).state == "finalised"
    [profile] = fetch(EnterpriseProfile, EnterpriseProfile.tenant_id == enterprise.id)
    assert profile.benchmark_opt_in


def test_finalising_without_ticking_the_pool_leaves_it(app, make_enterprise, make_assessment,
                                                       sign_in, post, fetch):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise, submit=True)
    sign_in(owner_of(app, enterprise))
    url = f"{_base(enterprise, assessment)}/review/finalise"
    assert post(url, {**CONFIRM, "expected_version": _row(fetch, assessment).version}
                ).status_code == 303
    [profile] = fetch(EnterpriseProfile, EnterpriseProfile.tenant_id == enterprise.id)
    assert not profile.benchmark_opt_in


def test_a_linked_reviewer_is_not_asked_the_enterprises_pool(
        app, make_enterprise, make_assessment, make_tenant, make_link, sign_in, post, fetch):
    enterprise = make_enterprise()
    consultancy = make_tenant("consultancy")
    make_link(consultancy, enterprise, grants=(LinkGrant.review,))
    assessment = make_assessment(enterprise, submit=True)
    sign_in(owner_of(app, consultancy))
    url = f"{_base(consultancy, assessment, enterprise)}/review/finalise"
    page = _asks(post(url, {"expected_version": _row(fetch, assessment).version},
                      headers=ENGLISH), enterprise.name)
    assert 'name="benchmark_opt_in"' not in page


def test_return_asks_first(app, make_enterprise, make_assessment, sign_in, post, fetch):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise, submit=True)
    sign_in(owner_of(app, enterprise))
    url = f"{_base(enterprise, assessment)}/review/return"
    version = _row(fetch, assessment).version
    assert post(f"{_base(enterprise, assessment)}/review/comments",
                {"body": "Please complete the green page."}).status_code in (302, 303)
    _asks(post(url, {"expected_version": version}, headers=ENGLISH), enterprise.name)
    assert _row(fetch, assessment).state == "submitted"
    assert post(url, {**CONFIRM, "expected_version": version}).status_code == 303
    assert _row(fetch, assessment).state == "returned"


def test_reopen_asks_first(app, make_enterprise, make_assessment, sign_in, post, fetch):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise, finalise=True)
    sign_in(owner_of(app, enterprise))
    url = f"{_base(enterprise, assessment)}/reopen"
    version = _row(fetch, assessment).version
    _asks(post(url, {"expected_version": version}, headers=ENGLISH), "new revision")
    assert _row(fetch, assessment).state == "finalised"
    assert post(url, {**CONFIRM, "expected_version": version}).status_code == 303
    assert _row(fetch, assessment).state == "draft"


def test_a_state_change_without_a_csrf_token_is_refused_before_asking(
        app, make_enterprise, make_assessment, sign_in, client, fetch):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    sign_in(owner_of(app, enterprise))
    response = client.post(f"{_base(enterprise, assessment)}/submit",
                           data={"expected_version": "1"})
    assert response.status_code == 400
    assert _row(fetch, assessment).state == "draft"


def test_ending_a_link_asks_first(app, make_tenant, make_link, sign_in, post, fetch):
    association = make_tenant("association")
    enterprise = make_tenant("enterprise")
    link = make_link(association, enterprise)
    sign_in(owner_of(app, enterprise))
    url = f"/t/{enterprise.slug}/links/{link.id}/revoke"
    _asks(post(url, headers=ENGLISH), association.name)
    [row] = fetch(TenantLink, TenantLink.id == link.id)
    assert row.status == LinkStatus.accepted
    assert post(url, CONFIRM).status_code == 302
    [row] = fetch(TenantLink, TenantLink.id == link.id)
    assert row.status == LinkStatus.revoked


def test_another_tenants_link_is_a_404_not_a_question(app, make_tenant, make_link, sign_in,
                                                       post):
    association = make_tenant("association")
    enterprise = make_tenant("enterprise")
    stranger = make_tenant("enterprise")
    link = make_link(association, enterprise)
    sign_in(owner_of(app, stranger))
    assert post(f"/t/{stranger.slug}/links/{link.id}/revoke").status_code == 404


def test_removing_a_member_asks_first(app, make_tenant, make_user, add_member, sign_in, post,
                                      fetch):
    tenant = make_tenant("enterprise")
    member = make_user(name="李四")
    add_member(tenant, member, Role.assessor)
    sign_in(owner_of(app, tenant))
    url = f"/t/{tenant.slug}/members/{member.id}/remove"
    _asks(post(url), "李四")
    assert fetch(Membership, Membership.user_id == member.id)
    assert post(url, CONFIRM).status_code == 302
    assert not fetch(Membership, Membership.user_id == member.id)


def test_deleting_evidence_asks_first(enterprise_with_file, post, fetch):  # noqa: F811
    enterprise, assessment, stored = enterprise_with_file
    url = f"{_url(enterprise, assessment, stored)}/delete"
    _asks(post(url, headers=ENGLISH), "delivery log.pdf")
    assert len(fetch(EvidenceFile, EvidenceFile.tenant_id == enterprise.id)) == 1
    assert post(url, CONFIRM).status_code == 303
    assert fetch(EvidenceFile, EvidenceFile.tenant_id == enterprise.id) == []
