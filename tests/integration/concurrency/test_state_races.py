"""A double-clicked submit, two reviewers finalising at once, two owners reopening at once,
through the real endpoints with real parallel connections: exactly one state change per
round (one audit event, one revision, one set of published figures), the other request a
clear 409, never a 500. The assessment goes round the cycle draft → submitted → finalised
→ draft (the next revision) ten times."""

from __future__ import annotations

import re
from typing import Any

from assessment.assessments.models import Assessment, AssessmentRevision, ResultFigure
from tenants.models import AuditEvent
from tests.integration.assessment_review.factories import ANSWERS
from tests.integration.concurrency.conftest import Committed, race

ROUNDS = 10


def _token(client: Any, url: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      client.get(url).get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def _stored(committed: Committed, assessment: Any) -> Any:
    return committed.read(Assessment, Assessment.id == assessment.id)[0]


def _twice(committed: Committed, clients: list[tuple[Any, str]], url: str, version: int
           ) -> list[tuple[int, str]]:
    """POST the state change from both browsers at once, as seen at ``version``."""

    def post(client: Any, token: str) -> Any:
        return client.post(url, data={"csrf_token": token, "expected_version": str(version),
                                      "confirm": "yes"},
                           headers={"Accept-Language": "en"})

    outcomes = race(*(lambda c=c, t=t: post(c, t) for c, t in clients))
    return [(500, repr(o)) if isinstance(o, BaseException)
            else (o.status_code, o.get_data(as_text=True)) for o in outcomes]


def _one_change(name: str, outcomes: list[tuple[int, str]], refusal: str) -> str | None:
    statuses = sorted(status for status, _body in outcomes)
    if statuses != [303, 409]:
        return f"{name}: {statuses} {[b[:200] for s, b in outcomes if s == 500]}"
    refused = next(body for status, body in outcomes if status == 409)
    if refusal not in refused:
        return f"{name}: the refusal does not say {refusal!r}"
    return None


def test_double_submit_finalise_and_reopen_each_change_the_state_once(committed):
    colleague = committed.user(name="Colleague")
    tenant, assessment, owner = committed.enterprise(colleague, dict(ANSWERS))
    base = f"/t/{tenant.slug}/assessments/{assessment.id}"
    clients = []
    for user in (owner, colleague):
        client = committed.client(user)
        clients.append((client, _token(client, f"{base}/review")))
    problems: list[str] = []
    for round_no in range(ROUNDS):
        for step, path, state, refusal in (
                ("submit", "submit", "submitted", "already submitted"),
                ("finalise", "review/finalise", "finalised", "already finalised"),
                ("reopen", "reopen", "draft", "already open for editing")):
            before = _stored(committed, assessment)
            outcomes = _twice(committed, clients, f"{base}/{path}", before.version)
            after = _stored(committed, assessment)
            problem = _one_change(f"round {round_no} {step}", outcomes, refusal)
            if problem:
                problems.append(problem)
            if (after.state, after.version) != (state, before.version + 1):
                problems.append(f"round {round_no} {step}: {after.state} v{after.version} "
                                f"after v{before.version}")
            if after.state != state:
                break
        else:
            continue
        break
    actions = [e.action for e in committed.read(AuditEvent, AuditEvent.tenant_id == tenant.id)]
    revisions = committed.read(AssessmentRevision,
                               AssessmentRevision.assessment_id == assessment.id)
    overall = committed.read(ResultFigure, ResultFigure.assessment_id == assessment.id,
                             ResultFigure.code == "overall")
    assert problems == [], f"{len(problems)} races failed: {problems[:6]}"
    assert (actions.count("assessment.submitted"), actions.count("assessment.finalised"),
            actions.count("assessment.reopened")) == (ROUNDS, ROUNDS, ROUNDS)
    assert sorted(r.revision for r in revisions) == list(range(1, ROUNDS + 1))
    assert sorted(f.revision for f in overall) == list(range(1, ROUNDS + 1))
    assert _stored(committed, assessment).revision == ROUNDS + 1


def test_a_save_sent_after_a_colleagues_submit_is_refused(committed):
    """The editor's request read a draft; a colleague's submit commits before the editor's
    write: the write is refused (the assessment is no longer editable), not stored after
    the submission. Both requests with their own sessions and connections."""
    from assessment.assessments import answering, queries
    from assessment.assessments import services as lifecycle
    from assessment.assessments.models import Answer
    from tenants.errors import Conflict
    from tenants.extensions import db

    colleague = committed.user(name="Colleague")
    tenant, assessment, owner = committed.enterprise(colleague, dict(ANSWERS))
    refusal = None
    with committed.acting(tenant, owner) as (editor, membership):
        opened = queries.assessment(assessment.id)
        assert opened is not None and opened.state == "draft"
        db.commit()  # ends the read (on SQLite a transaction holds the write lock)
        with committed.acting(tenant, colleague) as (_other, other_membership):
            lifecycle.submit(queries.assessment(assessment.id), other_membership)
            db.commit()
        try:
            answering.save_answer(opened, membership, editor, "digital_investment", 901,
                                  expected_version=1)
            db.commit()
        except Conflict as error:
            refusal = str(error.message)
            db.rollback()
    stored = committed.read(Answer, Answer.assessment_id == assessment.id,
                            Answer.key == "digital_investment")
    assert (stored[0].value, stored[0].version) == (900, 1)
    assert refusal in ("该评估已无法编辑。", "This assessment can no longer be edited.")
