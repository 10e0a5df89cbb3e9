"""Writes of the review: comments, verification, return and finalisation, by a reviewer.

A reviewer is either an owner or administrator of the enterprise itself, or a member
(owner, administrator or assessor) of a consultancy or association whose accepted link
grants ``review``; the link itself is checked by ``tenants.linked.enter_linked_enterprise`` before
any of this runs. The lifecycle rules (states, versions, the immutable revision) live in
``assessment.assessments.services``; this module adds who may call them and when.

Honest verification: only a linked reviewer's check is *verified* (recorded with the
reviewer, the organisation and the time); the enterprise's own check is *internally
reviewed*, never verified (the database refuses a verified label without another
organisation, see ``Confidence``). A revision finalised by a linked reviewer records the
reviewing organisation; one the enterprise finalised itself is a self-assessment
(``assessment.results.review_status``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from assessment.assessments import answering, notices, queries
from assessment.assessments import services as lifecycle
from assessment.assessments.atomic import update_or_conflict
from assessment.assessments.documents import framework_of
from assessment.assessments.models import (
    Assessment,
    AssessmentRevision,
    Confidence,
    IndicatorState,
    ReviewComment,
    State,
)
from assessment.evidence.queries import files_of
from assessment.review import queries as review_queries
from tenants import queries as platform_queries
from tenants.db import db
from tenants.errors import Conflict, DomainError, Forbidden, NotFound
from tenants.models import Role, User
from tenants.services import audit
from tenants.types import utcnow

OWN_REVIEWER_ROLES = (Role.owner, Role.admin)
LINKED_REVIEWER_ROLES = (Role.owner, Role.admin, Role.assessor)
CONVERSING_ROLES = (Role.owner, Role.admin, Role.assessor)
# A conversation goes on while the assessment is open or under review; a finalised
# assessment's comments are on record and closed.
CONVERSATION_STATES = (State.draft, State.submitted, State.returned)


@dataclass(frozen=True)
class Reviewer:
    user: User
    tenant_id: uuid.UUID  # the tenant the reviewer acts for (the enterprise or the linked one)
    role: Role
    linked: bool  # True only once tenants.linked admitted the request
    tenant_name: str = ""  # the organisation's name, recorded on a revision it finalises

    @property
    def may_act(self) -> bool:
        return self.role in (LINKED_REVIEWER_ROLES if self.linked else OWN_REVIEWER_ROLES)

    @property
    def may_reply(self) -> bool:
        """Replying is a conversation, not a decision: the enterprise's assessors answer
        comments on their pages too; viewers only read."""
        return self.role in (LINKED_REVIEWER_ROLES if self.linked else CONVERSING_ROLES)


def _require_reviewer(reviewer: Reviewer) -> None:
    if not reviewer.may_act:
        raise Forbidden(_l("Your role does not allow you to review assessments."))


def _require(reviewer: Reviewer, assessment: Assessment) -> None:
    _require_reviewer(reviewer)
    if assessment.state != State.submitted:
        raise Conflict(_l("Only a submitted assessment can be reviewed."))


def comment(reviewer: Reviewer, assessment: Assessment, body: str,
            indicator_code: str | None = None) -> ReviewComment:
    _require(reviewer, assessment)
    return lifecycle.add_comment(assessment, reviewer.user, reviewer.tenant_id, body,
                                 indicator_code or None)


def _comment_of(assessment: Assessment, comment_id: uuid.UUID) -> ReviewComment:
    found = next((c for c in queries.comments(assessment.id) if c.id == comment_id), None)
    if found is None:
        raise NotFound(_l("Not found."))
    return found


def _require_conversation(assessment: Assessment) -> None:
    if assessment.state not in CONVERSATION_STATES:
        raise Conflict(_l("The assessment is finalised: its comments are closed."))


def reply(actor: Reviewer, assessment: Assessment, comment_id: uuid.UUID,
          body: str) -> ReviewComment:
    """Answer a comment; the reviewer and the enterprise both reply. Replies are one level
    deep: an answer to a reply joins the conversation of the comment it belongs to."""
    if not actor.may_reply:
        raise Forbidden(_l("Your role does not allow you to reply to comments."))
    _require_conversation(assessment)
    parent = _comment_of(assessment, comment_id)
    if parent.parent_id is not None:
        parent = _comment_of(assessment, parent.parent_id)
    body = body.strip()
    if not body:
        raise DomainError(_l("Write a reply first."), "body")
    answer = ReviewComment(assessment_id=assessment.id, revision=parent.revision,
                           indicator_code=parent.indicator_code, body=body,
                           author_id=actor.user.id, author_tenant_id=actor.tenant_id,
                           parent_id=parent.id)
    db.session.add(answer)
    db.session.flush()
    notify_comment_reply(assessment, parent, answer)
    return answer


def notify_comment_reply(assessment: Assessment, comment: ReviewComment,
                         answer: ReviewComment) -> None:
    """Tell the other side of the conversation (``assessments.notices.replied``); the
    notifications are sent after the commit."""
    thread = [comment] + [c for c in queries.comments(assessment.id)
                          if c.parent_id == comment.id and c.id != answer.id]
    author = db.session.get(User, answer.author_id) if answer.author_id else None
    notices.replied(assessment, thread, answer, author.name if author else "")


def resolve_comment(reviewer: Reviewer, assessment: Assessment,
                    comment_id: uuid.UUID) -> ReviewComment:
    """Mark a comment resolved, recording who and for which organisation.

    A compare-and-set (``WHERE resolved_at IS NULL``): of two people resolving the same
    comment at once, one resolves it and the other is told who did."""
    _require_reviewer(reviewer)
    _require_conversation(assessment)
    found = _comment_of(assessment, comment_id)
    if found.parent_id is not None:
        raise Conflict(_l("A reply is not resolved on its own: resolve the comment it "
                          "answers."))
    update_or_conflict(
        found, {"resolved_at": None},
        {"resolved_at": utcnow(), "resolved_by_id": reviewer.user.id,
         "resolved_by_tenant_id": reviewer.tenant_id},
        lambda current: Conflict(_already_resolved(current)))
    return found


def _already_resolved(current: ReviewComment | None) -> str:
    if current is None:
        return str(_l("Not found."))
    who = review_queries.person_name(current.resolved_by_id)
    org = review_queries.organisation_name(current.resolved_by_tenant_id)
    return str(_l("This comment was already resolved by %(who)s (%(org)s).",
                  who=who or _l("someone"), org=org or "—"))


ALREADY_VERIFIED = _l("A linked reviewer verified this indicator: only a linked reviewer can "
                      "change that.")


def verify(reviewer: Reviewer, assessment: Assessment, code: str,
           verified: bool = True) -> IndicatorState:
    """Check an indicator's answers, or withdraw the check (back to documented when evidence
    is attached, else self-declared).

    A linked reviewer's check is *verified*; the enterprise's own owner or administrator
    gets *internally reviewed* for the same request, and may neither overwrite nor withdraw
    a linked reviewer's verification (it is the reviewer's word, not the enterprise's)."""
    _require(reviewer, assessment)
    if code not in framework_of(assessment).indicators:
        raise NotFound(_l("Not found."))
    current = review_queries.indicator_state_locked(assessment.id, code)
    if not reviewer.linked and current is not None \
            and current.confidence == Confidence.verified:
        raise Conflict(ALREADY_VERIFIED)
    if verified:
        outside = reviewer.linked and reviewer.tenant_id != assessment.tenant_id
        confidence = Confidence.verified if outside else Confidence.internally_reviewed
    else:
        confidence = Confidence.documented if files_of(assessment.id, code) \
            else Confidence.self_declared
    state = answering.set_confidence(assessment, code, confidence, reviewer.user,
                                     reviewer.tenant_id)
    action = {Confidence.verified: "assessment.verified",
              Confidence.internally_reviewed: "assessment.internally_reviewed"}.get(
        confidence, "assessment.unverified")
    audit.record(action, tenant_id=assessment.tenant_id, subject=code,
                 actor_user_id=reviewer.user.id, reviewer_tenant=reviewer.tenant_id)
    return state


