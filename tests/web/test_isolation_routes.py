"""Every tenant route, walked automatically: another tenant's object is a 404.

For each URL rule that carries a tenant slug or an object id, a signed-in owner of tenant A
asks (1) for tenant B's URL and (2) for its own tenant's URL naming B's objects. Both must
be 404: B's existence is never revealed. A new route is covered as soon as it is registered;
if it takes an id this test does not know, the test fails and asks for a factory below.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from werkzeug.routing import Rule

from tests.conftest import csrf_token
from tests.factories import make_link, owner_of

# Capability URLs (e-mailed tokens) are not tenant objects; they have their own tests.
NOT_TENANT_ARGUMENTS = {"token", "filename"}


@pytest.fixture
def world(app, make_tenant, make_user):
    """Tenant A (signed in as its owner) and tenant B with one object of every kind."""
    from tenants.extensions import db
    from tenants.models import Role
    from tenants.services import memberships

    tenant_a = make_tenant("association")
    tenant_b = make_tenant("association")
    enterprise_b = make_tenant("enterprise")
    b_member = make_user()
    with app.test_request_context():
        from tenants.context import set_tenant

        b_owner = db.session.merge(owner_of(app, tenant_b))
        set_tenant(db.session, tenant_b.id)
        invitation, _token = memberships.invite(db.session.merge(tenant_b), b_owner,
                                                "someone@example.com", Role.viewer)
        from tenants.models import Membership

        db.session.add(Membership(tenant_id=tenant_b.id, user_id=b_member.id, role=Role.viewer))
        db.commit()
    link = make_link(app, tenant_b, enterprise_b)
    return {"a": tenant_a, "b": tenant_b, "b_invitation": invitation, "b_link": link,
            "b_member": b_member}


# How to name tenant B's object for each URL argument. Extend this when adding routes.
ID_FACTORIES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "user_id": lambda w: w["b_member"].id,
    "invitation_id": lambda w: w["b_invitation"].id,
    "link_id": lambda w: w["b_link"].id,
}


def tenant_rules(app) -> list[Rule]:
    rules = []
    for rule in app.url_map.iter_rules():
        arguments = set(rule.arguments) - NOT_TENANT_ARGUMENTS
        if "slug" in arguments or any(a.endswith("_id") for a in arguments):
            rules.append(rule)
    return sorted(rules, key=lambda r: r.rule)


def _url(app, rule: Rule, slug: str, world: dict[str, Any]) -> str:
    values: dict[str, Any] = {}
    for argument in rule.arguments:
        if argument == "slug":
            values["slug"] = slug
        elif argument in ID_FACTORIES:
            values[argument] = ID_FACTORIES[argument](world)
        else:
            pytest.fail(f"{rule.rule}: add an ID_FACTORIES entry for <{argument}>")
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def test_the_walk_covers_the_platform_routes(app):
    endpoints = {rule.endpoint for rule in tenant_rules(app)}
    assert {"tenant.members", "tenant.change_role", "tenant.revoke_link"} <= endpoints


def test_every_tenant_route_is_404_for_another_tenants_objects(app, client, world, sign_in):
    a_owner = owner_of(app, world["a"])
    assert sign_in(a_owner).status_code == 302
    token = csrf_token(client, f"/t/{world['a'].slug}/")
    failures = []
    for rule in tenant_rules(app):
        slugs = [world["b"].slug]
        if set(rule.arguments) - {"slug"}:
            slugs.append(world["a"].slug)  # A's own space, naming B's objects
        for slug in slugs:
            url = _url(app, rule, slug, world)
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, data={"csrf_token": token})
                if response.status_code != 404:
                    failures.append(f"{method} {url} ({rule.endpoint}) -> {response.status_code}")
    assert failures == []


def test_a_non_member_cannot_tell_a_tenant_exists(client, make_tenant, make_user, sign_in):
    existing = make_tenant()
    assert sign_in(make_user()).status_code == 302
    assert client.get(f"/t/{existing.slug}/").status_code == 404
    assert client.get(f"/t/no-such-{uuid.uuid4().hex[:6]}/").status_code == 404
