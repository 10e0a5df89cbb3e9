"""Plausibility warnings of an assessment's answers, and the enterprise's confirmations.

The engine words the warnings (``indicators`` plausibility checks: a likely unit slip, a
coefficient far from its default, a grid factor from an earlier year); this module is the
one place the web app gets them from:

- :func:`warnings_for` — the warnings of the answers as they stand now (``Notice`` objects:
  code, key, zh and en message). The questionnaire shows them beside each field; submission,
  the review pages and the report use the same function through :func:`checked_warnings`.
- :func:`field_of` — the answer (questionnaire field) a warning's key concerns.
- :func:`checked_warnings` — each warning with the enterprise's confirmation, when one holds.
- :func:`confirm_warning` — the enterprise says the figure is right, with a short reason.

A confirmation holds while the warning reads the same (its fingerprint covers the code, the
key and both messages, which quote the figure) and the answer it concerns has not been
saved again since (its version). Changing the field therefore makes the confirmation stale
without any hook in the save path, and submission asks again. Submission is refused while a
warning is neither confirmed nor corrected (:func:`unconfirmed`).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from assessment.assessments import queries
from assessment.assessments.answering import EDITABLE_STATES
from assessment.assessments.atomic import insert_or_conflict, update_or_conflict
from assessment.assessments.documents import (
    build_document,
    current_industry,
    evaluate_document,
    framework_of,
)
from assessment.assessments.models import Answer, Assessment, WarningConfirmation
from assessment.assessments.pages import ENERGY_SECTIONS
from indicators import InvalidInput, Notice
from tenants.db import db
from tenants.errors import Conflict, DomainError, Forbidden, NotFound
from tenants.limits import check_text
from tenants.models import Membership, Role, User
from tenants.types import utcnow

REASON_FIELD = "reason"
# Warnings about the factors the engine chose, not about the enterprise's figures (a grid
# factor from an earlier data year or a wider area): shown and reported, but there is
# nothing to correct, so submission does not ask to confirm them.
INFORMATIONAL = frozenset({"grid_factor_fallback"})


def field_of(key: str) -> str | None:
    """The answer key a warning's key concerns (None: no single field, e.g. the reporting
    year or the enterprise profile's province for a grid-factor fallback).

    ``energy[2].quantity`` → ``energy``; ``process_emissions[0].tonnes`` →
    ``process_emissions``; ``options.x`` → ``options``; ``inputs.output_value`` →
    ``output_value``; ``energy`` (a total computed from the rows) → ``energy``."""
    if key.startswith("inputs."):
        return key[len("inputs."):]
    root = key.split("[", 1)[0].split(".", 1)[0]
    if root in ENERGY_SECTIONS:
        return root
    return None


def fingerprint(notice: Notice) -> str:
    """What a confirmation is a confirmation of: the warning's code, key and wording (the
    wording quotes the figure, so another figure is another warning)."""
    text = "\x1f".join((notice.code, notice.key, notice.message_zh, notice.message_en))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def warnings_for(assessment: Assessment, answers: list[Answer] | None = None) -> list[Notice]:
    """The plausibility warnings of the assessment's answers as they stand (the same
    document the engine scores: the profile's industry and province included).

    An invalid document has no warnings yet: its problems are shown as errors first."""
    rows = list(queries.answers(assessment.id)) if answers is None else answers
    document = build_document(assessment, rows, queries.indicator_states(assessment.id),
                              current_industry())
    try:
        return list(evaluate_document(framework_of(assessment), document).warnings)
    except InvalidInput:
        return []


@dataclass(frozen=True)
class CheckedWarning:
    """One warning, the field it concerns and the enterprise's confirmation (if it holds)."""

    notice: Notice
    field: str | None
    confirmation: WarningConfirmation | None

    @property
    def code(self) -> str:
        return self.notice.code

    @property
    def key(self) -> str:
        return self.notice.key

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.notice)

    @property
    def confirmed(self) -> bool:
        return self.confirmation is not None

    @property
    def needs_confirmation(self) -> bool:
        return self.code not in INFORMATIONAL

    def message(self, lang: str) -> str:
        return self.notice.message("en" if lang.startswith("en") else "zh")


def _holds(confirmation: WarningConfirmation, notice: Notice,
           versions: dict[str, int]) -> bool:
    if confirmation.fingerprint != fingerprint(notice):
        return False
    if confirmation.answer_key is None:
        return True
    return versions.get(confirmation.answer_key) == confirmation.answer_version


def checked_warnings(assessment: Assessment) -> list[CheckedWarning]:
    """Every current warning with its confirmation, where one still holds."""
    answers = list(queries.answers(assessment.id))
    versions = {a.key: a.version for a in answers}
    stored = {(c.code, c.key): c for c in queries.warning_confirmations(assessment.id)}
    checked = []
    for notice in warnings_for(assessment, answers):
        confirmation = stored.get((notice.code, notice.key))
        if confirmation is not None and not _holds(confirmation, notice, versions):
            confirmation = None
        checked.append(CheckedWarning(notice, field_of(notice.key), confirmation))
    return checked


def unconfirmed(assessment: Assessment) -> list[CheckedWarning]:
    return [w for w in checked_warnings(assessment)
            if w.needs_confirmation and not w.confirmed]


class UnconfirmedWarnings(DomainError):
    """Submission refused: some warnings are neither confirmed nor corrected."""

    status_code = 422

    def __init__(self, pending: list[CheckedWarning]):
        super().__init__(_l("%(count)d figure(s) look implausible. Correct each one, or "
                            "confirm that it is right and say why, before submitting.",
                            count=len(pending)), REASON_FIELD)
        self.pending = pending


