"""Plausibility warnings of an assessment's stored answers, placed on the answers they concern.

The engine words the warnings (``Evaluation.warnings``: figures that are valid but look like
a unit slip, from ``indicators/data/factors/plausibility.yaml``); this module evaluates the
answers as they stand and says which answer key each warning belongs to. A warning never
blocks a save. :func:`warnings_for` is the one function every consumer reads (the
questionnaire beside its fields, submission and review).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from assessment.assessments import plausibility
from assessment.assessments.documents import framework_of
from assessment.assessments.models import Assessment
from assessment.questionnaire.problems import target_of
from indicators.problems import Notice


@dataclass(frozen=True)
class FieldWarning:
    """A warning and the answer it concerns (``key`` None: the assessment as a whole, e.g. a
    grid factor taken from an earlier year)."""

    key: str | None  # the answer key: "output_value", "energy", "options"
    rest: str  # the path below it: "", "[2].quantity"
    notice: Notice

    def message(self, english: bool) -> str:
        return self.notice.message("en" if english else "zh")


def warnings_for(assessment: Assessment) -> list[FieldWarning]:
    """The plausibility warnings of ``assessment``'s stored answers (in the current tenant),
    each placed on its answer; none while the answers do not make a valid document (their
    errors come first). The warnings themselves are
    :func:`assessment.assessments.plausibility.warnings_for`'s: the same that submission
    asks to correct or confirm."""
    framework = framework_of(assessment)
    placed = []
    for notice in plausibility.warnings_for(assessment):
        target = target_of(framework, notice.key)
        placed.append(FieldWarning(target.key if target else None,
                                   target.rest if target else "", notice))
    return placed


def by_key(warnings: Iterable[FieldWarning], english: bool,
           keys: Iterable[str] | None = None) -> dict[str, list[str]]:
    """The messages by answer key (only ``keys`` when given; "" for the assessment as a
    whole), each message once."""
    wanted = None if keys is None else set(keys)
    grouped: dict[str, list[str]] = {}
    for warning in warnings:
        key = warning.key or ""
        if wanted is not None and key and key not in wanted:
            continue
        messages = grouped.setdefault(key, [])
        text = warning.message(english)
        if text not in messages:
            messages.append(text)
    return grouped


def for_keys(grouped: Mapping[str, list[str]], keys: Iterable[str]) -> dict[str, list[str]]:
    """Every key of ``keys`` with its messages (an empty list clears a shown warning)."""
    return {key: list(grouped.get(key, [])) for key in keys}
