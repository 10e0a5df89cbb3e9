"""Results of an assessment: provisional for a draft, the stored snapshot once finalised.

Every figure comes from the engine (``indicators``): a draft is evaluated from its current
answers; a finalised assessment shows its immutable revision, whose explanation trace and
what-if are obtained by evaluating the revision's stored document again under the
revision's own framework version (the engine is deterministic, and ``trace_matches`` says
whether that re-evaluation reproduces the snapshot). The previous finalised year is
re-scored under this assessment's framework version, so that the two years compare like
with like.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from assessment.assessments import queries
from assessment.assessments.documents import (
    build_document,
    current_industry,
    evaluate_document,
    framework_of,
    industry_cohorts,
)
from assessment.assessments.models import Assessment, AssessmentRevision, Confidence, State
from indicators import Evaluation, Framework, InvalidInput, Problem, rescore
from indicators.framework.loader import shipped_framework


@dataclass
class Comparison:
    year: int
    revision: int
    framework_version: str  # the version the previous year was re-scored under
    stored_version: str  # the version it was finalised under
    results: dict[str, Any]  # the contract output of the re-scoring

    @property
    def rescored(self) -> bool:
        return self.framework_version != self.stored_version


@dataclass
class AssessmentResults:
    assessment: Assessment
    framework: Framework
    provisional: bool
    results: dict[str, Any]  # the contract output shown (snapshot or provisional)
    evaluation: Evaluation | None  # for trace and what-if; None if the answers are invalid
    revision: AssessmentRevision | None = None
    confidence: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    previous: Comparison | None = None
    previous_problems: list[Problem] = field(default_factory=list)
    trace_matches: bool = True
    # the contract input document the figures come from (the draft's answers, or the
    # revision's stored document): the energy summary compares it with the year before
    document: dict[str, Any] | None = None
    # a draft whose coverage is below the comparison threshold: the previous year exists
    # but is not compared yet (see ``comparable``)
    previous_withheld: bool = False

    @property
    def previous_is_provisional(self) -> bool:
        """A draft compared with the year before: the comparison is provisional (暂定)."""
        return self.provisional and self.previous is not None

    @property
    def coverage(self) -> float | None:
        coverage = self.results.get("overall", {}).get("coverage")
        return None if coverage is None else float(coverage)

    @property
    def trace(self) -> dict[str, Any] | None:
        return None if self.evaluation is None else self.evaluation.trace

    def what_if(self, limit: int = 5) -> list[dict[str, Any]]:
        return [] if self.evaluation is None else self.evaluation.what_if(limit=limit)


def current_revision(assessment: Assessment) -> AssessmentRevision | None:
    """The revision a finalised assessment stands for (its current revision number)."""
    for revision in reversed(queries.revisions(assessment.id)):
        if revision.revision == assessment.revision:
            return revision
    return None


def _empty_results(framework: Framework) -> dict[str, Any]:
    return {"framework": {"id": framework.id, "version": framework.version},
            "indicators": {}, "dimensions": {},
            "overall": {"score": None, "level": None, "coverage": None}}


def comparable(found: AssessmentResults, min_coverage: float) -> bool:
    """Whether the results may be compared with the year before: a finalised assessment
    always; a draft only once its answers cover ``min_coverage`` (0-1) of the indicators'
    weight, for a half-answered draft's score is no measure of a change."""
    if not found.provisional:
        return True
    return found.coverage is not None and found.coverage >= min_coverage


def assessment_results(assessment: Assessment, *, compare: bool = True,
                       min_coverage: float = 0.0) -> AssessmentResults:
    """Everything the results page shows, for the current tenant's ``assessment``.

    ``min_coverage``: a draft is compared with the previous year only from this coverage
    on (the setting ``RESULTS_COMPARE_MIN_COVERAGE``); below it ``previous_withheld``."""
    framework = framework_of(assessment)
    revision = current_revision(assessment) if assessment.state == State.finalised else None
    if revision is not None:
        found = AssessmentResults(
            assessment=assessment, framework=framework, provisional=False,
            results=copy.deepcopy(revision.results), evaluation=None, revision=revision,
            confidence=dict(revision.confidence), document=revision.document,
        )
        try:
            stored = shipped_framework(revision.framework_id, revision.framework_version)
            found.evaluation = evaluate_document(
                stored, revision.document,
                industry_cohorts(assessment, stored, revision.document))
        except InvalidInput as invalid:
            found.problems = invalid.problems
        else:
            found.trace_matches = _same_figures(found.evaluation.to_contract(), found.results)
    else:
        states = queries.indicator_states(assessment.id)
        document = build_document(assessment, queries.answers(assessment.id), states,
                                  current_industry())
        confidence = {s.code: s.confidence for s in states}
        try:
            evaluation = evaluate_document(framework, document,
                                           industry_cohorts(assessment, framework, document))
        except InvalidInput as invalid:
            found = AssessmentResults(assessment=assessment, framework=framework,
                                      provisional=True, results=_empty_results(framework),
                                      evaluation=None, confidence=confidence,
                                      problems=invalid.problems)
        else:
            found = AssessmentResults(assessment=assessment, framework=framework,
                                      provisional=True, results=evaluation.to_contract(),
                                      evaluation=evaluation, confidence=confidence,
                                      document=document)
    if compare:
        if comparable(found, min_coverage):
            found.previous, found.previous_problems = previous_year(assessment)
        else:
            found.previous_withheld = \
                queries.previous_finalised_revision(assessment.year) is not None
    return found


def _same_figures(recomputed: dict[str, Any], stored: dict[str, Any]) -> bool:
    keys = ("indicators", "dimensions", "overall")
    return all(recomputed.get(k) == stored.get(k) for k in keys)


def previous_year(assessment: Assessment) -> tuple[Comparison | None, list[Problem]]:
    """The closest earlier finalised year, re-scored under this assessment's version."""
    previous = queries.previous_finalised_revision(assessment.year)
    if previous is None:
        return None, []
    try:
        evaluation = rescore(previous.document, assessment.framework_id,
                             assessment.framework_version)
    except InvalidInput as invalid:
        return None, invalid.problems
    return Comparison(year=previous.year, revision=previous.revision,
                      framework_version=assessment.framework_version,
                      stored_version=previous.framework_version,
                      results=evaluation.to_contract()), []


def results_for(assessment: Assessment) -> dict[str, Any]:
    """The contract's output document for ``assessment`` (for the CLI and exports).

    A finalised assessment gives its stored snapshot; any other the provisional results of
    its current answers. Raises ``indicators.InvalidInput`` if a draft's answers no longer
    form a valid document.
    """
    if assessment.state == State.finalised:
        revision = current_revision(assessment)
        if revision is not None:
            return copy.deepcopy(revision.results)
    states = queries.indicator_states(assessment.id)
    document = build_document(assessment, queries.answers(assessment.id), states,
                              current_industry())
    framework = framework_of(assessment)
    return evaluate_document(framework, document,
                             industry_cohorts(assessment, framework, document)).to_contract()


CONFIDENCE_ORDER = (Confidence.self_declared, Confidence.documented,
                    Confidence.internally_reviewed, Confidence.verified)
