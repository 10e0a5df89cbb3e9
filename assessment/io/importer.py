"""Importing a filled workbook or a contract JSON document into a draft, all or nothing.

Everything is parsed, the whole resulting document is validated by the engine and by the
services' rules, and only then is anything written: a rejected import lists every bad cell
(or JSON key) and changes nothing. An accepted one saves every changed answer through the
services (history rows, versions bumped) in the request's unit of work.

Decisions (see docs/demo.md § Import and export):
- Only owners and administrators import: an import spans every page, while assessors edit
  only the pages assigned to them.
- A key the file covers but leaves blank is cleared; a key it does not cover is left alone.
  The JSON document cannot say "unknown", so a field marked unknown stays unknown when the
  document leaves it out.
- The JSON document cannot carry reasons: an indicator it newly declares not applicable is
  refused (say why in the questionnaire or the workbook); one already declared keeps its
  reason.
- A workbook exported from this assessment carries each field's version: a field someone
  changed after the export, which the file would now change again, is refused as stale.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _

from assessment.assessments import answering, queries
from assessment.assessments.answering import EDITABLE_STATES
from assessment.assessments.documents import evaluate_document, framework_of
from assessment.assessments.models import AnswerState, Assessment
from assessment.assessments.pages import ENERGY_SECTIONS
from assessment.io.plan import ImportPlan, ImportProblem
from assessment.io.reader import NotAWorkbook, read_workbook
from indicators import InvalidInput, Problem
from tenants.errors import Conflict, DomainError, Forbidden
from tenants.models import Membership, Role, User

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ImportRejected(DomainError):
    """Nothing was saved; ``problems`` lists every bad cell or key."""

    status_code = 422

    def __init__(self, problems: list[ImportProblem]):
        super().__init__(_("The file was not imported: correct the cells listed and try again."))
        self.problems = problems


@dataclass(frozen=True)
class ImportOutcome:
    changed_answers: int
    changed_flags: int


def _english() -> bool:
    return str(get_locale() or "zh_CN").startswith("en")


def _require_importer(assessment: Assessment, membership: Membership) -> None:
    if Role(membership.role) not in (Role.owner, Role.admin):
        raise Forbidden(_("Only owners and administrators import answers."))
    if assessment.state not in EDITABLE_STATES:
        raise Conflict(_("This assessment can no longer be edited."))


# -- JSON ----------------------------------------------------------------------------------
def _reject_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def plan_from_json(data: bytes, assessment: Assessment) -> tuple[ImportPlan, dict[str, Any]]:
    """The plan a contract input document stands for; shape problems name their key."""
    plan = ImportPlan()
    try:
        document = json.loads(data.decode("utf-8-sig"), parse_constant=_reject_constants)
    except (UnicodeDecodeError, ValueError) as error:
        plan.problem(_("This file is not valid JSON: %(reason)s", reason=str(error)[:200]),
                     "(document)")
        return plan, {}
    if not isinstance(document, dict):
        plan.problem(_("The document must be a JSON object."), "(document)")
        return plan, {}
    plan.framework = document.get("framework") if isinstance(document.get("framework"),
                                                             str) else None
    framework = framework_of(assessment)
    given = document.get("inputs")
    inputs: dict[str, Any] = given if isinstance(given, dict) else {}
    for key in list(framework.inputs) + [c for c, i in framework.indicators.items()
                                         if i.qualitative]:
        plan.values[key] = (inputs.get(key), AnswerState.answered)
    for section in ENERGY_SECTIONS:
        plan.values[section] = (document.get(section) or None, AnswerState.answered)
    if "previous_year" in document:
        plan.problem(_("Last year's figures come from last year's assessment and cannot be "
                       "imported."), "previous_year")
    listed = document.get("not_applicable")
    listed = listed if isinstance(listed, list) else []
    states = {s.code: s for s in queries.indicator_states(assessment.id)}
    for code in framework.indicators:
        plan.not_applicable[code] = (False, "")
    for index, code in enumerate(listed):
        if not isinstance(code, str) or code not in framework.indicators:
            continue  # the engine names it
        state = states.get(code)
        if state is None or not state.not_applicable:
            plan.problem(_("Say why this indicator does not apply: a JSON document cannot "
                           "carry the reason, so declare it in the questionnaire or the "
                           "workbook."), f"not_applicable[{index}]")
            continue
        plan.not_applicable[code] = (True, state.na_reason)
    return plan, document


# -- checking the plan against the assessment ----------------------------------------------
def _engine_problems(plan: ImportPlan, problems: list[Problem]) -> None:
    english = _english()
    for problem in problems:
        path = problem.key
        cell = plan.cells.get(path)
        while cell is None and ("." in path or "[" in path):
            path = path.rsplit("[", 1)[0] if path.endswith("]") else path.rsplit(".", 1)[0]
            cell = plan.cells.get(path)
        message = problem.message("en" if english else "zh")
        if cell is not None:
            plan.problem(message, cell=cell)
        else:
            plan.problem(message, problem.key)


def _effective_values(plan: ImportPlan, assessment: Assessment) -> dict[str, tuple[Any, str]]:
    current = {a.key: a for a in queries.answers(assessment.id)}
    values: dict[str, tuple[Any, str]] = {}
    for key, (value, state) in plan.values.items():
        answer = current.get(key)
        unknown_kept = answer is not None and answer.state == AnswerState.unknown \
            and plan.source == "json"
        if value is None and state == AnswerState.answered and (answer is None or unknown_kept):
            continue  # nothing stored and nothing given
        if answer is not None and isinstance(value, list) and isinstance(answer.value, list) \
                and sorted(map(str, value)) == sorted(map(str, answer.value)):
            value = answer.value  # the same areas in another order: no change
        if answer is not None and answer.value == value and answer.state == state:
            continue
        values[key] = (value, state)
    return values


def _stale(plan: ImportPlan, assessment: Assessment, changes: Mapping[str, Any]) -> None:
    if plan.source_assessment != str(assessment.id):
        return
    current = {a.key: a for a in queries.answers(assessment.id)}
    for key in changes:
        answer = current.get(key)
        if key in plan.versions and answer is not None and \
                plan.versions[key] != answer.version:
            plan.problem(_("Someone else changed this answer after the file was exported. "
                           "Export again and redo your change."), key)
    states = {s.code: s for s in queries.indicator_states(assessment.id)}
    for code, (flag, reason) in plan.not_applicable.items():
        state = states.get(code)
        if state is None or (state.not_applicable, state.na_reason) == (flag, reason):
            continue
        if plan.na_versions.get(code) != state.version:
            plan.problem(_("Someone else changed this after the file was exported. Export "
                           "again and redo your change."), f"not_applicable:{code}")


def _flag_changes(plan: ImportPlan, assessment: Assessment) -> dict[str, tuple[bool, str]]:
    states = {s.code: s for s in queries.indicator_states(assessment.id)}
    changes: dict[str, tuple[bool, str]] = {}
    for code, (flag, reason) in plan.not_applicable.items():
        state = states.get(code)
        now = (state.not_applicable, state.na_reason) if state else (False, "")
        if (flag, reason if flag else "") == now:
            continue
        if flag and not reason:
            plan.problem(str(answering.NA_REASON_REQUIRED),
                         f"na_reason:{code}")
        changes[code] = (flag, reason)
    return changes


def _apply(plan: ImportPlan, assessment: Assessment, membership: Membership, user: User,
           document: dict[str, Any] | None = None) -> ImportOutcome:
    if plan.framework is not None and plan.framework != assessment.framework_id:
        plan.problem(_("This file is for framework %(file)s; the assessment uses %(ours)s.",
                       file=plan.framework, ours=assessment.framework_id), "framework")
    changes = _effective_values(plan, assessment)
    flags = _flag_changes(plan, assessment)
    if document is not None:  # JSON: the engine names the document's own keys
        try:
            evaluate_document(framework_of(assessment), {**document, "year": assessment.year})
        except InvalidInput as invalid:
            _engine_problems(plan, invalid.problems)
    else:
        _engine_problems(plan, answering.validate_answers(assessment, plan.values))
    _stale(plan, assessment, changes)
    if plan.problems:
        raise ImportRejected(plan.problems)
    answering.save_answers(assessment, membership, user, changes)
    states = {s.code: s for s in queries.indicator_states(assessment.id)}
    for code, (flag, reason) in flags.items():
        state = states.get(code)
        answering.set_not_applicable(assessment, membership, user, code, flag, reason,
                                    expected_version=state.version if state else None)
    return ImportOutcome(len(changes), len(flags))


def import_workbook(assessment: Assessment, membership: Membership, user: User,
                    data: bytes) -> ImportOutcome:
    _require_importer(assessment, membership)
    _check_size(data)
    try:
        plan = read_workbook(data, framework_of(assessment))
    except NotAWorkbook as error:
        raise ImportRejected([ImportProblem(str(error))]) from None
    plan.source = "xlsx"
    return _apply(plan, assessment, membership, user)


def import_json(assessment: Assessment, membership: Membership, user: User,
                data: bytes) -> ImportOutcome:
    _require_importer(assessment, membership)
    _check_size(data)
    plan, document = plan_from_json(data, assessment)
    if plan.problems and not document:
        raise ImportRejected(plan.problems)
    plan.source = "json"
    return _apply(plan, assessment, membership, user, document)


def _check_size(data: bytes) -> None:
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRejected([ImportProblem(
            _("The file is larger than %(mb)d MB.", mb=MAX_IMPORT_BYTES // (1024 * 1024)))])
