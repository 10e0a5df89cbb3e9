"""An enterprise's own check racing a linked reviewer's verification, with real parallel
requests on their own connections to a fresh database of each backend: the outside
verification is never overwritten by an "internally reviewed" decided on a stale read
(PostgreSQL runs both requests at once; the row lock decides)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlmodel import select

from tenants.models import LinkGrant, TenantKind
from tests import databases
from tests.conftest import BACKENDS, app_config

CODE = "lean.on_time_delivery_rate"
ROUNDS = 30  # without the row lock, PostgreSQL lost the verification in about 1 round of 20


@pytest.fixture(params=BACKENDS)
def committed_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """An app on its own fresh database, whose requests commit for real (no test
    transaction around them), so that parallel requests see each other's writes."""
    from app import create_app
    from tenants.cli import upgrade
    from tenants.extensions import db

    def fresh() -> Iterator[databases.TestDatabase]:
        if request.param == "sqlite":
            return databases.sqlite_database(tmp_path)
        return databases.postgres_database()

    for database in fresh():
        application = create_app(app_config(database, tmp_path / "mail",
                                             EVIDENCE_DIR=str(tmp_path / "evidence")))
        upgrade(application)
        yield application
        db.engine_for(application).dispose()


def _link(app: Flask, source: Any, target: Any, source_owner: Any, target_owner: Any
          ) -> None:
    """An accepted link granting review (``tests.factories.make_link`` nests app contexts,
    which shared one connection in the other tests, and would wait on itself here)."""
    from tenants.context import set_tenant
    from tenants.extensions import db
    from tenants.services import links

    with app.test_request_context():
        # each side acts in its own tenant's scope, as the link pages do
        set_tenant(db.session, source.id)
        link = links.request_link(db.session.merge(source), db.session.merge(source_owner),
                                  target.slug, [LinkGrant.review])
        db.session.flush()
        set_tenant(db.session, target.id)
        links.respond(db.session.merge(target), db.session.merge(target_owner), link.id, True,
                      False)
        db.commit()


def _confidence(app: Flask, enterprise: Any) -> tuple[str, Any]:
    from assessment.assessments.models import IndicatorState
    from tenants.context import set_tenant
    from tenants.extensions import db

    with app.test_request_context():
        set_tenant(db.session, enterprise.id)
        state = db.session.exec(select(IndicatorState).where(
            IndicatorState.code == CODE)).one()
        result = (state.confidence, state.verified_by_tenant_id)
        db.rollback()
    return result


def test_an_internal_review_never_overwrites_a_concurrent_outside_verification(
        committed_app: Flask) -> None:
    from tests import factories
    from tests.conftest import csrf_token
    from tests.integration.assessment_review.factories import give_profile, make_assessment

    app = committed_app
    enterprise = factories.make_tenant(app, name="Race Works")
    give_profile(app, enterprise)
    assessment = make_assessment(app, enterprise, submit=True)
    consultant = factories.make_user(app)
    consultancy = factories.make_tenant(app, TenantKind.consultancy, owner=consultant)
    _link(app, consultancy, enterprise, consultant, factories.owner_of(app, enterprise))
    own_url = (f"/t/{enterprise.slug}/assessments/{assessment.id}/review/indicators/"
               f"{CODE}/verify")
    linked_url = (f"/t/{consultancy.slug}/clients/{enterprise.id}/assessments/"
                  f"{assessment.id}/review/indicators/{CODE}/verify")
    owner_client, reviewer_client = app.test_client(), app.test_client()
    factories.sign_in(owner_client, factories.owner_of(app, enterprise))
    factories.sign_in(reviewer_client, consultant)
    tokens = {id(owner_client): csrf_token(owner_client),
              id(reviewer_client): csrf_token(reviewer_client)}

    def send(client: Any, url: str, verified: str) -> int:
        return int(client.post(url, data={"csrf_token": tokens[id(client)],
                                          "verified": verified}).status_code)

    # The state row exists (the race is about changing it, not about creating it).
    assert send(owner_client, own_url, "1") == 303
    outcomes = set()
    for _ in range(ROUNDS):
        assert send(reviewer_client, linked_url, "0") == 303  # back to self-declared
        start = threading.Barrier(2, timeout=10)
        statuses: dict[str, int] = {}

        def run(name: str, client: Any, url: str, start: threading.Barrier,
                statuses: dict[str, int]) -> None:
            start.wait()
            statuses[name] = send(client, url, "1")

        threads = [threading.Thread(target=run, args=(name, client, url, start, statuses))
                   for name, client, url in (("own", owner_client, own_url),
                                             ("linked", reviewer_client, linked_url))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert statuses["linked"] == 303
        assert statuses["own"] in (303, 409)  # 409: the verification came first
        outcomes.add(statuses["own"])
        # Whichever ran first, the reviewer's verification stands.
        assert _confidence(app, enterprise) == ("verified", consultancy.id)
    assert outcomes  # every round decided
