"""The demo association's plain members, written in bulk (``flask demo load --members N``).

A plain member is one the demo gives no part of its own: no consultancy client, no draft,
no plan; just an enterprise linked to the association with its finalised assessments. The
first :data:`assessment.demo.BULK_FROM` members are built through the services one by one
(the default demo, with its notifications); the thousands beyond them are written here, a
batch at a time, with multi-row inserts, and the same rows the services would write:

- the owner, the tenant, its owner membership, the profile (cleaned by
  :func:`~assessment.profiles.services.clean_profile`), the accepted link to the association,
  and the audit events of each step;
- per finalised year: the assessment (finalised at version 3, as create, submit and
  finalise leave it), its answers and their history, "not applicable" with its reason, the
  revision (the contract's input document and the engine's results, the informational
  warnings) and the result figures (:func:`~assessment.assessments.services.figure_rows`).

Every figure comes from the engine: the document is built by
:func:`~assessment.assessments.documents.build_document` and scored once by
:func:`~assessment.assessments.documents.evaluate_document` within the industry cohort the
services would use (the figures of the members finalised before, read through the same
hook), so a member's scores are what the services would have stored. The benchmark cohorts
touched are marked stale once per batch (the command drains them at the end). Not written:
the in-app notifications and their e-mails (a link request to the member, "finalised" to
both sides), which would only pile thousands of unread items on the demo's accounts.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert
from sqlmodel import col, select

from assessment.assessments import plausibility
from assessment.assessments.answering import ProposedAnswer
from assessment.assessments.documents import build_document, evaluate_document, framework_of
from assessment.assessments.models import (
    Answer,
    AnswerChange,
    AnswerState,
    Assessment,
    AssessmentRevision,
    Confidence,
    IndicatorState,
    ResultFigure,
    State,
)
from assessment.assessments.services import figure_rows
from assessment.benchmarks import queries as benchmark_queries
from assessment.benchmarks.pools import PlatformPool
from assessment.benchmarks.services import large_enough
from assessment.benchmarks.tasks import mark_stale
from assessment.demo_figures import DemoAnswers
from assessment.profiles.models import EnterpriseProfile
from assessment.profiles.services import ProfileData, clean_profile
from indicators import Framework
from indicators.framework.loader import DEFAULT_FRAMEWORK, shipped_framework
from tenants import demo as platform_demo
from tenants.billing import entitlements
from tenants.billing.config import billing_enabled
from tenants.context import system_scope
from tenants.db import db
from tenants.limits import check_text
from tenants.models import (
    AuditEvent,
    LinkGrant,
    LinkStatus,
    Membership,
    Role,
    Tenant,
    TenantKind,
    TenantLink,
    User,
)
from tenants.services import audit
from tenants.services.links import LINK_KIND_FOR_SOURCE
from tenants.types import utcnow

# The version create (1), submit (2) and finalise (3) leave a finalised assessment at.
FINALISED_VERSION = 3


@dataclass(frozen=True)
class PlainMember:
    """What the demo decides about one plain member; the rows follow from it."""

    slug: str
    name: str
    owner_email: str
    owner_name: str
    profile: ProfileData
    grants: tuple[LinkGrant, ...]
    may_be_named: bool
    years: tuple[int, ...]  # the finalised years


# (slug, cleaned profile, year) → the member's invented answers of that year
AnswersFor = Callable[[str, EnterpriseProfile, int], DemoAnswers]


def add_members(members: list[PlainMember], association: Tenant, association_owner: User,
                password_hash: str, answers_for: AnswersFor) -> int:
    """Write the members that do not exist yet (by slug), in a logged system scope (the
    rows belong to as many tenants as members). Flushes; the caller commits. Returns how
    many were written."""
    with system_scope(db.session, "demo: plain members written in bulk"):
        taken = set(db.session.exec(select(Tenant.slug).where(
            col(Tenant.slug).in_([m.slug for m in members]))))
        todo = [m for m in members if m.slug not in taken]
        if todo:
            _Batch(association, association_owner, password_hash, answers_for).write(todo)
    return len(todo)


class _Batch:
    def __init__(self, association: Tenant, association_owner: User, password_hash: str,
                 answers_for: AnswersFor) -> None:
        self.association = association
        self.association_owner = association_owner
        self.password_hash = password_hash
        self.answers_for = answers_for
        self.now = utcnow()
        self.rows: dict[type, list[dict[str, Any]]] = {}
        self.cohorts = _Cohorts()

    def audit(self, action: str, **kwargs: Any) -> None:
        self.add(AuditEvent, {"id": uuid.uuid4(), "created_at": self.now,
                              **audit.event_values(action, **kwargs)})

    def add(self, model: type, row: dict[str, Any]) -> None:
        self.rows.setdefault(model, []).append(row)

    def insert(self, models: Iterable[type]) -> None:
        """INSERTs of the rows collected for ``models``, one executemany each (the
        PostgreSQL driver pipelines the rows through one prepared statement; a multi-row
        VALUES through RETURNING measured slower: the driver parses every long statement)."""
        for model in models:
            rows = self.rows.pop(model, [])
            if rows:
                db.session.execute(insert(model), rows)

    def write(self, members: list[PlainMember]) -> None:
        entitlements.require_seat_for_link(self.association, adding=len(members))
        owners = self._owners(members)
        enterprises = []
        for member in members:
            tenant_id = uuid.uuid4()
            owner_id = owners[member.owner_email]
            profile = self._enterprise(member, tenant_id, owner_id)
            self._link(member, tenant_id, owner_id)
            enterprises.append((member, tenant_id, owner_id, profile,
                                [self._assessment(tenant_id, owner_id, year)
                                 for year in member.years]))
        self.insert((User, Tenant, Membership, EnterpriseProfile, TenantLink, Assessment))
        if billing_enabled():
            for _member, tenant_id, _owner, _profile, _years in enterprises:
                tenant = db.session.get(Tenant, tenant_id)
                assert tenant is not None
                platform_demo.demo_seats(tenant, "professional", 1)
        stale = set()
        for member, _tenant, owner_id, profile, assessments in enterprises:
            for assessment in assessments:
                self._finalise(member, assessment, owner_id, profile)
                stale.add((assessment.year, profile.industry_division))
        self.insert((Answer, AnswerChange, IndicatorState, AssessmentRevision, ResultFigure,
                     AuditEvent))
        for year, division in sorted(stale):
            mark_stale(year, division)

    def _owners(self, members: list[PlainMember]) -> dict[str, uuid.UUID]:
        """The owners' ids by e-mail: the users that exist, and rows for the others."""
        emails = [m.owner_email for m in members]
        found = dict(db.session.exec(select(User.email, User.id).where(
            col(User.email).in_(emails))).all())
        for member in members:
            if member.owner_email not in found:
                found[member.owner_email] = uuid.uuid4()
                self.add(User, {"id": found[member.owner_email], "email": member.owner_email,
                                "name": member.owner_name, "password_hash": self.password_hash,
                                "locale": None, "email_verified_at": self.now})
        return found

    def _enterprise(self, member: PlainMember, tenant_id: uuid.UUID,
                    owner_id: uuid.UUID) -> EnterpriseProfile:
        """What :func:`tenants.demo.demo_tenant` and ``save_profile`` write."""
        self.add(Tenant, {"id": tenant_id, "kind": TenantKind.enterprise.value,
                          "name": member.name, "slug": member.slug, "locale": "zh_CN"})
        self.add(Membership, {"tenant_id": tenant_id, "user_id": owner_id,
                              "role": Role.owner.value})
        self.audit("tenant.created", tenant_id=tenant_id, subject=member.slug,
                     actor_user_id=owner_id, kind=TenantKind.enterprise)
        clean = clean_profile(member.profile)
        row = {"tenant_id": tenant_id, "id": uuid.uuid4(), **clean, "version": 1,
               "updated_by_id": owner_id, "updated_at": self.now}
        self.add(EnterpriseProfile, row)
        return EnterpriseProfile(**row)

    def _link(self, member: PlainMember, tenant_id: uuid.UUID, owner_id: uuid.UUID) -> None:
        """The accepted link, as ``request_link`` and ``respond`` leave it, and their audit
        events on both sides."""
        source = self.association
        grants = sorted(str(LinkGrant(g)) for g in set(member.grants))
        self.add(TenantLink, {
            "id": uuid.uuid4(), "source_tenant_id": source.id, "target_tenant_id": tenant_id,
            "kind": str(LINK_KIND_FOR_SOURCE[TenantKind(source.kind)]),
            "status": LinkStatus.accepted.value, "grants": grants,
            "may_be_named": member.may_be_named,
            "requested_by_id": self.association_owner.id, "responded_by_id": owner_id,
            "created_at": self.now, "responded_at": self.now})
        self.audit("link.requested", tenant_id=source.id, subject=member.slug, grants=grants)
        self.audit("link.requested", tenant_id=tenant_id, subject=source.slug, grants=grants)
        self.audit("link.accepted", tenant_id=tenant_id, subject=str(source.id))
        self.audit("link.accepted", tenant_id=source.id, subject=member.slug)

    def _assessment(self, tenant_id: uuid.UUID, owner_id: uuid.UUID, year: int) -> Assessment:
        framework = shipped_framework(DEFAULT_FRAMEWORK)
        row: dict[str, Any] = {"tenant_id": tenant_id, "id": uuid.uuid4(), "year": year,
               "framework_id": framework.id, "framework_version": framework.version,
               "state": State.finalised.value, "revision": 1, "version": FINALISED_VERSION,
               "created_by_id": owner_id, "created_at": self.now, "updated_at": self.now,
               "submitted_at": self.now, "finalised_at": self.now}
        self.add(Assessment, row)
        return Assessment(**row)

    def _finalise(self, member: PlainMember, assessment: Assessment, owner_id: uuid.UUID,
                  profile: EnterpriseProfile) -> None:
        """The answers, submission and finalisation of one year, evaluated once."""
        tenant_id, now = assessment.tenant_id, self.now
        answers = self.answers_for(member.slug, profile, assessment.year)
        values = {k: (v, AnswerState.answered.value) for k, v in answers.values.items()}
        values.update({k: (None, AnswerState.unknown.value) for k in answers.unknown})
        for key in sorted(values):
            value, state = values[key]
            self.add(Answer, {"tenant_id": tenant_id, "id": uuid.uuid4(),
                              "assessment_id": assessment.id, "key": key, "value": value,
                              "state": state, "version": 1, "updated_by_id": owner_id,
                              "updated_at": now, "carried_from_id": None})
            self.add(AnswerChange, self._change(assessment, owner_id, key, None, value,
                                                None, state))
        states = []
        for code, reason in answers.not_applicable.items():
            reason = check_text("na_reason", reason.strip())
            row: dict[str, Any] = {
                "tenant_id": tenant_id, "id": uuid.uuid4(), "assessment_id": assessment.id,
                "code": code, "not_applicable": True, "na_reason": reason,
                "confidence": Confidence.self_declared.value, "version": 1, "updated_at": now}
            self.add(IndicatorState, row)
            states.append(IndicatorState(**row))
            self.add(AnswerChange, self._change(
                assessment, owner_id, f"not_applicable:{code}",
                {"not_applicable": False, "reason": ""},
                {"not_applicable": True, "reason": reason}, None, None))
        document = build_document(
            assessment, [ProposedAnswer(k, v, s) for k, (v, s) in values.items()], states,
            profile.industry_division, profile.province)
        framework = framework_of(assessment)
        # raises InvalidInput where submitting would have refused the document
        evaluation = evaluate_document(framework, document, self.cohorts.of(
            framework, assessment.year, profile.industry_division))
        results = evaluation.to_contract()
        checked = [plausibility.CheckedWarning(n, plausibility.field_of(n.key), None)
                   for n in evaluation.warnings]
        pending = [w for w in checked if w.needs_confirmation]
        if pending:  # submit would have refused it: the invented figures need a fix
            raise plausibility.UnconfirmedWarnings(pending)
        self.add(AssessmentRevision, {
            "tenant_id": tenant_id, "id": uuid.uuid4(), "assessment_id": assessment.id,
            "revision": 1, "year": assessment.year, "framework_id": assessment.framework_id,
            "framework_version": assessment.framework_version, "document": document,
            "results": results, "confidence": {s.code: s.confidence for s in states},
            "finalised_by_id": owner_id, "finalised_at": now, "reviewed_by_tenant_id": None,
            "reviewed_by_name": "", "superseded_at": None,
            "warning_confirmations": plausibility.snapshot(checked, {})})
        figures = figure_rows(assessment.id, 1, assessment.year, profile, results)
        for row in figures:
            self.add(ResultFigure, {"tenant_id": tenant_id, "id": uuid.uuid4(), **row})
        # the next members of the division are scored within a cohort that holds this one
        self.cohorts.add(assessment.year, profile.industry_division, figures)
        self.audit("assessment.created", tenant_id=tenant_id, subject=str(assessment.year))
        self.audit("assessment.submitted", tenant_id=tenant_id,
                   subject=str(assessment.year), carried_unconfirmed=0)
        self.audit("assessment.finalised", tenant_id=tenant_id,
                   subject=str(assessment.year), actor_user_id=owner_id,
                   overall=results["overall"]["score"])

    def _change(self, assessment: Assessment, owner_id: uuid.UUID, key: str, old: Any,
                new: Any, old_state: str | None, new_state: str | None) -> dict[str, Any]:
        return {"tenant_id": assessment.tenant_id, "id": uuid.uuid4(),
                "assessment_id": assessment.id, "key": key, "old_value": old,
                "new_value": new, "old_state": old_state, "new_state": new_state,
                "changed_by_id": owner_id, "changed_at": self.now}


