"""Writes of the assessment lifecycle: creating assessments and changing their state. They
change and flush; the request commits. Answers are written by :mod:`.answering`.

Rules enforced here (never in views or templates):
- state changes: draft → submitted → returned | finalised; a submission passes the engine's
  validation as a whole document;
- every state change carries the assessment's version it was based on, and is a
  compare-and-set in the database (``UPDATE assessment SET state = :to ... WHERE state IN
  (:allowed) AND version = :seen``): of two identical requests at the same instant (a
  double click, two reviewers) exactly one changes the state and the other is told it is
  already done; nothing else of a state change (revision, figures, audit event) is written
  before that update has matched;
- reopening a finalised assessment starts a new revision and keeps the old one.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask_babel import lazy_gettext as _l

from assessment.assessments import carryover, hooks, plausibility, queries
from assessment.assessments.answering import EDITABLE_STATES, AnswerRejected, validate_answers
from assessment.assessments.atomic import update_or_conflict
from assessment.assessments.documents import (
    build_document,
    evaluate_document,
    framework_of,
    industry_cohorts,
)
from assessment.assessments.models import (
    Assessment,
    AssessmentRevision,
    ResultFigure,
    ReviewComment,
    State,
)
from assessment.profiles import queries as profile_queries
from assessment.profiles.models import EnterpriseProfile
from indicators import load_framework
from indicators.catalogue.industries import group_of
from indicators.framework.loader import DEFAULT_FRAMEWORK
from tenants import queries as platform_queries
from tenants.billing import entitlements
from tenants.context import current_tenant_id, system_scope
from tenants.db import db
from tenants.errors import Conflict, DomainError, Forbidden, NotFound
from tenants.models import Membership, Role, Tenant, User
from tenants.services import audit
from tenants.types import utcnow


# -- creating ----------------------------------------------------------------------------
def create_assessment(membership: Membership, year: int, user: User,
                      framework_id: str = DEFAULT_FRAMEWORK) -> Assessment:
    if Role(membership.role) not in (Role.owner, Role.admin):
        raise Forbidden(_l("Only owners and administrators can start an assessment."))
    if profile_queries.profile() is None:
        raise DomainError(_l("Complete the enterprise profile first."), "profile")
    if queries.assessment_for_year(year) is not None:
        raise Conflict(_l("There is already an assessment for %(year)d.", year=year), "year")
    tenant = platform_queries.tenant_by_id(membership.tenant_id)
    assert tenant is not None
    entitlements.require_capacity(tenant, "assessments_per_year", field="year")
    framework = load_framework(framework_id)
    assessment = Assessment(year=year, framework_id=framework.id,
                            framework_version=framework.version, created_by_id=user.id)
    db.session.add(assessment)
    db.session.flush()
    audit.record("assessment.created", tenant_id=membership.tenant_id, subject=str(year))
    return assessment


# -- state changes -----------------------------------------------------------------------
ALREADY = {
    State.submitted: _l("This assessment is already submitted."),
    State.returned: _l("This assessment was already returned for changes."),
    State.finalised: _l("This assessment is already finalised."),
    State.draft: _l("This assessment is already open for editing."),
}


def _refusal(assessment: Assessment | None, allowed_from: tuple[State, ...], to: State,
             seen_version: int | None) -> Conflict | None:
    """Why ``assessment`` cannot go to ``to`` now (None: it can). The state already reached
    comes first: it is what a double click or a colleague's identical request meets."""
    if assessment is None:
        return Conflict(_l("The assessment changed since you opened it. Reload and try again."))
    if assessment.state == to:
        return Conflict(ALREADY[to])
    if seen_version is not None and seen_version != assessment.version:
        return Conflict(_l("The assessment changed since you opened it. Reload and try again."))
    if assessment.state not in allowed_from:
        return Conflict(_l("This action is not possible in the assessment's current state."))
    return None


def _check_transition(assessment: Assessment, allowed_from: tuple[State, ...], to: State,
                      expected_version: int | None) -> None:
    """Refuse early, before any work, what the compare-and-set would refuse anyway."""
    refusal = _refusal(assessment, allowed_from, to, expected_version)
    if refusal is not None:
        raise refusal


