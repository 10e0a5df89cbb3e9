"""Two reviewers of a linked consultancy resolve the same comment at once, through the real
endpoint with real parallel connections: the comment is resolved once, by one of them, and
the other is told who resolved it (409), never a 500 and never a second write."""

from __future__ import annotations

import re
from typing import Any

from assessment.assessments import queries
from assessment.assessments import services as lifecycle
from assessment.assessments.models import Assessment, ReviewComment
from tenants.extensions import db
from tenants.models import LinkGrant, Role
from tests import factories
from tests.integration.assessment_review.factories import ANSWERS
from tests.integration.concurrency.conftest import Committed, race

ROUNDS = 5


def _token(client: Any, url: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      client.get(url).get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def _link(committed: Committed, consultancy: Any, tenant: Any) -> None:
    """The accepted link as the links service leaves it (the factory's two nested sessions
    would wait on each other's SQLite write lock here: this data is committed for real)."""
    from tenants.context import set_tenant
    from tenants.models import LinkKind, LinkStatus, TenantLink

    with committed.app.app_context():
        set_tenant(db.session, consultancy.id)
        db.session.add(TenantLink(source_tenant_id=consultancy.id, target_tenant_id=tenant.id,
                                  kind=LinkKind.consultancy_client,
                                  status=LinkStatus.accepted, grants=[LinkGrant.review]))
        db.commit()


def test_two_resolves_of_one_comment_are_decided_once(committed: Committed) -> None:
    tenant, assessment, owner = committed.enterprise(answers=dict(ANSWERS))
    lead, colleague = committed.user(name="Lead"), committed.user(name="Colleague")
    consultancy = factories.make_tenant(committed.app, "consultancy", owner=lead,
                                        members=[(colleague, Role.assessor)])
    committed.tenant_ids.append(consultancy.id)
    _link(committed, consultancy, tenant)
    own = committed.client(owner)
    own_base = f"/t/{tenant.slug}/assessments/{assessment.id}"
    [stored] = committed.read(Assessment, Assessment.id == assessment.id)
    submitted = own.post(f"{own_base}/submit", data={
        "csrf_token": _token(own, f"{own_base}/review"), "confirm": "yes",
        "expected_version": str(stored.version)})
    assert submitted.status_code == 303, submitted.get_data(as_text=True)[:300]
    base = f"/t/{consultancy.slug}/clients/{tenant.id}/assessments/{assessment.id}/review"
    clients = []
    for user in (lead, colleague):
        client = committed.client(user)
        clients.append((client, _token(client, base)))
    problems = []
    for round_no in range(ROUNDS):
        with committed.acting(tenant, owner) as (user, _membership):
            comment = lifecycle.add_comment(queries.assessment(assessment.id), user,
                                            consultancy.id, f"Round {round_no}")
            comment_id = comment.id
            db.commit()
        url = f"{base}/comments/{comment_id}/resolve"
        outcomes = race(*(lambda c=c, t=t, u=url: c.post(u, data={"csrf_token": t},
                                                  headers={"Accept-Language": "en"})
                          for c, t in clients))
        statuses = sorted(500 if isinstance(o, BaseException) else o.status_code
                          for o in outcomes)
        if statuses != [303, 409]:
            problems.append(f"round {round_no}: {statuses}")
            continue
        refused = next(o for o in outcomes if o.status_code == 409).get_data(as_text=True)
        if "already resolved by" not in refused:
            problems.append(f"round {round_no}: the refusal does not say who resolved it")
        [stored] = committed.read(ReviewComment, ReviewComment.id == comment_id)
        if stored.resolved_by_id not in (lead.id, colleague.id) or stored.resolved_at is None:
            problems.append(f"round {round_no}: resolved by {stored.resolved_by_id}")
        if stored.resolved_by_tenant_id != consultancy.id:
            problems.append(f"round {round_no}: organisation {stored.resolved_by_tenant_id}")
    assert not problems, problems
