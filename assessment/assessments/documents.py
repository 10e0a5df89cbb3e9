"""Stored answers ⇄ the contract's input document, and evaluation through the engine.

The engine (``indicators``) is the only place where figures are computed; this module only
assembles its input from the stored rows and the enterprise profile's province, and hands it
over.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from flask import has_app_context

from assessment.assessments import hooks
from assessment.assessments.models import AnswerState, Assessment, IndicatorState
from assessment.assessments.pages import ENERGY_SECTIONS
from assessment.profiles import queries as profile_queries
from indicators import Evaluation, Framework, evaluate
from indicators.framework.loader import shipped_framework


def framework_of(assessment: Assessment) -> Framework:
    return shipped_framework(assessment.framework_id, assessment.framework_version)


def current_industry() -> str | None:
    """The current tenant's GB/T 4754 division, from its enterprise profile."""
    profile = profile_queries.profile()
    return profile.industry_division if profile is not None else None


class AnswerLike(Protocol):
    """What a document needs of an answer: a stored :class:`Answer` or a proposed value."""

    @property
    def key(self) -> str: ...
    @property
    def value(self) -> Any: ...
    @property
    def state(self) -> str: ...


def build_document(
    assessment: Assessment,
    answers: Iterable[AnswerLike],
    states: Iterable[IndicatorState],
    industry: str | None = None,
    province: str | None = None,
) -> dict[str, Any]:
    """The contract's input document for the answers as they stand.

    Unknown answers are left out (the engine then reports the indicator ``missing``), so
    "unknown" is never confused with 0. ``industry`` (the profile's division, see
    :func:`current_industry`) goes in as the document's ``industry``: framework 2.0.0 scores
    energy and carbon intensity within it (1.0.0 ignores it), and a stored document keeps
    the industry it was scored in. ``province`` is the profile's GB/T 2260 two-digit
    code; by default it is read from the enterprise profile when there is an application
    context (there always is in requests and jobs; a bare call evaluates without one).
    """
    inputs: dict[str, Any] = {}
    document: dict[str, Any] = {"framework": assessment.framework_id, "inputs": inputs}
    for answer in answers:
        if answer.state != AnswerState.answered or answer.value is None:
            continue
        if answer.key in ENERGY_SECTIONS:
            if answer.value:
                document[answer.key] = answer.value
        else:
            inputs[answer.key] = answer.value
    not_applicable = sorted(s.code for s in states if s.not_applicable)
    if not_applicable:
        document["not_applicable"] = not_applicable
    document["year"] = assessment.year
    if industry is not None:
        document["industry"] = industry
    # The enterprise's province picks the provincial or regional grid factor for purchased
    # electricity (the profile keeps GB/T 2260's two-digit prefix; the contract the full code).
    if province is None and has_app_context():
        profile = profile_queries.profile()
        province = profile.province if profile is not None else None
    if province:
        document["province"] = f"{province}0000"
    return document


def industry_cohorts(assessment: Assessment, framework: Framework,
                     document: Mapping[str, Any]) -> dict[str, list[float]]:
    """The industry cohorts the engine scores industry-calibrated indicators within
    (framework 2.0.0: energy and carbon intensity): the current values of the other
    enterprises of the document's division and year that share anonymised figures (the
    platform pool), per indicator, where at least the framework's ``min_cohort_size`` and
    the anonymity minimum gave one. Empty without an industry or such indicators; cited
    division bands still win over a cohort in the engine."""
    codes = [code for code, ind in framework.indicators.items() if ind.industry_bands]
    industry = document.get("industry")
    if not codes or not isinstance(industry, str):
        return {}
    return hooks.industry_cohort_values(assessment.year, industry, codes, assessment.tenant_id,
                                        framework.min_cohort_size)


def evaluate_document(framework: Framework, document: Mapping[str, Any],
                      cohorts: dict[str, list[float]] | None = None) -> Evaluation:
    """Raises ``indicators.InvalidInput`` with every problem when the document is invalid.

    ``cohorts``: the industry cohorts (:func:`industry_cohorts`) for scoring."""
    return evaluate(dict(document), framework=framework, cohorts=cohorts or None)