def _transition(assessment: Assessment, allowed_from: tuple[State, ...], to: State,
                expected_version: int | None, **changes: Any) -> None:
    """Change the state, decided by the database: the update matches only while the stored
    assessment is still in ``allowed_from`` at the version seen; else the loser is told why
    (already done, changed meanwhile) and nothing is written."""
    _check_transition(assessment, allowed_from, to, expected_version)
    seen = assessment.version

    def lost(current: Assessment | None) -> Exception:
        return _refusal(current, allowed_from, to, seen) or Conflict(
            _l("The assessment changed since you opened it. Reload and try again."))

    update_or_conflict(assessment, {"state": allowed_from, "version": seen},
                       {"state": to, "version": seen + 1, "updated_at": utcnow(), **changes},
                       lost)


class UnconfirmedCarriedOver(DomainError):
    """Submission refused: fields carried over from last year are neither confirmed nor
    changed, and the submitter did not acknowledge submitting them as they are."""

    status_code = 422

    def __init__(self, pending: list[carryover.CarriedField]):
        super().__init__(_l("%(count)d field(s) carried over from last year are not "
                            "confirmed. Confirm or change them, or acknowledge that you "
                            "submit them unchanged.", count=len(pending)),
                         CARRIED_ACKNOWLEDGED)
        self.pending = pending


CARRIED_ACKNOWLEDGED = "carried_acknowledged"


def submit(assessment: Assessment, membership: Membership,
           expected_version: int | None = None,
           carried_acknowledged: bool = False) -> Assessment:
    """``carried_acknowledged``: the submitter saw the list of fields still marked
    "carried over" and submits them as they are (submission asks, it does not block)."""
    if Role(membership.role) not in (Role.owner, Role.admin):
        raise Forbidden(_l("Only owners and administrators submit an assessment."))
    _check_transition(assessment, EDITABLE_STATES, State.submitted, expected_version)
    problems = validate_answers(assessment, {})
    if problems:
        raise AnswerRejected(problems, problems[0].key)
    # Every figure a plausibility check questions is corrected or confirmed with a reason.
    plausibility.require_confirmed(assessment)
    carried = carryover.unconfirmed(assessment)
    if carried and not carried_acknowledged:
        raise UnconfirmedCarriedOver(carried)
    _transition(assessment, EDITABLE_STATES, State.submitted, expected_version,
                submitted_at=utcnow())
    audit.record("assessment.submitted", tenant_id=membership.tenant_id,
                 subject=str(assessment.year), carried_unconfirmed=len(carried))
    db.session.flush()
    return assessment


def add_comment(assessment: Assessment, author: User, author_tenant_id: uuid.UUID,
                body: str, indicator_code: str | None = None) -> ReviewComment:
    body = body.strip()
    if not body:
        raise DomainError(_l("Write a comment first."), "body")
    if indicator_code and indicator_code not in framework_of(assessment).indicators:
        raise NotFound(_l("Not found."))
    comment = ReviewComment(assessment_id=assessment.id, revision=assessment.revision,
                            indicator_code=indicator_code, body=body, author_id=author.id,
                            author_tenant_id=author_tenant_id)
    db.session.add(comment)
    db.session.flush()
    return comment


def return_for_changes(assessment: Assessment, reviewer: User,
                       expected_version: int | None = None) -> Assessment:
    _check_transition(assessment, (State.submitted,), State.returned, expected_version)
    if not queries.open_comments(assessment.id, assessment.revision):
        raise DomainError(_l("Add at least one comment that says what to change."), "body")
    _transition(assessment, (State.submitted,), State.returned, expected_version)
    audit.record("assessment.returned", tenant_id=assessment.tenant_id,
                 subject=str(assessment.year), actor_user_id=reviewer.id)
    db.session.flush()
    return assessment


