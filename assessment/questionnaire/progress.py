"""Progress of a questionnaire: per page and overall. :func:`progress` is pure (stored rows
in, counts out); :func:`progress_of` reads an assessment's rows and calls it.

An input counts as done when it is answered (a value), declared unknown, or belongs to an
indicator declared not applicable. The profile page is one item (the profile exists); the
energy page two: energy consumption (a direct total, or carrier rows) and emissions (a direct
total, or carrier/process rows from which they are computed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assessment.assessments import queries
from assessment.assessments.documents import framework_of
from assessment.assessments.models import Answer, AnswerState, Assessment, IndicatorState
from assessment.assessments.pages import ENERGY_PAGE, PROFILE_PAGE, Page, pages_for
from assessment.profiles import queries as profile_queries


@dataclass(frozen=True)
class PageProgress:
    page: str
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def complete(self) -> bool:
        return self.done >= self.total


def _given(answer: Answer | None) -> bool:
    if answer is None:
        return False
    if answer.state == AnswerState.unknown:
        return True
    return answer.value not in (None, [], {})


def page_progress(page: Page, answers: Mapping[str, Answer],
                  states: Mapping[str, IndicatorState], has_profile: bool) -> PageProgress:
    if page.code == PROFILE_PAGE:
        return PageProgress(page.code, int(has_profile), 1)
    if page.code == ENERGY_PAGE:
        rows = _given(answers.get("energy"))
        energy = rows or _given(answers.get("energy_tce"))
        emissions = rows or _given(answers.get("process_emissions")) or \
            _given(answers.get("emissions_tco2e"))
        return PageProgress(page.code, int(energy) + int(emissions), 2)
    done = total = 0
    for fields in page.indicators:
        state = states.get(fields.indicator.code)
        not_applicable = state is not None and state.not_applicable
        for key in fields.own_inputs:
            total += 1
            done += int(not_applicable or _given(answers.get(key)))
    return PageProgress(page.code, done, total)


def progress(pages: Sequence[Page], answers: Sequence[Answer],
             states: Sequence[IndicatorState], has_profile: bool
             ) -> tuple[list[PageProgress], PageProgress]:
    by_key = {a.key: a for a in answers}
    by_code = {s.code: s for s in states}
    per_page = [page_progress(p, by_key, by_code, has_profile) for p in pages]
    overall = PageProgress("overall", sum(p.done for p in per_page),
                           sum(p.total for p in per_page))
    return per_page, overall


def progress_of(assessment: Assessment, has_profile: bool | None = None
                ) -> tuple[list[PageProgress], PageProgress]:
    """The progress of ``assessment`` (in the current tenant) from its stored answers.

    ``has_profile``: whether the enterprise has its profile, when the caller already knows."""
    if has_profile is None:
        has_profile = profile_queries.profile() is not None
    return progress(pages_for(framework_of(assessment)), queries.answers(assessment.id),
                    queries.indicator_states(assessment.id), has_profile)
