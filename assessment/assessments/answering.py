"""Writes of answers: one field (autosave), many at once (a page, an import, the demo),
"not applicable" with its reason, confidence, and page assignments. They change and flush;
the request commits.

Rules enforced here (never in views or templates):
- who may edit which page (owners and admins all pages; assessors only their assigned pages;
  viewers none), and only while the assessment is a draft or returned;
- every saved answer passes the engine's validation as part of the whole document, so a
  stored draft is always a valid contract document;
- a save carries the version it was based on; a stale one is refused with the current value.
  The database decides (:mod:`.atomic`): every write is ``UPDATE ... WHERE version = :seen``
  or a first insert against the row's unique key, so of two editors saving at the same
  instant exactly one wins and the other gets :class:`StaleAnswer`; every write also
  re-checks, in the same statement that touches the assessment, that it is still editable.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any, NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, update
from sqlmodel import col

from assessment.assessments import queries
from assessment.assessments.atomic import insert_or_conflict, update_or_conflict
from assessment.assessments.documents import (
    AnswerLike,
    build_document,
    evaluate_document,
    framework_of,
)
from assessment.assessments.models import (
    Answer,
    AnswerChange,
    AnswerState,
    Assessment,
    Confidence,
    IndicatorState,
    PageAssignment,
    State,
)
from assessment.assessments.pages import (
    ENERGY_SECTIONS,
    page_of_indicator,
    page_of_key,
    pages_for,
)
from assessment.profiles import queries as profile_queries
from indicators import Framework, InvalidInput, Problem
from tenants import queries as platform_queries
from tenants.db import db
from tenants.errors import Conflict, DomainError, Forbidden, NotFound
from tenants.limits import check_text
from tenants.models import Membership, Role, User
from tenants.types import utcnow

EDITABLE_STATES = (State.draft, State.returned)
NA_REASON_REQUIRED = _l("Say why this indicator does not apply to your enterprise.")


class StaleAnswer(Conflict):
    """The field was saved since the editor loaded it (by a colleague, or by the editor in
    another tab); nothing was overwritten."""

    def __init__(self, current: Answer | IndicatorState | None, key: str | None = None):
        super().__init__(_l("This answer was changed after you opened the page, in another "
                            "tab or window or by a colleague. Compare both values and save "
                            "again."))
        self.current = current
        # the answer key, or "not_applicable:<code>" for an indicator's state
        self.key = key if key is not None else _key_of(current)


def _key_of(row: Answer | IndicatorState | None) -> str | None:
    if isinstance(row, Answer):
        return row.key
    if isinstance(row, IndicatorState):
        return f"not_applicable:{row.code}"
    return None


class AnswerRejected(DomainError):
    """The value breaks a rule; ``problems`` name the keys and carry both languages."""

    status_code = 422

    def __init__(self, problems: list[Problem], key: str):
        super().__init__(problems[0].message_zh if problems else "", key)
        self.problems = problems


# -- permissions -------------------------------------------------------------------------
def editable_pages(assessment: Assessment, membership: Membership) -> set[str]:
    """The pages this member may edit now (empty when the assessment is not editable)."""
    if assessment.state not in EDITABLE_STATES:
        return set()
    role = Role(membership.role)
    all_pages = {p.code for p in pages_for(framework_of(assessment))}
    if role in (Role.owner, Role.admin):
        return all_pages
    if role == Role.assessor:
        return set(queries.pages_assigned_to(assessment.id, membership.user_id))
    return set()


def require_page(assessment: Assessment, membership: Membership, page: str | None) -> None:
    if assessment.state not in EDITABLE_STATES:
        raise _not_editable(assessment)
    if page is None or page not in editable_pages(assessment, membership):
        raise Forbidden(_l("This page is not assigned to you."))


def _not_editable(_current: Assessment | None) -> Conflict:
    return Conflict(_l("This assessment can no longer be edited."))


def _still_editable(assessment: Assessment) -> None:
    """Stamp the assessment as changed, on condition that it is still a draft or returned:
    a save racing a submit either lands before it or is refused, never after it. Called
    before a save writes its rows, so that every write to an assessment locks the assessment
    row first (on PostgreSQL) and two saves, or a save and an import, cannot deadlock over
    their rows."""
    update_or_conflict(assessment, {"state": EDITABLE_STATES}, {"updated_at": utcnow()},
                       _not_editable)


# -- answers -----------------------------------------------------------------------------
def related_keys(framework: Framework, keys: Iterable[str]) -> set[str]:
    """The keys and those a cross-field rule ties them to (a sub-count and its total)."""
    related = set(keys)
    for name, spec in framework.inputs.items():
        if spec.max_input and (name in related or spec.max_input in related):
            related.update((name, spec.max_input))
    return related


def changed_since(expected_version: int | None,
                  current: Answer | IndicatorState | None) -> bool:
    """Whether ``current`` is no longer what the editor saw (``expected_version``; None:
    there was nothing yet): the one version check of every save path."""
    return expected_version != (current.version if current is not None else None)


def _problems_for(problems: Iterable[Problem], keys: set[str]) -> list[Problem]:
    wanted = []
    for p in problems:
        root = p.key.split("[", 1)[0].split(".", 1)
        name = p.key[len("inputs."):] if p.key.startswith("inputs.") else root[0]
        if name in keys or root[0] in keys:
            wanted.append(p)
    return wanted


class ProposedAnswer(NamedTuple):
    key: str
    value: Any
    state: str


def validate_answers(
    assessment: Assessment, overrides: dict[str, tuple[Any, str]],
    stored: Iterable[Answer] | None = None,
) -> list[Problem]:
    """Every problem of the document the answers would make with ``overrides`` applied.

    ``stored``: the assessment's answers, when the caller has already read them."""
    answers = {a.key: a for a in (queries.answers(assessment.id) if stored is None
                                  else stored)}
    rows: list[AnswerLike] = [answer for key, answer in answers.items() if key not in overrides]
    # Plain tuples, not model rows: a page or an import proposes hundreds of values, and
    # building an ORM row costs more than the evaluation it feeds (the demo loader's profile).
    rows += [ProposedAnswer(key, value, state) for key, (value, state) in overrides.items()]
    # One read of the profile for its industry and province (build_document would read it
    # again for the province: twice per saved field).
    profile = profile_queries.profile()
    document = build_document(assessment, rows, queries.indicator_states(assessment.id),
                              profile.industry_division if profile is not None else None,
                              profile.province if profile is not None else None)
    try:
        evaluate_document(framework_of(assessment), document)
    except InvalidInput as invalid:
        return invalid.problems
    return []


