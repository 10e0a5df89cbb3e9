"""Writes that are last-writer-wins by design (who a page is assigned to, an indicator's
confidence) still never fail with a server error when two requests make the first row at
once: the loser of the unique key gets a conflict (409) or lands after the winner."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from assessment.assessments.models import Confidence, IndicatorState, PageAssignment
from tests.integration.concurrency.conftest import Committed, race

ROUNDS = 20
CODES = ["collaboration.organization", "collaboration.online_business_coverage",
         "lean.sales_production_ratio", "lean.cost_expense_ratio", "lean.inventory_turnover",
         "lean.on_time_delivery_rate"]


def _request(committed: Committed, tenant: Any, assessment_id: Any, user: Any,
             work: Callable[[Any, Any, Any], None]) -> str:
    """``work(assessment, membership, user)`` as one request: "saved" or "conflict"."""
    from assessment.assessments import queries
    from tenants.errors import Conflict
    from tenants.extensions import db

    with committed.acting(tenant, user) as (actor, membership):
        try:
            work(queries.assessment(assessment_id), membership, actor)
            db.commit()
            return "saved"
        except Conflict:
            db.rollback()
            return "conflict"


def _failed(outcomes: list[Any], rows: list[Any]) -> bool:
    return any(isinstance(o, BaseException) for o in outcomes) or "saved" not in outcomes \
        or len(rows) != 1


def test_two_owners_assigning_one_page_at_once_leave_one_assignment(committed):
    from assessment.assessments import answering

    colleague = committed.user(name="Colleague")
    tenant, assessment, owner = committed.enterprise(colleague)
    request = partial(_request, committed, tenant, assessment.id)

    def assign(to: Any, opened: Any, membership: Any, _user: Any) -> None:
        answering.assign_page(opened, membership, "lean", to.id if to else None)

    problems = []
    for round_no in range(ROUNDS):
        request(owner, partial(assign, None))  # nobody: the next assignment is a first row
        outcomes = race(partial(request, owner, partial(assign, colleague)),
                        partial(request, colleague, partial(assign, owner)))
        rows = committed.read(PageAssignment, PageAssignment.assessment_id == assessment.id)
        if _failed(outcomes, rows):
            problems.append(f"round {round_no}: {outcomes}, {len(rows)} assignments")
    assert problems == [], f"{len(problems)} of {ROUNDS} rounds failed: {problems[:5]}"


def test_two_first_confidence_marks_at_once_never_fail_with_a_server_error(committed):
    from assessment.assessments import answering

    colleague = committed.user(name="Colleague")
    tenant, assessment, owner = committed.enterprise(colleague)
    request = partial(_request, committed, tenant, assessment.id)

    def mark(code: str, confidence: Confidence, opened: Any, _membership: Any,
             user: Any) -> None:
        answering.set_confidence(opened, code, confidence, user)

    problems = []
    for code in CODES:  # each indicator's first state is made by both at once
        own_check = Confidence.internally_reviewed
        outcomes = race(partial(request, owner, partial(mark, code, Confidence.documented)),
                        partial(request, colleague, partial(mark, code, own_check)))
        rows = committed.read(IndicatorState, IndicatorState.assessment_id == assessment.id,
                              IndicatorState.code == code)
        if _failed(outcomes, rows):
            problems.append(f"{code}: {outcomes}, {len(rows)} states")
    assert problems == [], f"{len(problems)} of {len(CODES)} failed: {problems[:5]}"
