"""Writes of answers: one field (autosave), many at once (a page, an import, the demo),
"not applicable" with its reason, confidence, and page assignments. They change and flush;
the request commits.

Rules enforced here (never in views or templates):
- who may edit which page (owners and admins all pages; assessors only their assigned pages;
  viewers none), and only while the assessment is a draft or returned;
- every saved answer passes the engine's validation as part of the whole document, so a
  stored draft is always a valid contract document;
- a save carries the version it was based on; a stale one is refused with the current value.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l

from assessment.assessments import queries
from assessment.assessments.documents import build_document, evaluate_document, framework_of
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
from indicators import Framework, InvalidInput, Problem
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

    def __init__(self, current: Answer | IndicatorState | None):
        super().__init__(_l("This answer was changed after you opened the page, in another "
                            "tab or window or by a colleague. Compare both values and save "
                            "again."))
        self.current = current


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
        raise Conflict(_l("This assessment can no longer be edited."))
    if page is None or page not in editable_pages(assessment, membership):
        raise Forbidden(_l("This page is not assigned to you."))


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


def validate_answers(
    assessment: Assessment, overrides: dict[str, tuple[Any, str]],
    stored: Iterable[Answer] | None = None,
) -> list[Problem]:
    """Every problem of the document the answers would make with ``overrides`` applied.

    ``stored``: the assessment's answers, when the caller has already read them."""
    answers = {a.key: a for a in (queries.answers(assessment.id) if stored is None
                                  else stored)}
    rows = []
    for key, answer in answers.items():
        if key not in overrides:
            rows.append(answer)
    for key, (value, state) in overrides.items():
        rows.append(Answer(key=key, value=value, state=state, assessment_id=assessment.id))
    document = build_document(assessment, rows, queries.indicator_states(assessment.id))
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
    return _write_answer(assessment, user, key, current, value, state)


def _write_answer(assessment: Assessment, user: User, key: str, current: Answer | None,
                  value: Any, state: str, flush: bool = True) -> Answer:
    if current is not None and current.value == value and current.state == state:
        return current  # nothing changed: no new version, no history row
    db.session.add(AnswerChange(
        assessment_id=assessment.id, key=key,
        old_value=current.value if current else None, new_value=value,
        old_state=current.state if current else None, new_state=state,
        changed_by_id=user.id,
    ))
    if current is None:
        current = Answer(assessment_id=assessment.id, key=key, value=value, state=state,
                         updated_by_id=user.id)
        db.session.add(current)
    else:
        current.value = value
        current.state = state
        current.version += 1
        current.updated_by_id = user.id
        current.updated_at = utcnow()
    assessment.updated_at = utcnow()
    if flush:
        db.session.flush()
    return current


def save_answers(assessment: Assessment, membership: Membership, user: User,
                 values: dict[str, tuple[Any, str]]) -> list[Answer]:
    """Save many fields at once, all or nothing (imports): {key: (value, state)}.

    Same rules as :func:`save_answer` (known keys, editable pages, the whole document valid),
    without per-field versions: the caller has compared the values it read. Unchanged
    fields get no new version and no history row.
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
    problems = validate_answers(assessment, clean, stored)
    if problems:
        raise AnswerRejected(problems, problems[0].key)
    current = {a.key: a for a in stored}
    saved = [_write_answer(assessment, user, key, current.get(key), value, state, flush=False)
             for key, (value, state) in clean.items()]
    db.session.flush()  # once for the lot: an import or the demo writes hundreds of rows
    return saved


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
    if indicator_state is None:
        indicator_state = IndicatorState(assessment_id=assessment.id, code=code)
        db.session.add(indicator_state)
    else:
        indicator_state.version += 1
    old = (indicator_state.not_applicable, indicator_state.na_reason)
    indicator_state.not_applicable = not_applicable
    indicator_state.na_reason = reason if not_applicable else ""
    indicator_state.updated_at = utcnow()
    db.session.add(AnswerChange(
        assessment_id=assessment.id, key=f"not_applicable:{code}",
        old_value={"not_applicable": old[0], "reason": old[1]},
        new_value={"not_applicable": not_applicable, "reason": indicator_state.na_reason},
        changed_by_id=user.id,
    ))
    db.session.flush()
    return indicator_state


def set_confidence(assessment: Assessment, code: str, confidence: Confidence,
                   user: User | None = None) -> IndicatorState:
    """Documented follows evidence; verified is a reviewer's word (see review services)."""
    indicator_state = queries.indicator_state(assessment.id, code)
    if indicator_state is None:
        indicator_state = IndicatorState(assessment_id=assessment.id, code=code)
        db.session.add(indicator_state)
    # No version bump: the version guards the editor's "not applicable" choice, which an
    # upload or a reviewer's verification does not change.
    indicator_state.confidence = confidence
    indicator_state.verified_by_id = user.id if confidence == Confidence.verified and user \
        else None
    db.session.flush()
    return indicator_state


def assign_page(assessment: Assessment, membership: Membership, page: str,
                user_id: uuid.UUID | None) -> None:
    from tenants import queries as platform_queries

    if Role(membership.role) not in (Role.owner, Role.admin):
        raise Forbidden(_l("Only owners and administrators assign pages."))
    if page not in {p.code for p in pages_for(framework_of(assessment))}:
        raise NotFound(_l("Not found."))
    existing = queries.page_assignment(assessment.id, page)
    if user_id is None:
        if existing is not None:
            db.session.delete(existing)
        db.session.flush()
        return
    if platform_queries.membership(membership.tenant_id, user_id) is None:
        raise NotFound(_l("Not found."))
    if existing is None:
        db.session.add(PageAssignment(assessment_id=assessment.id, page=page, user_id=user_id))
    else:
        existing.user_id = user_id
    db.session.flush()