def require_confirmed(assessment: Assessment) -> None:
    pending = unconfirmed(assessment)
    if pending:
        raise UnconfirmedWarnings(pending)


def _not_editable(_current: Assessment | None) -> Conflict:
    return Conflict(_l("This assessment can no longer be edited."))


def confirm_warning(assessment: Assessment, membership: Membership, user: User, code: str,
                    key: str, seen_fingerprint: str, reason: str) -> WarningConfirmation:
    """Record that the figure a warning questions is right, with the enterprise's reason.

    Refused unless the warning is still there and reads as the user saw it
    (``seen_fingerprint``); the assessment must still be editable (a confirmation racing a
    submit lands before it or is refused), and only the owners and administrators, who
    submit, confirm. A second confirmation of the same warning replaces the first."""
    if Role(membership.role) not in (Role.owner, Role.admin):
        raise Forbidden(_l("Only owners and administrators confirm figures before submitting."))
    reason = check_text("warning_reason", (reason or "").strip(), REASON_FIELD)
    if not reason:
        raise DomainError(_l("Say briefly why the figure is right."), REASON_FIELD)
    if assessment.state not in EDITABLE_STATES:
        raise _not_editable(assessment)
    answers = list(queries.answers(assessment.id))
    notice = next((n for n in warnings_for(assessment, answers)
                   if n.code == code and n.key == key), None)
    if notice is None or notice.code in INFORMATIONAL:
        raise NotFound(_l("This warning no longer applies: the figure was changed."))
    if fingerprint(notice) != seen_fingerprint:
        raise Conflict(_l("The figure changed since you opened the page. Reload and check it "
                          "again."), REASON_FIELD)
    # Lock the assessment as a save does: on PostgreSQL two confirmations (or a confirmation
    # and a submit) are serialised here, and a submitted assessment is refused.
    update_or_conflict(assessment, {"state": EDITABLE_STATES}, {"updated_at": utcnow()},
                       _not_editable)
    field = field_of(key)
    answer = next((a for a in answers if a.key == field), None) if field else None
    old = queries.warning_confirmation(assessment.id, code, key)
    if old is not None:
        db.session.delete(old)
        db.session.flush()
    row = WarningConfirmation(
        assessment_id=assessment.id, code=code, key=key, fingerprint=fingerprint(notice),
        answer_key=field if answer is not None else None,
        answer_version=answer.version if answer is not None else None,
        reason=reason, confirmed_by_id=user.id)

    def taken(theirs: WarningConfirmation | None) -> Conflict:
        return Conflict(_l("Someone confirmed this figure at the same moment. Reload the "
                           "page."), REASON_FIELD)

    insert_or_conflict([row], lambda: queries.warning_confirmation(assessment.id, code, key),
                       taken)
    return row


def snapshot(checked: list[CheckedWarning], names: dict[uuid.UUID, str]) -> list[dict[str, Any]]:
    """The warnings and their confirmations as a finalised revision keeps them (the report's
    data-quality section): code, key, field, both messages, reason, who and when."""
    out = []
    for warning in checked:
        confirmation = warning.confirmation
        confirmed_at: datetime | None = confirmation.confirmed_at if confirmation else None
        out.append({
            "code": warning.code, "key": warning.key, "field": warning.field,
            "informational": not warning.needs_confirmation,
            "message": {"zh": warning.notice.message_zh, "en": warning.notice.message_en},
            "reason": confirmation.reason if confirmation else "",
            "confirmed_by": (names.get(confirmation.confirmed_by_id, "")
                             if confirmation and confirmation.confirmed_by_id else ""),
            "confirmed_at": confirmed_at.isoformat() if confirmed_at else None,
        })
    return out


@dataclass(frozen=True)
class DataQualityLine:
    """One warning as the review pages and the report's data-quality section print it."""

    code: str
    key: str
    message: str
    reason: str  # empty: not confirmed (the figure was neither corrected nor confirmed)
    confirmed_by: str
    confirmed_on: str  # YYYY-MM-DD, empty when not confirmed
    informational: bool = False  # about a factor the engine chose: nothing to confirm

    @property
    def confirmed(self) -> bool:
        return bool(self.reason)


def quality_lines(entries: list[dict[str, Any]], lang: str) -> list[DataQualityLine]:
    """Lines in the reader's language from :func:`snapshot` entries (a finalised
    revision's ``warning_confirmations``, or the live ones of :func:`live_entries`)."""
    english = lang.startswith("en")
    lines = []
    for entry in entries:
        message = entry.get("message") or {}
        confirmed_at = entry.get("confirmed_at") or ""
        lines.append(DataQualityLine(
            code=str(entry.get("code", "")), key=str(entry.get("key", "")),
            message=str(message.get("en" if english else "zh", "")),
            reason=str(entry.get("reason") or ""),
            confirmed_by=str(entry.get("confirmed_by") or ""),
            confirmed_on=str(confirmed_at)[:10],
            informational=bool(entry.get("informational"))))
    return lines


def live_entries(assessment: Assessment) -> list[dict[str, Any]]:
    """The current warnings and confirmations in the shape a revision keeps them."""
    checked = checked_warnings(assessment)
    return snapshot(checked, user_names(checked))


def user_names(checked: list[CheckedWarning]) -> dict[uuid.UUID, str]:
    ids = {w.confirmation.confirmed_by_id for w in checked
           if w.confirmation is not None and w.confirmation.confirmed_by_id is not None}
    names = {}
    for user_id in ids:
        user = db.session.get(User, user_id)
        if user is not None:
            names[user_id] = user.name  # a name only: no e-mail address on pages or reports
    return names
