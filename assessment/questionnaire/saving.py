"""Saving a whole questionnaire page at once (the form without JavaScript): all or nothing.

Every changed field is checked first: its version against the stored one (a stale field is a
conflict, listed with both values) and the document the answers would make, through the
engine, as one. Only when nothing is wrong is anything written, through the assessment
services (``set_not_applicable``, ``save_answers``) so that the rules, versions and history
are theirs. A refusal raised half-way still leaves nothing behind: the request answers with
an error status and rolls back. That includes a colleague's save landing between the check
and the write: the services' conditional writes refuse it (:class:`StaleAnswer`) and it is
listed as stale like any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from assessment.assessments import answering, queries
from assessment.assessments.documents import framework_of
from assessment.assessments.models import Answer, AnswerState, Assessment, IndicatorState
from assessment.assessments.pages import page_of_indicator, page_of_key
from assessment.questionnaire.problems import target_of
from indicators import Problem
from tenants.errors import Forbidden
from tenants.models import Membership, User


@dataclass(frozen=True)
class AnswerChange:
    key: str
    value: Any
    state: AnswerState
    expected_version: int | None


@dataclass(frozen=True)
class NotApplicableChange:
    code: str
    not_applicable: bool
    reason: str
    expected_version: int | None


@dataclass(frozen=True)
class StaleField:
    """A field someone else saved after the editor loaded the page."""

    key: str  # an answer key, or "not_applicable:<code>"
    mine: Any
    current: Answer | IndicatorState | None


@dataclass
class PageSave:
    problems: list[Problem] = field(default_factory=list)
    stale: list[StaleField] = field(default_factory=list)
    reasons_missing: list[str] = field(default_factory=list)  # indicator codes
    saved_keys: list[str] = field(default_factory=list)
    # what the page sent that differs from what is stored (saved only when ``ok``)
    changed_keys: list[str] = field(default_factory=list)
    changed_not_applicable: list[str] = field(default_factory=list)  # indicator codes

    @property
    def ok(self) -> bool:
        return not (self.problems or self.stale or self.reasons_missing)


def _unchanged(current: Answer | None, change: AnswerChange) -> bool:
    if current is None:
        return change.value is None and change.state == AnswerState.answered
    return current.value == change.value and current.state == change.state


def _na_unchanged(current: IndicatorState | None, change: NotApplicableChange) -> bool:
    if current is None or not current.not_applicable:
        return not change.not_applicable
    return change.not_applicable and current.na_reason == change.reason.strip()


def save_page(assessment: Assessment, membership: Membership, user: User,
              changes: Sequence[AnswerChange],
              not_applicable: Sequence[NotApplicableChange] = (),
              dry_run: bool = False) -> PageSave:
    """Save every changed field of a page, or none. The result lists what stopped it.

    ``dry_run`` checks without writing: the view uses it when some field did not even parse,
    so that the user still sees every other problem of the page at once.
    """
    framework = framework_of(assessment)
    editable = answering.editable_pages(assessment, membership)
    for change in changes:
        if page_of_key(framework, change.key) not in editable:
            raise Forbidden(_l("This page is not assigned to you."))
    for na_change in not_applicable:
        if page_of_indicator(framework, na_change.code) not in editable:
            raise Forbidden(_l("This page is not assigned to you."))

    result = PageSave()
    answers = {a.key: a for a in queries.answers(assessment.id)}
    states = {s.code: s for s in queries.indicator_states(assessment.id)}
    changed = [c for c in changes if not _unchanged(answers.get(c.key), c)]
    na_changed = [c for c in not_applicable if not _na_unchanged(states.get(c.code), c)]
    result.changed_keys = [c.key for c in changed]
    result.changed_not_applicable = [c.code for c in na_changed]
    for change in changed:
        current = answers.get(change.key)
        if answering.changed_since(change.expected_version, current):
            result.stale.append(StaleField(change.key, change.value, current))
    for na_change in na_changed:
        state = states.get(na_change.code)
        if answering.changed_since(na_change.expected_version, state):
            result.stale.append(StaleField(f"not_applicable:{na_change.code}",
                                           na_change.not_applicable, state))
        if na_change.not_applicable and not na_change.reason.strip():
            result.reasons_missing.append(na_change.code)
    if changed:
        overrides: dict[str, tuple[Any, str]] = {
            c.key: (None if c.state == AnswerState.unknown else c.value, str(c.state))
            for c in changed}
        wanted = answering.related_keys(framework, overrides)
        for problem in answering.validate_answers(assessment, overrides):
            target = target_of(framework, problem.key)
            if target is not None and target.key in wanted:
                result.problems.append(problem)
    if not result.ok or dry_run:
        return result

    try:
        for na_change in sorted(na_changed, key=lambda c: c.code):
            answering.set_not_applicable(assessment, membership, user, na_change.code,
                                        na_change.not_applicable, na_change.reason,
                                        na_change.expected_version)
        if changed:
            # One write for the page: the document is valid as a whole even where a single
            # step would not be (a total lowered together with its sub-count).
            answering.save_answers(assessment, membership, user,
                                  {c.key: (c.value, c.state) for c in changed},
                                  {c.key: c.expected_version for c in changed})
    except answering.StaleAnswer as stale:
        # Saved by someone else after the check above: what was written is rolled back
        # with the request (the view answers 409), and the page shows both values.
        mine: dict[str, Any] = {c.key: c.value for c in changed}
        mine.update({f"not_applicable:{c.code}": c.not_applicable for c in na_changed})
        result.stale.append(StaleField(stale.key or "", mine.get(stale.key or ""),
                                       stale.current))
        return result
    result.saved_keys = [c.key for c in changed]
    return result
