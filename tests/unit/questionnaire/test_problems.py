"""Engine problems placed next to the right field, worded in the reader's language."""

from __future__ import annotations

import pytest

from assessment.questionnaire.problems import (
    ProblemTarget,
    energy_row,
    message,
    place,
    target_of,
)
from indicators import Problem
from indicators.framework.loader import shipped_framework


@pytest.fixture(scope="module")
def framework():
    return shipped_framework("scm-2024")


def _exceeds(sub: str, total: str) -> Problem:
    return Problem(f"inputs.{sub}", "exceeds_total", f"{sub}（2 > 1）", f"{sub} (2 > 1)",
                   {"total": total})


@pytest.mark.parametrize(("key", "target"), [
    ("inputs.deliveries_on_time", ProblemTarget("deliveries_on_time", "")),
    ("inputs.resource_sharing.testing", ProblemTarget("resource_sharing", ".testing")),
    ("inputs.online_business_areas[0]", ProblemTarget("online_business_areas", "[0]")),
    # the longest key wins: "digital.strategy" is an input, "digital" is not
    ("inputs.digital.strategy", ProblemTarget("digital.strategy", "")),
    ("energy[2].unit", ProblemTarget("energy", "[2].unit")),
    ("energy", ProblemTarget("energy", "")),
    ("process_emissions[0].gas", ProblemTarget("process_emissions", "[0].gas")),
    ("options.gwp_set", ProblemTarget("options", ".gwp_set")),
    ("inputs.no_such_input", None),
    ("inputs.deliveries_on_time_extra", None),  # a prefix is not a key
    ("energyx", None),
    ("year", None),
    ("", None),
])
def test_target_of(framework, key: str, target: ProblemTarget | None) -> None:
    assert target_of(framework, key) == target


@pytest.mark.parametrize(("rest", "row"), [("[2].unit", (2, "unit")), ("[0]", (0, "")),
                                           ("[10].quantity", (10, "quantity")),
                                           ("", None), (".unit", None), ("[x].unit", None)])
def test_energy_row(rest: str, row: tuple[int, str] | None) -> None:
    assert energy_row(rest) == row


def test_a_sub_count_above_its_total_names_both_inputs(framework) -> None:
    problem = _exceeds("deliveries_on_time", "deliveries_total")
    assert message(framework, problem, english=False) == "准时交货次数不能大于总交货次数"
    english = message(framework, problem, english=True)
    assert english.startswith("Deliveries on time may not exceed ")
    total = framework.inputs["deliveries_total"].name_en
    assert english.endswith(total[0].lower() + total[1:])


def test_other_problems_keep_the_engine_message(framework) -> None:
    problem = Problem("inputs.units_sold", "negative", "不能为负数", "may not be negative")
    assert message(framework, problem, english=False) == "不能为负数"
    assert message(framework, problem, english=True) == "may not be negative"
    unknown_total = _exceeds("deliveries_on_time", "nothing")
    assert message(framework, unknown_total, english=True) == "deliveries_on_time (2 > 1)"


def test_place_puts_problems_on_this_page_and_the_rest_on_top(framework) -> None:
    on_page = Problem("inputs.units_sold", "negative", "负", "negative")
    twice = Problem("inputs.units_sold", "negative", "负", "negative")
    other_page = Problem("inputs.scm_staff", "negative", "负2", "negative 2")
    nowhere = Problem("year", "missing", "缺年份", "no year")
    placed, elsewhere = place(framework, [on_page, twice, other_page, nowhere],
                              {"units_sold", "units_produced"}, english=False)
    assert placed == {ProblemTarget("units_sold", ""): ["负"]}  # said once
    assert elsewhere == ["负2", "缺年份"]


def test_a_sub_count_answered_elsewhere_is_shown_on_its_total(framework) -> None:
    problem = _exceeds("deliveries_on_time", "deliveries_total")
    placed, elsewhere = place(framework, [problem], {"deliveries_total"}, english=True)
    assert list(placed) == [ProblemTarget("deliveries_total", "")]
    assert elsewhere == []
    placed, elsewhere = place(framework, [problem], {"deliveries_on_time"}, english=True)
    assert list(placed) == [ProblemTarget("deliveries_on_time", "")]
    placed, elsewhere = place(framework, [problem], set(), english=True)
    assert placed == {} and len(elsewhere) == 1


def test_nothing_to_place(framework) -> None:
    assert place(framework, [], {"units_sold"}, english=False) == ({}, [])