class _Cohorts:
    """The industry cohorts the engine scores a member within, as the services' hook reads
    them (:func:`assessment.benchmarks.services.industry_cohorts`: the current figures of
    the division and year in the platform pool, the other enterprises only), read once per
    division and year and batch, and then kept up to date with the members scored since
    (their figures are written at the end of the batch). A member's own figures of the same
    year are never among them: it is scored before they are added."""

    def __init__(self) -> None:
        self.found: dict[tuple[int, str], dict[str, list[float]]] = {}

    def of(self, framework: Framework, year: int, division: str) -> dict[str, list[float]]:
        codes = [code for code, ind in framework.indicators.items() if ind.industry_bands]
        if not codes:
            return {}
        if (year, division) not in self.found:
            # nobody is excluded: the members of this batch have no figures yet
            self.found[(year, division)] = benchmark_queries.peer_values(
                PlatformPool(), year, division, codes, uuid.UUID(int=0))
        return large_enough({code: list(values) for code, values in
                             self.found[(year, division)].items() if code in codes},
                            framework.min_cohort_size)

    def add(self, year: int, division: str, figures: list[dict[str, Any]]) -> None:
        found = self.found.get((year, division))
        if found is None:
            return  # not read yet: the read will find them
        for row in figures:
            # what the platform pool admits (opted in) and peer_values reads (a value)
            if row["opted_in"] and row["status"] == "ok" and row["value"] is not None:
                found.setdefault(row["code"], []).append(float(row["value"]))
