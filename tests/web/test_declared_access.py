"""Declared access (tenants.web.Access) and the one place that answers a refusal: an HTML
page for a browser, an RFC 9457 problem document for /api/ paths and JSON clients."""

from __future__ import annotations

import uuid

import pytest
from flask import Blueprint, Flask

from tenants.models import LinkGrant, Role, Tenant, TenantKind
from tenants.web import Access, access
from tests.factories import owner_of

JSON = {"Accept": "application/json"}


@pytest.fixture
def association(make_tenant) -> Tenant:
    return make_tenant(TenantKind.association)


@pytest.fixture
def enterprise(make_tenant) -> Tenant:
    return make_tenant(TenantKind.enterprise)


def test_a_route_for_another_kind_of_tenant_is_a_404_page(app, client, sign_in, association):
    sign_in(owner_of(app, association))
    response = client.get(f"/t/{association.slug}/profile/")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "页面不存在" in response.get_data(as_text=True)


def test_a_json_client_gets_the_refusal_as_a_problem_document_in_its_language(
        app, client, sign_in, association):
    sign_in(owner_of(app, association))
    url = f"/t/{association.slug}/profile/"
    response = client.get(url, headers=JSON)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json == {"type": "about:blank", "title": "页面不存在", "status": 404,
                             "detail": response.json["detail"]}
    assert response.json["detail"]
    english = client.get(url, headers={**JSON, "Accept-Language": "en"})
    assert english.json["title"] == "Page not found"
    assert english.headers["Content-Language"] == "en"


def test_a_path_under_api_is_answered_in_json_whatever_it_accepts(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 404


def test_a_browser_that_also_accepts_json_gets_the_page(client):
    response = client.get("/no-such-page", headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_a_role_refusal_is_a_403_in_both_shapes(app, client, sign_in, make_user, add_member,
                                                enterprise):
    viewer = make_user()
    add_member(enterprise, viewer, Role.viewer)
    sign_in(viewer)
    url = f"/t/{enterprise.slug}/assessments/{uuid.uuid4()}/import"  # owners and admins
    page = client.get(url)
    assert page.status_code == 403
    assert page.mimetype == "text/html"
    problem = client.get(url, headers=JSON)
    assert problem.status_code == 403
    assert problem.mimetype == "application/problem+json"
    assert problem.json["title"] == "无权操作"


def test_a_route_can_declare_other_kinds_than_its_blueprint(app, client, sign_in, association,
                                                           enterprise):
    """The review blueprint serves enterprises; its queue serves the linked organisations."""
    sign_in(owner_of(app, enterprise))
    assert client.get(f"/t/{enterprise.slug}/clients/reviews").status_code == 404
    client.post("/logout")
    sign_in(owner_of(app, association))
    assert client.get(f"/t/{association.slug}/clients/reviews").status_code == 200


@pytest.mark.parametrize(("grants", "status"), [
    ([LinkGrant.scores], 404),
    ([LinkGrant.reports], 200),
])
def test_a_linked_url_needs_a_link_with_the_declared_grant(app, client, sign_in, make_link,
                                                           association, enterprise, grants,
                                                           status):
    make_link(association, enterprise, grants=grants)
    sign_in(owner_of(app, association))
    response = client.get(f"/t/{association.slug}/reports/clients/{enterprise.id}/")
    assert response.status_code == status


def test_a_linked_url_on_a_route_that_declares_no_grant_is_refused():
    assert Access.of(kinds=[TenantKind.enterprise]).refusal(
        None, Role.owner, {"enterprise_id": uuid.uuid4()}) == 404  # type: ignore[arg-type]


def test_the_route_declaration_overrides_the_blueprints_part_by_part():
    blueprint = Access.of(kinds=[TenantKind.enterprise], grant=LinkGrant.review)
    route = Access.of(roles=[Role.owner])
    assert route.over(blueprint) == Access.of(kinds=[TenantKind.enterprise], roles=[Role.owner],
                                              grant=LinkGrant.review)


def test_a_declared_view_outside_a_tenant_blueprint_refuses_to_run():
    """Fail closed: the check lives in the tenant blueprint, so a view that declares access
    on another blueprint would otherwise run unchecked."""
    plain = Flask(__name__)
    bp = Blueprint("plain", __name__)

    @bp.route("/x")
    @access(roles=[Role.owner])
    def x() -> str:
        return "ran"

    plain.register_blueprint(bp)
    plain.testing = False
    response = plain.test_client().get("/x")
    assert response.status_code == 500
