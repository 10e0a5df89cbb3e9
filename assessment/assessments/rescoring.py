"""Moving an open assessment's answers to another version of its framework (``rescore``).

An assessment is pinned to the framework version it was created with
(``Assessment.framework_version``); results record the version they were scored with. When a
new version is published, ``flask assessment rescore`` moves open assessments across:

- open assessments (draft, submitted, returned) move when their answers form a valid
  document under the new version; the answers themselves are kept as they are (the
  versions share their inputs), only the pinned version changes;
- finalised assessments never move: their revisions are immutable records of what was
  scored with which version. Reopening one starts a new revision, which can then be moved;
- the move is one conditional UPDATE (still on the old version, still open), so a
  concurrent finalisation or another rescore wins or loses cleanly, decided by the
  database; the assessment's version is bumped so that open forms reload.

The service changes and flushes; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlmodel import col

from assessment.assessments import queries
from assessment.assessments.documents import (
    build_document,
    current_industry,
    evaluate_document,
    framework_of,
    industry_cohorts,
)
from assessment.assessments.models import Assessment, State
from indicators import InvalidInput
from indicators.framework.loader import shipped_framework
from indicators.problems import InvalidFramework, Problem
from tenants.db import db
from tenants.services import audit
from tenants.types import utcnow

OPEN_STATES = (State.draft, State.submitted, State.returned)


@dataclass
class RescoreOutcome:
    """What rescoring one assessment did (or, in a dry run, would do)."""

    assessment: Assessment
    from_version: str
    to_version: str
    status: str  # moved | would_move | already | finalised | invalid | changed
    overall_before: float | None = None
    overall_after: float | None = None
    problems: list[Problem] = field(default_factory=list)

    def line(self) -> str:
        a = self.assessment
        head = (f"{a.id} tenant={a.tenant_id} year={a.year} state={a.state} "
                f"{a.framework_id} {self.from_version} -> {self.to_version}: {self.status}")
        if self.overall_before is not None or self.overall_after is not None:
            head += f" (overall {self.overall_before} -> {self.overall_after})"
        for p in self.problems:
            head += f"\n    {p.key}: {p.message_en}"
        return head


def target_version(framework_id: str, version: str | None) -> str:
    """The version to move to: the one named, else the newest shipped version."""
    return shipped_framework(framework_id, version).version


def rescore_assessment(assessment: Assessment, version: str, *, dry_run: bool,
                       actor: str = "cli") -> RescoreOutcome:
    """Move ``assessment`` (of the current tenant) to ``version`` of its framework."""
    old = assessment.framework_version
    outcome = RescoreOutcome(assessment, old, version, "already")
    if old == version:
        return outcome
    if assessment.state not in OPEN_STATES:
        outcome.status = "finalised"
        return outcome
    try:
        new_framework = shipped_framework(assessment.framework_id, version)
    except InvalidFramework:
        outcome.status = "invalid"
        outcome.problems = [Problem("version", "unknown_version",
                                    f"框架 {assessment.framework_id} 没有版本 {version}",
                                    f"framework {assessment.framework_id} has no version "
                                    f"{version}")]
        return outcome
    document = build_document(assessment, queries.answers(assessment.id),
                              queries.indicator_states(assessment.id), current_industry())
    try:
        current = framework_of(assessment)
        outcome.overall_before = evaluate_document(
            current, document, industry_cohorts(assessment, current, document)).overall.score
    except InvalidInput:
        outcome.overall_before = None  # a draft may be invalid under its own version too
    try:
        outcome.overall_after = evaluate_document(
            new_framework, document,
            industry_cohorts(assessment, new_framework, document)).overall.score
    except InvalidInput as invalid:
        outcome.status = "invalid"
        outcome.problems = invalid.problems
        return outcome
    if dry_run:
        outcome.status = "would_move"
        return outcome
    result = db.session.execute(
        sa.update(Assessment)
        .where(
            col(Assessment.id) == assessment.id,
            col(Assessment.framework_version) == old,
            col(Assessment.state).in_([s.value for s in OPEN_STATES]),
        )
        .values(framework_version=version, version=Assessment.version + 1,
                updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    moved = cast(CursorResult[Any], result).rowcount
    db.session.expire(assessment)
    if not moved:
        outcome.status = "changed"  # finalised or moved by someone else meanwhile
        return outcome
    audit.record("assessment.rescored", tenant_id=assessment.tenant_id,
                 subject=str(assessment.year), from_version=old, to_version=version,
                 actor=actor)
    db.session.flush()
    outcome.status = "moved"
    return outcome
