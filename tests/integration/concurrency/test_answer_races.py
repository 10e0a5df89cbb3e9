"""Two editors save the same field at the same instant, 50 times over, with real parallel
connections: exactly one of them wins each round, the other gets the conflict (409 through
the autosave endpoints, ``StaleAnswer`` at the service layer) with the winner's value, and
no saved value is ever lost. Round 0 of each race is the first save of the field (both
insert against the unique key); the later rounds update the stored row."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from assessment.assessments.models import Answer, AnswerChange, IndicatorState
from tests.integration.concurrency.conftest import Committed, race

ROUNDS = 50


@dataclass(frozen=True)
class Lost:
    """A writer that got the conflict, and the (value, version) the conflict showed it."""

    current: tuple[Any, int] | None
FOOTPRINT = "global.footprint"


def _page_token(client: Any, tenant: Any, assessment: Any, page: str) -> str:
    import re

    html = client.get(f"/t/{tenant.slug}/assessments/{assessment.id}/pages/{page}")
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html.get_data(as_text=True))
    assert match, "no CSRF token on the page"
    return match.group(1)


def _editors(committed: Committed, page: str) -> tuple[Any, Any, list[tuple[Any, str]]]:
    """An enterprise with a draft, and two signed-in editors on ``page`` (the owner and an
    administrator, each in their own browser): (tenant, assessment, [(client, token)])."""
    colleague = committed.user(name="Colleague")
    tenant, assessment, owner = committed.enterprise(colleague)
    editors = []
    for user in (owner, colleague):
        client = committed.client(user)
        editors.append((client, _page_token(client, tenant, assessment, page)))
    return tenant, assessment, editors


def _outcome(response: Any) -> tuple[int, Any]:
    if isinstance(response, BaseException):
        return 500, repr(response)
    return response.status_code, response.get_json(silent=True)


def _check_round(round_no: int, sent: list[Any], outcomes: list[tuple[int, Any]],
                 problems: list[str]) -> int | None:
    """The index of the writer that won, or None (the round's problem noted)."""
    statuses = sorted(status for status, _body in outcomes)
    if statuses != [200, 409]:
        kind = "lost update" if statuses == [200, 200] else "no single winner"
        problems.append(f"round {round_no}: {kind} {statuses}")
        return None
    return next(i for i, (status, _body) in enumerate(outcomes) if status == 200)


def test_two_editors_autosave_one_answer_exactly_one_wins_each_round(committed):
    tenant, assessment, editors = _editors(committed, "lean")
    url = f"/t/{tenant.slug}/assessments/{assessment.id}/answers"
    version, problems = None, []
    for round_no in range(ROUNDS):
        values = [10_000 + 2 * round_no, 10_001 + 2 * round_no]

        def save(editor: tuple[Any, str], value: int, seen: int | None = version) -> Any:
            client, token = editor
            return client.post(url, json={"key": "deliveries_total", "value": value,
                                          "state": "answered", "version": seen},
                               headers={"X-CSRFToken": token, "Accept-Language": "en"})

        outcomes = [_outcome(r) for r in race(partial(save, editors[0], values[0]),
                                               partial(save, editors[1], values[1]))]
        winner = _check_round(round_no, values, outcomes, problems)
        stored = committed.read(Answer, Answer.assessment_id == assessment.id,
                                Answer.key == "deliveries_total")
        if winner is None:
            if not stored:
                break
            version = stored[0].version
            continue
        new_version = (version or 0) + 1
        loser_body = outcomes[1 - winner][1]
        if outcomes[winner][1]["version"] != new_version:
            problems.append(f"round {round_no}: winner got version "
                            f"{outcomes[winner][1]['version']}, not {new_version}")
        if (loser_body["current"]["value"], loser_body["current"]["version"]) != \
                (values[winner], new_version):
            problems.append(f"round {round_no}: the conflict did not show the winner's value")
        if (stored[0].value, stored[0].version) != (values[winner], new_version):
            problems.append(f"round {round_no}: stored {stored[0].value} v{stored[0].version}")
        version = stored[0].version
    history = committed.read(AnswerChange, AnswerChange.assessment_id == assessment.id,
                             AnswerChange.key == "deliveries_total")
    assert problems == [], f"{len(problems)} of {ROUNDS} rounds failed: {problems[:5]}"
    assert len(history) == ROUNDS  # one change per round: nobody's edit vanished


def test_two_editors_declare_one_indicator_not_applicable_exactly_one_wins_each_round(
        committed):
    tenant, assessment, editors = _editors(committed, "lean")
    url = f"/t/{tenant.slug}/assessments/{assessment.id}/not-applicable"
    version, problems = None, []
    for round_no in range(ROUNDS):
        reasons = [f"round {round_no}: no exports", f"round {round_no}: no plant abroad"]

        def declare(editor: tuple[Any, str], reason: str, seen: int | None = version) -> Any:
            client, token = editor
            return client.post(url, json={"code": FOOTPRINT, "not_applicable": True,
                                          "reason": reason, "version": seen},
                               headers={"X-CSRFToken": token, "Accept-Language": "en"})

        outcomes = [_outcome(r) for r in race(partial(declare, editors[0], reasons[0]),
                                               partial(declare, editors[1], reasons[1]))]
        winner = _check_round(round_no, reasons, outcomes, problems)
        stored = committed.read(IndicatorState, IndicatorState.assessment_id == assessment.id,
                                IndicatorState.code == FOOTPRINT)
        if winner is None:
            if not stored:
                break
            version = stored[0].version
            continue
        new_version = (version or 0) + 1
        current = outcomes[1 - winner][1]["current"]
        if (current["reason"], current["version"]) != (reasons[winner], new_version):
            problems.append(f"round {round_no}: the conflict did not show the winner's reason")
        if (stored[0].na_reason, stored[0].version) != (reasons[winner], new_version):
            problems.append(f"round {round_no}: stored {stored[0].na_reason!r} "
                            f"v{stored[0].version}")
        version = stored[0].version
    history = committed.read(AnswerChange, AnswerChange.assessment_id == assessment.id,
                             AnswerChange.key == f"not_applicable:{FOOTPRINT}")
    assert problems == [], f"{len(problems)} of {ROUNDS} rounds failed: {problems[:5]}"
    assert len(history) == ROUNDS


def test_two_writers_save_one_energy_row_exactly_one_wins_each_round(committed):
    """At the service layer: each writer its own thread, app context, session and
    connection, committing as a request does."""
    from assessment.assessments import answering, queries
    from tenants.extensions import db

    colleague = committed.user(name="Colleague")
    tenant, assessment, owner = committed.enterprise(colleague)
    version, problems = None, []
    for round_no in range(ROUNDS):
        rows = [[{"carrier": "electricity", "quantity": 1000 + 2 * round_no, "unit": "kWh",
                  "source": "grid"}],
                [{"carrier": "natural_gas", "quantity": 1001 + 2 * round_no, "unit": "m3"}]]

        def save(user: Any, value: Any, seen: int | None = version) -> Any:
            with committed.acting(tenant, user) as (actor, membership):
                try:
                    saved = answering.save_answer(queries.assessment(assessment.id),
                                                  membership, actor, "energy", value,
                                                  expected_version=seen)
                    new_version = saved.version
                    db.commit()
                    return new_version
                except answering.StaleAnswer as stale:
                    shown = (stale.current.value, stale.current.version) \
                        if stale.current is not None else None
                    db.rollback()
                    return Lost(shown)

        outcomes = race(partial(save, owner, rows[0]), partial(save, colleague, rows[1]))
        conflicts = [o for o in outcomes if isinstance(o, Lost)]
        errors = [o for o in outcomes if isinstance(o, BaseException)]
        stored = committed.read(Answer, Answer.assessment_id == assessment.id,
                                Answer.key == "energy")
        new_version = (version or 0) + 1
        if errors or len(conflicts) != 1:
            kind = "lost update" if outcomes == [new_version, new_version] else "error"
            problems.append(f"round {round_no}: {kind} {outcomes}")
        else:
            winner = 0 if outcomes[0] == new_version else 1
            if conflicts[0].current != (rows[winner], new_version):
                problems.append(f"round {round_no}: the conflict did not carry the winner's "
                                "rows")
            if (stored[0].value, stored[0].version) != (rows[winner], new_version):
                problems.append(f"round {round_no}: stored {stored[0].value} "
                                f"v{stored[0].version}")
        if not stored:
            break
        version = stored[0].version
    history = committed.read(AnswerChange, AnswerChange.assessment_id == assessment.id,
                             AnswerChange.key == "energy")
    assert problems == [], f"{len(problems)} of {ROUNDS} rounds failed: {problems[:5]}"
    assert len(history) == ROUNDS


def test_two_page_saves_of_one_field_exactly_one_wins_each_round(committed):
    """The form without JavaScript saves a whole page at once (``saving.save_page``): a
    colleague's save landing between its check and its write is listed as stale, the page
    answers 409 and writes nothing."""
    from assessment.assessments import queries
    from assessment.assessments.models import AnswerState
    from assessment.questionnaire import saving
    from tenants.extensions import db

    colleague = committed.user(name="Colleague")
    tenant, assessment, owner = committed.enterprise(colleague)
    version, problems = None, []
    for round_no in range(ROUNDS):
        values = [20_000 + 2 * round_no, 20_001 + 2 * round_no]

        def save(user: Any, value: int, seen: int | None = version) -> Any:
            with committed.acting(tenant, user) as (actor, membership):
                result = saving.save_page(
                    queries.assessment(assessment.id), membership, actor,
                    [saving.AnswerChange("units_output", value, AnswerState.answered, seen)])
                if result.ok:
                    db.commit()
                    return "saved"
                db.rollback()
                return Lost(None) if [s.key for s in result.stale] == ["units_output"] \
                    else result

        outcomes = race(partial(save, owner, values[0]), partial(save, colleague, values[1]))
        stored = committed.read(Answer, Answer.assessment_id == assessment.id,
                                Answer.key == "units_output")
        new_version = (version or 0) + 1
        if sorted(map(str, outcomes)) != ["Lost(current=None)", "saved"]:
            kind = "lost update" if outcomes == ["saved", "saved"] else "error"
            problems.append(f"round {round_no}: {kind} {outcomes}")
        elif (stored[0].value, stored[0].version) != \
                (values[outcomes.index("saved")], new_version):
            problems.append(f"round {round_no}: stored {stored[0].value} v{stored[0].version}")
        if not stored:
            break
        version = stored[0].version
    history = committed.read(AnswerChange, AnswerChange.assessment_id == assessment.id,
                             AnswerChange.key == "units_output")
    assert problems == [], f"{len(problems)} of {ROUNDS} rounds failed: {problems[:5]}"
    assert len(history) == ROUNDS
