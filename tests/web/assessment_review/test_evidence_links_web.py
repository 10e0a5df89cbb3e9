"""Evidence seen through links: a scores-only association never sees it, a consultant with the
review grant downloads until the link is revoked, a pending link is not enough."""

from __future__ import annotations

import io

import pytest

from assessment.evidence.models import EvidenceFile
from tenants.context import set_tenant
from tenants.models import LinkGrant
from tests.integration.assessment_review import factories
from tests.web.helpers import ENGLISH

CODE = "lean.on_time_delivery_rate"


def _upload(post, tenant, assessment, data, name, code=CODE):
    return post(f"/t/{tenant.slug}/assessments/{assessment.id}/evidence",
                {"indicator_code": code, "file": (io.BytesIO(data), name)},
                headers=ENGLISH, content_type="multipart/form-data")


@pytest.fixture
def enterprise_with_file(app, make_enterprise, make_assessment, sign_in, post, fetch):
    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    sign_in(factories_owner(app, enterprise))
    response = _upload(post, enterprise, assessment, factories.PDF, "delivery log.pdf")
    assert response.status_code == 303
    [stored] = fetch(EvidenceFile, EvidenceFile.tenant_id == enterprise.id)
    return enterprise, assessment, stored


def factories_owner(app, tenant):
    from tests.factories import owner_of

    return owner_of(app, tenant)


def _linked_url(source, enterprise, assessment, stored):
    return (f"/t/{source.slug}/clients/{enterprise.id}/assessments/{assessment.id}"
            f"/evidence/{stored.id}")


def test_an_association_with_only_scores_never_sees_evidence(
        app, enterprise_with_file, make_tenant, make_user, make_link, sign_in, client):
    enterprise, assessment, stored = enterprise_with_file
    boss = make_user()
    association = make_tenant("association", owner=boss)
    make_link(association, enterprise, grants=[LinkGrant.scores, LinkGrant.answers])
    sign_in(boss)
    response = client.get(_linked_url(association, enterprise, assessment, stored))
    assert response.status_code == 404


def test_a_consultant_with_review_downloads_until_the_link_is_revoked(
        app, enterprise_with_file, make_tenant, make_user, make_link, sign_in, client,
        audit_actions):
    from tenants.extensions import db
    from tenants.services import links
    from tests.factories import owner_of

    enterprise, assessment, stored = enterprise_with_file
    consultant = make_user()
    consultancy = make_tenant("consultancy", owner=consultant)
    link = make_link(consultancy, enterprise, grants=[LinkGrant.review])
    sign_in(consultant)
    url = _linked_url(consultancy, enterprise, assessment, stored)
    response = client.get(url)
    assert response.status_code == 200 and response.data == factories.PDF
    assert ("link.accessed", consultancy.name, {"grant": "review",
            "acting_tenant": str(consultancy.id)}) in audit_actions(enterprise, "link.accessed")
    with app.test_request_context():
        set_tenant(db.session, enterprise.id)  # the revoking side's scope
        links.revoke(db.session.merge(enterprise), db.session.merge(owner_of(app, enterprise)),
                     link.id)
        db.commit()
    assert client.get(url).status_code == 404


def test_a_pending_review_link_is_not_enough(app, enterprise_with_file, make_tenant, make_user,
                                             make_link, sign_in, client):
    enterprise, assessment, stored = enterprise_with_file
    consultant = make_user()
    consultancy = make_tenant("consultancy", owner=consultant)
    make_link(consultancy, enterprise, grants=[LinkGrant.review], accept=False)
    sign_in(consultant)
    assert client.get(_linked_url(consultancy, enterprise, assessment, stored)).status_code \
        == 404
