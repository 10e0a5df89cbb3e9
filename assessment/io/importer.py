"""Importing a filled workbook or a contract JSON document into a draft, all or nothing.

Everything is parsed, the whole resulting document is validated by the engine and by the
services' rules, and only then is anything written: a rejected import lists every bad cell
(or JSON key) and changes nothing. An accepted one saves every changed answer through the
services (history rows, versions bumped) in the request's unit of work.

Decisions (see docs/import-export.md):
- Only owners and administrators import: an import spans every page, while assessors edit
  only the pages assigned to them.
- An import changes only what the file contains. A JSON document changes the inputs it
  names (``null`` clears one), the energy sections it has (``null`` or ``[]`` clears one)
  and, when it has ``not_applicable``, the declarations (the list is then the whole set);
  ``{}`` changes nothing. A workbook changes the rows it has: a blank value in a row clears
  that answer, a row or sheet that was removed leaves its answers alone.
- An import that would clear more than ``IMPORT_CONFIRM_CLEARS`` answers or declarations
  (default 3) writes nothing: it returns the changes, the view shows them and holds the
  file (``assessment.io.pending``) until the user confirms that very set of changes.
- The JSON document cannot say "unknown" nor carry reasons: an indicator it newly declares
  not applicable is refused (say why in the questionnaire or the workbook); one already
  declared keeps its reason.
- A workbook exported from this assessment carries each field's version: a field someone
  changed after the export, which the file would now change again, is refused as stale.
- Numbers are bounded (NaN, infinities and magnitudes beyond 10^15 are refused), texts by
  ``tenants.limits``, JSON by ``tenants.safejson`` (depth, NUL), files by
  :data:`MAX_IMPORT_BYTES`: a refusal names its cell or key, never a 500.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from assessment.assessments import answering, queries
from assessment.assessments.answering import EDITABLE_STATES
from assessment.assessments.documents import evaluate_document, framework_of
from assessment.assessments.models import Answer, AnswerState, Assessment, IndicatorState
from assessment.assessments.pages import ENERGY_SECTIONS
from assessment.io.plan import Change, ImportPlan, ImportProblem
from assessment.io.reader import NotAWorkbook, read_workbook
from assessment.questionnaire import energy as energy_text
from assessment.questionnaire.fields import display_value, input_field
from indicators import Framework, InvalidInput, Problem
from tenants import safejson
from tenants.errors import Conflict, DomainError, Forbidden
from tenants.language import reader_language
from tenants.models import Membership, Role, User

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ImportRejected(DomainError):
    """Nothing was saved; ``problems`` lists every bad cell or key."""

    status_code = 422

    def __init__(self, problems: list[ImportProblem]):
        super().__init__(_("The file was not imported: correct the cells listed and try again."))
        self.problems = problems


@dataclass
class PreparedImport:
    """A checked import, not yet written: the answers and declarations it changes."""

    plan: ImportPlan
    answers: dict[str, tuple[Any, str]]
    flags: dict[str, tuple[bool, str]]
    changes: list[Change] = field(default_factory=list)

    @property
    def clears(self) -> int:
        return sum(1 for change in self.changes if change.clears)

    @property
    def fingerprint(self) -> str:
        """Names exactly this set of changes: a confirmation is for what was shown."""
        body = json.dumps([sorted(self.answers.items()), sorted(self.flags.items())],
                          sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ImportOutcome:
    changed_answers: int
    changed_flags: int
    changes: tuple[Change, ...] = ()
    # True: nothing was written; the changes clear more than the setting allows unconfirmed.
    needs_confirmation: bool = False
    fingerprint: str = ""


def confirm_threshold() -> int:
    return int(current_app.config["IMPORT_CONFIRM_CLEARS"])


def _require_importer(assessment: Assessment, membership: Membership) -> None:
    if Role(membership.role) not in (Role.owner, Role.admin):
        raise Forbidden(_("Only owners and administrators import answers."))
    if assessment.state not in EDITABLE_STATES:
        raise Conflict(_("This assessment can no longer be edited."))


# -- JSON ----------------------------------------------------------------------------------
def plan_from_json(data: bytes, assessment: Assessment) -> tuple[ImportPlan, dict[str, Any]]:
    """The plan a contract input document stands for; shape problems name their key.

    Only what the document contains is planned: an input it does not name, a section it
    does not have, and the declarations when it has no ``not_applicable`` are left alone."""
    plan = ImportPlan()
    try:
        document = safejson.loads(data)
    except safejson.JsonRefused as refused:
        plan.problem(str(refused.message), refused.field or safejson.DOCUMENT)
        return plan, {}
    if not isinstance(document, dict):
        plan.problem(_("The document must be a JSON object."), "(document)")
        return plan, {}
    plan.framework = document.get("framework") if isinstance(document.get("framework"),
                                                             str) else None
    framework = framework_of(assessment)
    given = document.get("inputs")
    inputs: dict[str, Any] = given if isinstance(given, dict) else {}
    answerable = set(framework.inputs) | {c for c, i in framework.indicators.items()
                                          if i.qualitative}
    for key, value in inputs.items():
        if key in answerable:  # an unknown key: the engine names it
            plan.values[key] = (value, AnswerState.answered)
    for section in ENERGY_SECTIONS:
        if section in document:
            plan.values[section] = (document[section] or None, AnswerState.answered)
    if "previous_year" in document:
        plan.problem(_("Last year's figures come from last year's assessment and cannot be "
                       "imported."), "previous_year")
    if "not_applicable" in document:
        _plan_declarations(plan, framework, assessment, document["not_applicable"])
    return plan, document


def _plan_declarations(plan: ImportPlan, framework: Framework, assessment: Assessment,
                       listed: Any) -> None:
    listed = listed if isinstance(listed, list) else []  # the engine names a wrong shape
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


# -- checking the plan against the assessment ----------------------------------------------
def _engine_problems(plan: ImportPlan, problems: list[Problem]) -> None:
    english = reader_language() == "en"
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


def _effective_values(plan: ImportPlan, current: Mapping[str, Answer]
                      ) -> dict[str, tuple[Any, str]]:
    values: dict[str, tuple[Any, str]] = {}
    for key, (value, state) in plan.values.items():
        answer = current.get(key)
        if value is None and state == AnswerState.answered and answer is None:
            continue  # nothing stored and nothing given
        if answer is not None and isinstance(value, list) and isinstance(answer.value, list) \
                and sorted(map(str, value)) == sorted(map(str, answer.value)):
            value = answer.value  # the same areas in another order: no change
        if answer is not None and answer.value == value and answer.state == state:
            continue
        values[key] = (value, state)
    return values


def _stale(plan: ImportPlan, assessment: Assessment, changes: Mapping[str, Any],
           current: Mapping[str, Answer], states: Mapping[str, IndicatorState]) -> None:
    if plan.source_assessment != str(assessment.id):
        return
    for key in changes:
        answer = current.get(key)
        if key in plan.versions and answer is not None and \
                plan.versions[key] != answer.version:
            plan.problem(_("Someone else changed this answer after the file was exported. "
                           "Export again and redo your change."), key)
    for code, (flag, reason) in plan.not_applicable.items():
        state = states.get(code)
        if state is None or (state.not_applicable, state.na_reason) == (flag, reason):
            continue
        if plan.na_versions.get(code) != state.version:
            plan.problem(_("Someone else changed this after the file was exported. Export "
                           "again and redo your change."), f"not_applicable:{code}")


def _flag_changes(plan: ImportPlan, states: Mapping[str, IndicatorState]
                  ) -> dict[str, tuple[bool, str]]:
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


# -- what will change, in words ------------------------------------------------------------
def _label(framework: Framework, key: str, english: bool) -> str:
    if key in ENERGY_SECTIONS:
        return {"energy": _("Energy used"), "process_emissions": _("Process emissions"),
                "options": _("Energy options")}.get(key, key)
    return input_field(framework, key).label(english)


def _shown(framework: Framework, key: str, value: Any, state: str | None,
           english: bool) -> str:
    if key in ENERGY_SECTIONS:
        return energy_text.summary(key, value) if state is not None else "—"
    return display_value(input_field(framework, key), value, state, english)


def _declaration(flag: bool, reason: str) -> str:
    return _("Not applicable: %(reason)s", reason=reason) if flag else _("Applies")


def _changes(framework: Framework, answers: Mapping[str, tuple[Any, str]],
             flags: Mapping[str, tuple[bool, str]], current: Mapping[str, Answer],
             states: Mapping[str, IndicatorState]) -> list[Change]:
    english = reader_language() == "en"
    changes = []
    for key, (value, state) in answers.items():
        old = current.get(key)
        was_set = old is not None and (old.value is not None or
                                       old.state == AnswerState.unknown)
        clears = was_set and value is None and state == AnswerState.answered
        changes.append(Change(
            key=key, label=_label(framework, key, english),
            old=_shown(framework, key, old.value, old.state, english) if old else "—",
            new=_shown(framework, key, value, state, english), clears=clears))
    for code, (flag, reason) in flags.items():
        state_row = states.get(code)
        before = (state_row.not_applicable, state_row.na_reason) if state_row else (False, "")
        indicator = framework.indicators[code]
        changes.append(Change(
            key=f"not_applicable:{code}",
            label=indicator.name_en if english else indicator.name_zh,
            old=_declaration(*before), new=_declaration(flag, reason),
            clears=before[0] and not flag))
    return changes


# -- preparing and applying ----------------------------------------------------------------
def _check(plan: ImportPlan, assessment: Assessment,
           document: dict[str, Any] | None = None) -> PreparedImport:
    """Every problem of the plan against the assessment, or the changes it makes."""
    if plan.framework is not None and plan.framework != assessment.framework_id:
        plan.problem(_("This file is for framework %(file)s; the assessment uses %(ours)s.",
                       file=plan.framework, ours=assessment.framework_id), "framework")
    framework = framework_of(assessment)
    current = {a.key: a for a in queries.answers(assessment.id)}
    states = {s.code: s for s in queries.indicator_states(assessment.id)}
    changes = _effective_values(plan, current)
    flags = _flag_changes(plan, states)
    if document is not None:  # JSON: the engine names the document's own keys
        try:
            evaluate_document(framework, {**document, "year": assessment.year})
        except InvalidInput as invalid:
            _engine_problems(plan, invalid.problems)
    if not plan.problems:  # the answers as they would stand, with the stored ones kept
        _engine_problems(plan, answering.validate_answers(assessment, plan.values,
                                                          current.values()))
    _stale(plan, assessment, changes, current, states)
    if plan.problems:
        raise ImportRejected(_unique(plan.problems))
    return PreparedImport(plan, changes, flags,
                          _changes(framework, changes, flags, current, states))


def _unique(problems: list[ImportProblem]) -> list[ImportProblem]:
    return list(dict.fromkeys(problems))


def prepare_import(assessment: Assessment, membership: Membership,
                   data: bytes) -> PreparedImport:
    """Parse and check ``data`` (a workbook or a JSON document, told by its content) against
    the assessment; nothing is written. Raises :class:`ImportRejected` with every problem."""
    _require_importer(assessment, membership)
    _check_size(data)
    if data.startswith(b"PK\x03\x04"):
        try:
            plan = read_workbook(data, framework_of(assessment))
        except NotAWorkbook as error:
            raise ImportRejected([ImportProblem(str(error))]) from None
        plan.source = "xlsx"
        return _check(plan, assessment)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        plan, document = plan_from_json(data, assessment)
        if plan.problems and not document:
            raise ImportRejected(plan.problems)
        plan.source = "json"
        return _check(plan, assessment, document)
    raise ImportRejected([ImportProblem(
        _("Upload an Excel workbook (.xlsx) or a JSON document."))])


def apply_import(assessment: Assessment, membership: Membership, user: User,
                 prepared: PreparedImport) -> ImportOutcome:
    """Write a prepared import through the services (history rows, versions)."""
    answering.save_answers(assessment, membership, user, prepared.answers)
    states = {s.code: s for s in queries.indicator_states(assessment.id)}
    for code, (flag, reason) in prepared.flags.items():
        state = states.get(code)
        answering.set_not_applicable(assessment, membership, user, code, flag, reason,
                                    expected_version=state.version if state else None)
    return ImportOutcome(len(prepared.answers), len(prepared.flags), tuple(prepared.changes),
                         fingerprint=prepared.fingerprint)


def import_file(assessment: Assessment, membership: Membership, user: User, data: bytes,
                confirmed: str | None = None) -> ImportOutcome:
    """Import ``data``, unless it clears more than :func:`confirm_threshold` answers and
    ``confirmed`` is not the fingerprint of these very changes: then nothing is written and
    the outcome says ``needs_confirmation``, with the changes to show."""
    prepared = prepare_import(assessment, membership, data)
    if prepared.clears > confirm_threshold() and confirmed != prepared.fingerprint:
        return ImportOutcome(len(prepared.answers), len(prepared.flags),
                             tuple(prepared.changes), needs_confirmation=True,
                             fingerprint=prepared.fingerprint)
    return apply_import(assessment, membership, user, prepared)


def import_workbook(assessment: Assessment, membership: Membership, user: User,
                    data: bytes, confirmed: str | None = None) -> ImportOutcome:
    if not data.startswith(b"PK\x03\x04"):
        raise ImportRejected([ImportProblem(_("This file is not an Excel workbook (.xlsx)."))])
    return import_file(assessment, membership, user, data, confirmed)


def import_json(assessment: Assessment, membership: Membership, user: User,
                data: bytes, confirmed: str | None = None) -> ImportOutcome:
    if data.startswith(b"PK\x03\x04"):
        raise ImportRejected([ImportProblem(_("The document must be a JSON object."))])
    return import_file(assessment, membership, user, data, confirmed)


def _check_size(data: bytes) -> None:
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRejected([ImportProblem(
            _("The file is larger than %(mb)d MB.", mb=MAX_IMPORT_BYTES // (1024 * 1024)))])