def save_answer(assessment: Assessment, membership: Membership, user: User, key: str,
                value: Any, state: AnswerState = AnswerState.answered,
                expected_version: int | None = None) -> Answer:
    """Save one field. ``expected_version`` is the version the editor saw (None: none yet)."""
    framework = framework_of(assessment)
    if key not in framework.inputs and key not in framework.indicators and \
            key not in ENERGY_SECTIONS:
        raise NotFound(_l("Not found."))
    require_page(assessment, membership, page_of_key(framework, key))
    stored = queries.answers(assessment.id)  # one read serves the version check and the rules
    current = next((a for a in stored if a.key == key), None)
    if changed_since(expected_version, current):
        raise StaleAnswer(current)
    if state == AnswerState.unknown:
        value = None
    problems = _problems_for(validate_answers(assessment, {key: (value, state)}, stored),
                             related_keys(framework, [key]))
    if problems:
        raise AnswerRejected(problems, key)
    saved = _write_answers(assessment, user, {key: current} if current else {},
                           {key: (value, state)})
    return saved[0]


def _write_answers(assessment: Assessment, user: User, current: Mapping[str, Answer],
                   values: Mapping[str, tuple[Any, str]]) -> list[Answer]:
    """Write ``values`` over the ``current`` rows (the versions the writer saw), each a
    conditional update or a first insert: a row changed or created meanwhile by someone
    else raises :class:`StaleAnswer` with that row. Unchanged fields get no new version and
    no history row."""
    now = utcnow()
    saved: dict[str, Answer] = {}
    first: list[Answer] = []
    changed = []
    for key in sorted(values):
        answer = current.get(key)
        if answer is not None and (answer.value, answer.state) == values[key]:
            saved[key] = answer  # nothing changed: no new version, no history row
        else:
            changed.append(key)
    if changed:
        _still_editable(assessment)
    for key in changed:
        value, state = values[key]
        answer = current.get(key)
        db.session.add(AnswerChange(
            assessment_id=assessment.id, key=key,
            old_value=answer.value if answer else None, new_value=value,
            old_state=answer.state if answer else None, new_state=state,
            changed_by_id=user.id,
        ))
        if answer is None:
            saved[key] = Answer(assessment_id=assessment.id, key=key, value=value,
                                state=state, updated_by_id=user.id, updated_at=now)
            first.append(saved[key])
            continue
        update_or_conflict(answer, {"version": answer.version},
                           {"value": value, "state": state, "version": answer.version + 1,
                            "updated_by_id": user.id, "updated_at": now,
                            # a changed value is no longer last year's (沿用上年 cleared)
                            "carried_from_id": None},
                           partial(StaleAnswer, key=key))
        saved[key] = answer
    if first:
        # all first answers in one savepoint: an import or the demo writes hundreds of rows
        keys = [a.key for a in first]
        insert_or_conflict(first, lambda: _first_taken(assessment, keys), StaleAnswer)
    db.session.flush()
    return [saved[key] for key in values]


