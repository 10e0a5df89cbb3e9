"""The next year's assessment: last year's answers copied forward ("carried over", 沿用上年).

Rules enforced here (never in views or templates):
- the source is an earlier assessment of the same enterprise: the latest finalised one,
  else the latest one (:func:`source_for`);
- every kind of answer is copied (numbers, choices, multi-choices, text, the energy and
  process-emission rows and options, "we do not know") and every "not applicable" with its
  reason; never evidence files or their verification, confidence labels, review comments
  or plausibility-warning confirmations (those are about last year's figures);
- only into an assessment that is still empty and editable, by its owners and
  administrators; keys the target's framework does not know, or values its rules refuse
  now, are left out (the user answers them again) and counted;
- the copy is all or nothing (one savepoint) and happens at most once per assessment: the
  ``carry_over`` row's unique key decides, so two simultaneous requests make one copy;
- every copied row names its source (``carried_from_id``) until the user confirms it
  unchanged (:func:`confirm`) or saves another value (the answering services clear it).

They change and flush; the request commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import col, select

from assessment.assessments import queries
from assessment.assessments.answering import (
    EDITABLE_STATES,
    AnswerRejected,
    _still_editable,
    require_page,
    validate_answers,
)
from assessment.assessments.atomic import insert_or_conflict, update_or_conflict
from assessment.assessments.documents import framework_of
from assessment.assessments.models import (
    Answer,
    AnswerChange,
    Assessment,
    CarryOver,
    IndicatorState,
    State,
)
from assessment.assessments.pages import (
    ENERGY_SECTIONS,
    page,
    page_of_indicator,
    page_of_key,
    pages_for,
)
from indicators import Framework
from tenants.db import db
from tenants.errors import Conflict, DomainError, Forbidden, NotFound
from tenants.models import Membership, Role, User
from tenants.services import audit
from tenants.types import utcnow

NA_PREFIX = "not_applicable:"
SECTION_LABELS = {
    "energy": _l("Energy carriers"),
    "process_emissions": _l("Process emissions"),
    "options": _l("Energy and carbon options"),
}
ALREADY_COPIED = _l("Last year's answers were already copied into this assessment.")


class CopyRefused(DomainError):
    """The copy cannot run (not empty, already copied, nothing to copy from)."""

    status_code = 409


@dataclass(frozen=True)
class CarriedField:
    """A field still marked "carried over": an answer key, or ``not_applicable:<code>``."""

    key: str
    page: str | None
    indicator: str | None  # the indicator whose section on the page holds the field
    label_zh: str
    label_en: str

    def label(self, english: bool) -> str:
        return self.label_en if english else self.label_zh


# -- reads -------------------------------------------------------------------------------
def source_for(assessment: Assessment) -> Assessment | None:
    """The earlier assessment to copy from: the latest finalised, else the latest."""
    earlier = [a for a in queries.assessments() if a.year < assessment.year]
    finalised = [a for a in earlier if a.state == State.finalised]
    chosen = finalised or earlier
    return max(chosen, key=lambda a: a.year) if chosen else None


def source_for_year(year: int) -> Assessment | None:
    """The assessment a new one for ``year`` would copy from (the start page's offer)."""
    return source_for(Assessment(year=year, framework_id="", framework_version=""))


def copy_of(assessment_id: object) -> CarryOver | None:
    return db.session.exec(select(CarryOver).where(
        CarryOver.assessment_id == assessment_id)).first()


def is_empty(assessment: Assessment) -> bool:
    return not queries.answers(assessment.id) and not any(
        s.not_applicable for s in queries.indicator_states(assessment.id))


def can_copy(assessment: Assessment) -> bool:
    """Whether the assessment page may offer the copy (the service checks again)."""
    return (assessment.state in EDITABLE_STATES and copy_of(assessment.id) is None
            and source_for(assessment) is not None and is_empty(assessment))


def _label(framework: Framework, key: str) -> tuple[str, str]:
    if key.startswith(NA_PREFIX):
        code = key[len(NA_PREFIX):]
        indicator = framework.indicators.get(code)
        zh = indicator.name_zh if indicator else code
        en = indicator.name_en if indicator else code
        return f"{zh}：不适用", f"{en}: not applicable"
    if key in framework.inputs:
        spec = framework.inputs[key]
        return spec.name_zh, spec.name_en
    if key in framework.indicators:
        indicator = framework.indicators[key]
        return indicator.name_zh, indicator.name_en
    if key in SECTION_LABELS:
        text = SECTION_LABELS[key]
        # both languages of a lazy string: the catalogue's Chinese and the English source
        with force_locale("zh"):
            zh = str(text)
        with force_locale("en"):
            en = str(text)
        return zh, en
    return key, key


def unconfirmed(assessment: Assessment) -> list[CarriedField]:
    """Every field still marked "carried over", in questionnaire order."""
    framework = framework_of(assessment)
    keys = [a.key for a in queries.answers(assessment.id) if a.carried_from_id is not None]
    codes = [s.code for s in queries.indicator_states(assessment.id)
             if s.carried_from_id is not None]
    found = []
    holder = {k: f.indicator.code for p in pages_for(framework) for f in p.indicators
              for k in f.own_inputs}
    for key in keys:
        zh, en = _label(framework, key)
        found.append(CarriedField(key, page_of_key(framework, key), holder.get(key), zh, en))
    for code in codes:
        key = NA_PREFIX + code
        zh, en = _label(framework, key)
        found.append(CarriedField(key, page_of_indicator(framework, code), code, zh, en))
    order = {p.code: i for i, p in enumerate(pages_for(framework))}
    return sorted(found, key=lambda f: (order.get(f.page or "", 99), f.key))


def count_by_page(assessment: Assessment) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in unconfirmed(assessment):
        if item.page:
            counts[item.page] = counts.get(item.page, 0) + 1
    return counts


# -- the copy ----------------------------------------------------------------------------
def _known(framework: Framework, key: str) -> bool:
    return key in framework.inputs or key in framework.indicators or key in ENERGY_SECTIONS


def _problem_keys(problems: Iterable[object]) -> set[str]:
    """The answer keys some problems name (``inputs.x`` → ``x``; ``energy[2].q`` →
    ``energy``)."""
    keys = set()
    for problem in problems:
        key = getattr(problem, "key", "")
        if key.startswith("inputs."):
            key = key[len("inputs."):]
        keys.add(key.split("[", 1)[0].split(".", 1)[0])
    return keys


def copy_forward(assessment: Assessment, membership: Membership, user: User,
                 source: Assessment | None = None) -> CarryOver:
    """Copy ``source``'s answers and "not applicable" declarations into ``assessment``
    (default: :func:`source_for`), every copied row marked carried over. All or nothing;
    at most once per assessment."""
    if Role(membership.role) not in (Role.owner, Role.admin):
        raise Forbidden(_l("Only owners and administrators copy last year's answers."))
    if assessment.state not in EDITABLE_STATES:
        raise Conflict(_l("This assessment can no longer be edited."))
    source = source or source_for(assessment)
    if source is None or source.year >= assessment.year or source.id == assessment.id:
        raise NotFound(_l("There is no earlier assessment to copy from."))
    if copy_of(assessment.id) is not None:
        raise CopyRefused(ALREADY_COPIED)
    if not is_empty(assessment):
        raise CopyRefused(_l("Answers can only be copied into an assessment that has none "
                             "yet."))
    framework = framework_of(assessment)
    values = {a.key: (a.value, a.state) for a in queries.answers(source.id)
              if _known(framework, a.key)}
    # Values the rules of this year's framework refuse are left out, not forced in.
    for _round in range(3):
        problems = validate_answers(assessment, values, stored=[])
        if not problems:
            break
        refused = _problem_keys(problems) & set(values)
        if not refused:
            raise AnswerRejected(problems, problems[0].key)
        for key in refused:
            values.pop(key)
    else:
        raise AnswerRejected(problems, problems[0].key)
    na = [s for s in queries.indicator_states(source.id)
          if s.not_applicable and s.code in framework.indicators]
    now = utcnow()
    with db.session.begin_nested():  # all or nothing, whatever the caller does next
        # Lock the assessment (as every save does) and check it is still editable: a copy
        # racing a submit lands before it or is refused.
        _still_editable(assessment)
        record = CarryOver(assessment_id=assessment.id, source_assessment_id=source.id,
                           answers=len(values), not_applicable=len(na),
                           copied_by_id=user.id, copied_at=now)
        # The unique key decides between two simultaneous copies: the second is refused.
        insert_or_conflict([record], lambda: copy_of(assessment.id),
                           lambda _theirs: CopyRefused(ALREADY_COPIED))
        rows: list[object] = []
        for key, (value, state) in sorted(values.items()):
            rows.append(Answer(assessment_id=assessment.id, key=key, value=value, state=state,
                               updated_by_id=user.id, updated_at=now,
                               carried_from_id=source.id))
            rows.append(AnswerChange(assessment_id=assessment.id, key=key, old_value=None,
                                     new_value=value, old_state=None, new_state=state,
                                     changed_by_id=user.id, changed_at=now))
        existing = {s.code: s for s in queries.indicator_states(assessment.id)}
        for declared in na:
            # Only the declaration and its reason: never the confidence or who verified it.
            mine = existing.get(declared.code)  # e.g. "documented" after an upload this year
            if mine is None:
                rows.append(IndicatorState(assessment_id=assessment.id, code=declared.code,
                                           not_applicable=True, na_reason=declared.na_reason,
                                           updated_at=now, carried_from_id=source.id))
            else:
                update_or_conflict(mine, {"version": mine.version},
                                   {"not_applicable": True, "na_reason": declared.na_reason,
                                    "version": mine.version + 1, "updated_at": now,
                                    "carried_from_id": source.id},
                                   lambda _current: Conflict(_l(
                                       "The assessment changed since you opened it. Reload "
                                       "and try again.")))
            rows.append(AnswerChange(
                assessment_id=assessment.id, key=NA_PREFIX + declared.code,
                old_value={"not_applicable": False, "reason": ""},
                new_value={"not_applicable": True, "reason": declared.na_reason},
                changed_by_id=user.id, changed_at=now))
        db.session.add_all(rows)
        db.session.flush()
    audit.record("assessment.carried_over", tenant_id=assessment.tenant_id,
                 subject=str(assessment.year), actor_user_id=user.id,
                 source=str(source.year), answers=len(values), not_applicable=len(na))
    db.session.flush()
    return record


# -- confirming --------------------------------------------------------------------------
def confirm(assessment: Assessment, membership: Membership, user: User,
            keys: Iterable[str]) -> int:
    """Confirm carried-over fields unchanged (answer keys, or ``not_applicable:<code>``):
    the mark goes, the value and its version stay (a colleague editing the field is not
    made stale). Returns how many marks were cleared; confirming twice is no error."""
    framework = framework_of(assessment)
    answer_keys, codes = [], []
    for key in set(keys):
        if key.startswith(NA_PREFIX):
            code = key[len(NA_PREFIX):]
            if code not in framework.indicators:
                raise NotFound(_l("Not found."))
            require_page(assessment, membership, page_of_indicator(framework, code))
            codes.append(code)
        else:
            if not _known(framework, key):
                raise NotFound(_l("Not found."))
            require_page(assessment, membership, page_of_key(framework, key))
            answer_keys.append(key)
    if not answer_keys and not codes:
        return 0
    _still_editable(assessment)
    cleared = 0
    if answer_keys:
        result = db.session.execute(
            update(Answer).where(col(Answer.assessment_id) == assessment.id,
                                 col(Answer.key).in_(answer_keys),
                                 col(Answer.carried_from_id).is_not(None))
            .values(carried_from_id=None), execution_options={"synchronize_session": False})
        cleared += getattr(result, "rowcount", 0) or 0
    if codes:
        result = db.session.execute(
            update(IndicatorState).where(col(IndicatorState.assessment_id) == assessment.id,
                                         col(IndicatorState.code).in_(codes),
                                         col(IndicatorState.carried_from_id).is_not(None))
            .values(carried_from_id=None), execution_options={"synchronize_session": False})
        cleared += getattr(result, "rowcount", 0) or 0
    db.session.expire_all()  # loaded rows show the cleared marks
    if cleared:
        audit.record("assessment.carried_confirmed", tenant_id=assessment.tenant_id,
                     subject=str(assessment.year), actor_user_id=user.id, fields=cleared)
    return cleared


def confirm_page(assessment: Assessment, membership: Membership, user: User,
                 page_code: str) -> int:
    """Confirm every carried-over field of one questionnaire page."""
    framework = framework_of(assessment)
    the_page = page(framework, page_code)
    if the_page is None:
        raise NotFound(_l("Not found."))
    keys = [f.key for f in unconfirmed(assessment) if f.page == page_code]
    return confirm(assessment, membership, user, keys)
