"""Stored answers ⇄ the contract's input document, and evaluation through the engine.

The engine (``indicators``) is the only place where figures are computed; this module only
assembles its input from the stored rows and hands it over.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from assessment.assessments import queries
from assessment.assessments.models import Answer, AnswerState, Assessment, IndicatorState
from assessment.assessments.pages import ENERGY_SECTIONS
from indicators import Evaluation, Framework, evaluate
from indicators.framework.loader import shipped_framework


def framework_of(assessment: Assessment) -> Framework:
    return shipped_framework(assessment.framework_id, assessment.framework_version)


def current_industry() -> str | None:
    """The current tenant's GB/T 4754 division, from its enterprise profile."""
    profile = queries.profile()
    return profile.industry_division if profile is not None else None


def build_document(
    assessment: Assessment,
    answers: Iterable[Answer],
    states: Iterable[IndicatorState],
    industry: str | None = None,
) -> dict[str, Any]:
    """The contract's input document for the answers as they stand.

    Unknown answers are left out (the engine then reports the indicator ``missing``), so
    "unknown" is never confused with 0. ``industry`` (the profile's division, see
    :func:`current_industry`) goes in as the document's ``industry``: framework 2.0.0 scores
    energy and carbon intensity within it (1.0.0 ignores it), and a stored document keeps
    the industry it was scored in.
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
    return document


def answers_from_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """The answer rows a contract input document stands for: {key: value}."""
    values: dict[str, Any] = dict(document.get("inputs") or {})
    for section in ENERGY_SECTIONS:
        if document.get(section):
            values[section] = document[section]
    return values


def evaluate_document(framework: Framework, document: Mapping[str, Any]) -> Evaluation:
    """Raises ``indicators.InvalidInput`` with every problem when the document is invalid."""
    return evaluate(dict(document), framework=framework)
