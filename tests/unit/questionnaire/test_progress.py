"""Progress per page and overall, from stored rows (the pure half of progress.py)."""

from __future__ import annotations

import pytest

from assessment.assessments.models import Answer, AnswerState, IndicatorState
from assessment.assessments.pages import ENERGY_PAGE, PROFILE_PAGE, page, pages_for
from assessment.questionnaire.progress import PageProgress, page_progress, progress
from indicators.framework.loader import shipped_framework


@pytest.fixture(scope="module")
def framework():
    return shipped_framework("scm-2024")


def _answer(key: str, value: object = 1, state: str = AnswerState.answered) -> Answer:
    return Answer(key=key, value=value, state=state)


@pytest.mark.parametrize(("done", "total", "percent", "complete"), [
    (0, 4, 0, False), (1, 3, 33, False), (2, 3, 67, False), (3, 3, 100, True),
    (0, 0, 100, True),  # a page with nothing to answer is complete
])
def test_page_progress_percent(done: int, total: int, percent: int, complete: bool) -> None:
    found = PageProgress("p", done, total)
    assert found.percent == percent and found.complete is complete


def test_the_profile_page_is_one_item(framework) -> None:
    profile = page(framework, PROFILE_PAGE)
    assert page_progress(profile, {}, {}, has_profile=False) == PageProgress(PROFILE_PAGE, 0, 1)
    assert page_progress(profile, {}, {}, has_profile=True) == PageProgress(PROFILE_PAGE, 1, 1)


@pytest.mark.parametrize(("answers", "done"), [
    ({}, 0),
    ({"energy": _answer("energy", [{"carrier": "coke"}])}, 2),  # rows give both
    ({"energy": _answer("energy", [])}, 0),  # an empty list is no answer
    ({"energy_tce": _answer("energy_tce", 10)}, 1),
    ({"energy_tce": _answer("energy_tce", 10), "emissions_tco2e": _answer("emissions_tco2e", 5)},
     2),
    ({"process_emissions": _answer("process_emissions", [{"gas": "CO2"}])}, 1),
    ({"energy_tce": _answer("energy_tce", None, AnswerState.unknown)}, 1),  # "we don't know"
    ({"options": _answer("options", {"gwp_set": "AR5"})}, 0),  # options are no figure
])
def test_the_energy_page_is_two_items(framework, answers, done: int) -> None:
    energy = page(framework, ENERGY_PAGE)
    assert page_progress(energy, answers, {}, has_profile=True) == \
        PageProgress(ENERGY_PAGE, done, 2)


def test_a_dimension_counts_its_own_inputs(framework) -> None:
    lean = page(framework, "lean")
    keys = [k for f in lean.indicators for k in f.own_inputs]
    assert page_progress(lean, {}, {}, True) == PageProgress("lean", 0, len(keys))
    answers = {keys[0]: _answer(keys[0], 0),  # zero is an answer
               keys[1]: _answer(keys[1], None, AnswerState.unknown),
               keys[2]: _answer(keys[2], None),  # blank
               keys[3]: _answer(keys[3], {})}
    assert page_progress(lean, answers, {}, True).done == 2


def test_not_applicable_indicators_count_as_done(framework) -> None:
    lean = page(framework, "lean")
    first = lean.indicators[0]
    states = {first.indicator.code: IndicatorState(code=first.indicator.code,
                                                   not_applicable=True)}
    assert page_progress(lean, {}, states, True).done == len(first.own_inputs)
    states[first.indicator.code].not_applicable = False
    assert page_progress(lean, {}, states, True).done == 0


def test_overall_is_the_sum_of_the_pages(framework) -> None:
    pages = pages_for(framework)
    answers = [_answer("units_sold", 5), _answer("energy_tce", 1), _answer("scm_staff", 3)]
    per_page, overall = progress(pages, answers, [], has_profile=True)
    assert [p.page for p in per_page] == [p.code for p in pages]
    assert overall.page == "overall"
    assert overall.done == sum(p.done for p in per_page) == 1 + 1 + 1 + 1  # + the profile
    assert overall.total == sum(p.total for p in per_page)
    assert not overall.complete
    _per_page, empty = progress(pages, [], [], has_profile=False)
    assert empty.done == 0 and empty.percent == 0