def _first_taken(assessment: Assessment, keys: list[str]) -> Answer | None:
    """An answer among ``keys`` that a concurrent writer stored first (None: none)."""
    return next((a for a in queries.answers(assessment.id) if a.key in keys), None)


def save_answers(assessment: Assessment, membership: Membership, user: User,
                 values: dict[str, tuple[Any, str]],
                 expected_versions: Mapping[str, int | None] | None = None) -> list[Answer]:
    """Save many fields at once, all or nothing (pages, imports): {key: (value, state)}.

    Same rules as :func:`save_answer` (known keys, editable pages, the whole document valid).
    ``expected_versions``: the version the editor saw of each key (a page); without it the
    versions read here are the ones the writes are conditional on (an import compares the
    values it read itself). Either way a field changed meanwhile raises
    :class:`StaleAnswer`. Unchanged fields get no new version and no history row.
    """
    framework = framework_of(assessment)
    for key in values:
        if key not in framework.inputs and key not in framework.indicators and \
                key not in ENERGY_SECTIONS:
            raise NotFound(_l("Not found."))
        require_page(assessment, membership, page_of_key(framework, key))
    clean = {key: (None if state == AnswerState.unknown else value, state)
             for key, (value, state) in values.items()}
    stored = queries.answers(assessment.id)
    current = {a.key: a for a in stored}
    for key, seen in (expected_versions or {}).items():
        if key in clean and changed_since(seen, current.get(key)):
            raise StaleAnswer(current.get(key), key)
    problems = validate_answers(assessment, clean, stored)
    if problems:
        raise AnswerRejected(problems, problems[0].key)
    return _write_answers(assessment, user, current, clean)