# Return and finalise leave the state to the lifecycle's compare-and-set, which tells the
# second of two identical decisions that it is already done ("already finalised").
def return_for_changes(reviewer: Reviewer, assessment: Assessment,
                       expected_version: int | None) -> Assessment:
    _require_reviewer(reviewer)
    returned = lifecycle.return_for_changes(assessment, reviewer.user, expected_version)
    name = reviewer.tenant_name
    if not name:
        tenant = platform_queries.tenant_by_id(reviewer.tenant_id)
        name = tenant.name if tenant is not None else ""
    notices.returned(returned, name)
    return returned


def finalise(reviewer: Reviewer, assessment: Assessment,
             expected_version: int | None) -> AssessmentRevision:
    """Finalise; a linked reviewer's finalisation records the reviewing organisation on the
    revision (the report then names it), the enterprise's own makes a self-assessment."""
    _require_reviewer(reviewer)
    revision = lifecycle.finalise(assessment, reviewer.user, expected_version)
    if reviewer.linked and reviewer.tenant_id != assessment.tenant_id:
        name = reviewer.tenant_name
        if not name:
            tenant = platform_queries.tenant_by_id(reviewer.tenant_id)
            name = tenant.name if tenant is not None else ""
        revision.reviewed_by_tenant_id = reviewer.tenant_id
        revision.reviewed_by_name = name
        db.session.flush()
    return revision