def finalise(assessment: Assessment, reviewer: User,
             expected_version: int | None = None) -> AssessmentRevision:
    """Freeze answers and results into an immutable revision and publish its figures.

    The state changes first (the compare-and-set): only the request that won it writes the
    revision, the figures and the audit event, and runs the finalisation hooks (the benchmarks
    refresh their snapshots: :mod:`.hooks`)."""
    _check_transition(assessment, (State.submitted,), State.finalised, expected_version)
    profile = profile_queries.profile_for_share()
    if profile is None:
        raise DomainError(_l("Complete the enterprise profile first."), "profile")
    states = queries.indicator_states(assessment.id)
    document = build_document(assessment, queries.answers(assessment.id), states,
                              profile.industry_division)
    framework = framework_of(assessment)
    evaluation = evaluate_document(framework, document,
                                   industry_cohorts(assessment, framework, document))
    results = evaluation.to_contract()
    checked = plausibility.checked_warnings(assessment)
    now = utcnow()
    _transition(assessment, (State.submitted,), State.finalised, expected_version,
                finalised_at=now)
    for older in queries.revisions(assessment.id):
        if older.superseded_at is None:
            older.superseded_at = now
    revision = AssessmentRevision(
        assessment_id=assessment.id, revision=assessment.revision, year=assessment.year,
        framework_id=assessment.framework_id, framework_version=assessment.framework_version,
        document=document, results=results,
        confidence={s.code: s.confidence for s in states},
        finalised_by_id=reviewer.id, finalised_at=now,
        warning_confirmations=plausibility.snapshot(checked, plausibility.user_names(checked)),
    )
    db.session.add(revision)
    _publish_figures(assessment, profile, results)
    audit.record("assessment.finalised", tenant_id=assessment.tenant_id,
                 subject=str(assessment.year), actor_user_id=reviewer.id,
                 overall=results["overall"]["score"])
    db.session.flush()
    hooks.finalised(hooks.Finalised(assessment.id, assessment.tenant_id, assessment.year,
                                    profile.industry_division))
    return revision


def _publish_figures(assessment: Assessment, profile: EnterpriseProfile,
                     results: dict[str, Any]) -> None:
    for figure in queries.current_figures(assessment.id):
        figure.current = False
    for row in figure_rows(assessment.id, assessment.revision, assessment.year, profile,
                           results):
        db.session.add(ResultFigure(**row))


def figure_rows(assessment_id: uuid.UUID, revision: int, year: int,
                profile: EnterpriseProfile, results: dict[str, Any]) -> list[dict[str, Any]]:
    """The result figures of a finalised revision as column values (every row has the same
    keys): one per indicator and dimension and the overall one, with the profile's cohort
    attributes. :func:`finalise` writes them as rows; the demo loader inserts them in bulk."""
    cohort = {
        "industry_division": profile.industry_division,
        "industry_group": group_of(profile.industry_division),
        "size_class": profile.size_class,
        "province": profile.province,
        "opted_in": profile.benchmark_opt_in,
    }
    common: dict[str, Any] = {"assessment_id": assessment_id, "revision": revision,
                              "year": year, **cohort}
    rows = [dict(code=code, kind="indicator", status=figure["status"],
                 value=figure.get("value"), score=figure.get("score"),
                 level=figure.get("level"), **common)
            for code, figure in results["indicators"].items()]
    rows += [dict(code=code, kind="dimension",
                  status="ok" if figure.get("score") is not None else "missing", value=None,
                  score=figure.get("score"), level=figure.get("level"), **common)
             for code, figure in results["dimensions"].items()]
    overall = results["overall"]
    rows.append(dict(code="overall", kind="overall",
                     status="ok" if overall.get("score") is not None else "missing",
                     value=None, score=overall.get("score"), level=overall.get("level"),
                     **common))
    return rows


def reopen(assessment: Assessment, membership: Membership,
           expected_version: int | None = None) -> Assessment:
    """A finalised assessment becomes a draft of its next revision; the old one stays."""
    if Role(membership.role) not in (Role.owner, Role.admin):
        raise Forbidden(_l("Only owners and administrators reopen an assessment."))
    _transition(assessment, (State.finalised,), State.draft, expected_version,
                revision=assessment.revision + 1)
    audit.record("assessment.reopened", tenant_id=membership.tenant_id,
                 subject=str(assessment.year), revision=assessment.revision)
    db.session.flush()
    return assessment


def _assessments_started_this_year(tenant: Tenant) -> int:
    """What the plan's ``assessments_per_year`` counts: assessments started this calendar
    year (reporting years are unique anyway; a reopened one is a revision, not a new one)."""
    if current_tenant_id(db.session) == tenant.id:
        return queries.assessments_started_in(utcnow().year)
    with system_scope(db.session, "entitlement usage count"):
        return queries.assessments_started_in(utcnow().year, tenant.id)


entitlements.register_counter("assessments_per_year", _assessments_started_this_year)