def set_not_applicable(assessment: Assessment, membership: Membership, user: User, code: str,
                       not_applicable: bool, reason: str = "",
                       expected_version: int | None = None) -> IndicatorState:
    framework = framework_of(assessment)
    if code not in framework.indicators:
        raise NotFound(_l("Not found."))
    require_page(assessment, membership, page_of_indicator(framework, code))
    reason = check_text("na_reason", reason.strip())  # the same limit on both databases
    if not_applicable and not reason:
        raise DomainError(NA_REASON_REQUIRED,
                          "na_reason")
    indicator_state = queries.indicator_state(assessment.id, code)
    if changed_since(expected_version, indicator_state):
        raise StaleAnswer(indicator_state)
    na_reason = reason if not_applicable else ""
    now = utcnow()
    _still_editable(assessment)
    if indicator_state is None:
        old = (False, "")
        indicator_state = IndicatorState(assessment_id=assessment.id, code=code,
                                         not_applicable=not_applicable, na_reason=na_reason,
                                         updated_at=now)
        insert_or_conflict([indicator_state],
                           lambda: queries.indicator_state(assessment.id, code), StaleAnswer)
    else:
        old = (indicator_state.not_applicable, indicator_state.na_reason)
        update_or_conflict(indicator_state, {"version": indicator_state.version},
                           {"not_applicable": not_applicable, "na_reason": na_reason,
                            "version": indicator_state.version + 1, "updated_at": now,
                            "carried_from_id": None},
                           StaleAnswer)
    db.session.add(AnswerChange(
        assessment_id=assessment.id, key=f"not_applicable:{code}",
        old_value={"not_applicable": old[0], "reason": old[1]},
        new_value={"not_applicable": not_applicable, "reason": na_reason},
        changed_by_id=user.id,
    ))
    db.session.flush()
    return indicator_state


def set_confidence(assessment: Assessment, code: str, confidence: Confidence,
                   user: User | None = None,
                   reviewer_tenant_id: uuid.UUID | None = None) -> IndicatorState:
    """Documented follows evidence; verified (a linked reviewer's word, for
    ``reviewer_tenant_id``) and internally reviewed (the enterprise's own check) are set by
    the review services, which record who, for which organisation, and when."""
    checked = bool(user) and confidence in (Confidence.verified, Confidence.internally_reviewed)
    checker: dict[str, Any] = {
        "verified_by_id": user.id if checked and user else None,
        "verified_by_tenant_id": reviewer_tenant_id if checked else None,
        "verified_at": utcnow() if checked else None,
    }
    indicator_state = queries.indicator_state(assessment.id, code)
    if indicator_state is None:
        indicator_state = IndicatorState(assessment_id=assessment.id, code=code,
                                         confidence=confidence)
        for name, value in checker.items():
            setattr(indicator_state, name, value)
        insert_or_conflict([indicator_state],
                           lambda: queries.indicator_state(assessment.id, code),
                           _changed_meanwhile)
        return indicator_state
    # No version bump and no condition: the version guards the editor's "not applicable"
    # choice, which an upload or a reviewer's verification does not change; the UPDATE
    # names only the confidence columns, so a concurrent "not applicable" save is kept.
    indicator_state.confidence = confidence
    for name, value in checker.items():
        setattr(indicator_state, name, value)
    db.session.flush()
    return indicator_state


def _changed_meanwhile(_current: object) -> Conflict:
    return Conflict(_l("The assessment changed since you opened it. Reload and try again."))


def assign_page(assessment: Assessment, membership: Membership, page: str,
                user_id: uuid.UUID | None) -> None:
    if Role(membership.role) not in (Role.owner, Role.admin):
        raise Forbidden(_l("Only owners and administrators assign pages."))
    if page not in {p.code for p in pages_for(framework_of(assessment))}:
        raise NotFound(_l("Not found."))
    # Statements, not loaded rows: the last owner's choice wins, and a row another request
    # removed or changed meanwhile is no error (the unit of work would raise StaleDataError).
    this_page = (col(PageAssignment.assessment_id) == assessment.id,
                 col(PageAssignment.page) == page)
    if user_id is None:
        db.session.execute(delete(PageAssignment).where(*this_page))
        return
    if platform_queries.membership(membership.tenant_id, user_id) is None:
        raise NotFound(_l("Not found."))
    result = db.session.execute(update(PageAssignment).where(*this_page)
                                .values(user_id=user_id))
    if getattr(result, "rowcount", 0) == 0:
        insert_or_conflict([PageAssignment(assessment_id=assessment.id, page=page,
                                           user_id=user_id)],
                           lambda: queries.page_assignment(assessment.id, page),
                           _changed_meanwhile)
