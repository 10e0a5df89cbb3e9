"""Two people edit the same plan action at the same moment, through the real endpoints with
real parallel connections on PostgreSQL: one edit is saved and the other is a clear 409 that
keeps its input (the conditional UPDATE on the version decides); two status changes seen at
the same status change it once (compare-and-set), never a 500 and never two history rows."""

from __future__ import annotations

import re
from typing import Any

import pytest

from assessment.plans.models import PlanAction, PlanActionChange
from tests.integration.assessment_review.factories import ANSWERS
from tests.integration.concurrency.conftest import Committed, race

ROUNDS = 5
EN = {"Accept-Language": "en"}


def _token(client: Any, url: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      client.get(url).get_data(as_text=True))
    assert found, f"no CSRF token on {url}"
    return found.group(1)


def _finalised_plan(committed: Committed) -> tuple[Any, Any, Any, Any]:
    from assessment.assessments import queries as assessment_queries
    from assessment.assessments import services as lifecycle
    from assessment.plans import services
    from assessment.plans.proposals import proposals_for
    from assessment.plans.services import Actor
    from tenants.extensions import db

    colleague = committed.user(name="Colleague")
    tenant, assessment, owner = committed.enterprise(colleague, dict(ANSWERS))
    with committed.acting(tenant, owner) as (user, membership):
        loaded = assessment_queries.assessment(assessment.id)
        lifecycle.submit(loaded, membership)
        lifecycle.finalise(loaded, user)
        actor = Actor.of(user, membership)
        plan = services.create_plan(loaded, actor)
        item = services.adopt(plan, proposals_for(loaded)[:1], actor)[0]
        action_id = item.id
        db.commit()
    return tenant, assessment, (owner, colleague), action_id


@pytest.mark.postgres
def test_parallel_edits_and_status_changes_of_one_action(committed: Committed) -> None:
    tenant, assessment, users, action_id = _finalised_plan(committed)
    url = f"/t/{tenant.slug}/assessments/{assessment.id}/plan/actions/{action_id}"
    clients = [committed.client(user) for user in users]
    tokens = [_token(client, url) for client in clients]
    for round_ in range(ROUNDS):
        seen = committed.read(PlanAction, PlanAction.id == action_id)[0]

        def edit(client: Any, token: str, who: str, version: int = seen.version,
                 round_: int = round_) -> Any:
            return client.post(url, headers=EN, data={
                "csrf_token": token, "title": f"{who} round {round_}", "effort": "low",
                "cost": "medium", "owner_id": "", "evidence_id": "",
                "version": str(version), "notes": who})

        outcomes = race(*(lambda c=c, t=t, w=w: edit(c, t, w)
                          for c, t, w in zip(clients, tokens, ("owner", "colleague"),
                                             strict=True)))
        statuses = sorted(500 if isinstance(o, BaseException) else o.status_code
                          for o in outcomes)
        assert statuses == [303, 409], (round_, statuses, outcomes)
        refused = next(o for o in outcomes if o.status_code == 409).get_data(as_text=True)
        assert "changed this action" in refused and f"round {round_}" in refused
        stored = committed.read(PlanAction, PlanAction.id == action_id)[0]
        assert stored.version == seen.version + 1 and stored.title.endswith(f"round {round_}")

    changes_before = len(committed.read(PlanActionChange,
                                        PlanActionChange.action_id == action_id))
    for round_, (old, new) in enumerate([("proposed", "planned"), ("planned", "in_progress"),
                                         ("in_progress", "done")]):
        def move(client: Any, token: str, old: str = old, new: str = new) -> Any:
            return client.post(f"{url}/status", headers=EN,
                               data={"csrf_token": token, "seen": old, "status": new})

        outcomes = race(*(lambda c=c, t=t: move(c, t) for c, t in zip(clients, tokens,
                                                                      strict=True)))
        statuses = sorted(500 if isinstance(o, BaseException) else o.status_code
                          for o in outcomes)
        assert statuses == [303, 409], (round_, statuses)
        assert committed.read(PlanAction, PlanAction.id == action_id)[0].status == new
    status_rows = [c for c in committed.read(PlanActionChange,
                                             PlanActionChange.action_id == action_id)
                   if c.field_name == "status"]
    assert len(status_rows) == 3 and changes_before > 0
