"""How a report prints figures: a dash for no figure, fixed decimals, no negative zero."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.reports import formatting as fmt


@pytest.mark.parametrize("value", [None, True, False, "abc", float("nan"), float("inf"),
                                   -math.inf, object(), [1]])
def test_no_figure_prints_a_dash(value: object) -> None:
    assert fmt.number(value) == fmt.DASH
    assert fmt.percent(value) == fmt.DASH
    assert fmt.signed(value) == fmt.DASH
    assert fmt.score(value) == fmt.DASH


@pytest.mark.parametrize(("value", "decimals", "shown"), [
    (0, 1, "0.0"),
    (1234567.891, 2, "1,234,567.89"),
    ("12.25", 1, "12.2"),  # text that is a number is a number (banker's rounding of float)
    (2.5, 0, "2"),
    (-0.04, 1, "0.0"),  # never "-0.0"
    (-0.0, 0, "0"),
    (-1.25, 2, "-1.25"),
    (999.95, 1, "1,000.0"),
])
def test_number(value: object, decimals: int, shown: str) -> None:
    assert fmt.number(value, decimals) == shown


@pytest.mark.parametrize(("value", "shown"), [(3, "3"), (2.5, "2.5"), (2.50, "2.5"),
                                              (1000, "1,000"), (None, fmt.DASH), (0.04, "0")])
def test_short_number_drops_trailing_zeros(value: object, shown: str) -> None:
    assert fmt.short_number(value) == shown


def test_percent_and_signed() -> None:
    assert fmt.percent(12.345) == "12.3%"
    assert fmt.percent(5, 0) == "5%"
    assert fmt.signed(3.21) == "+3.2"
    assert fmt.signed(-3.21) == "-3.2"
    assert fmt.signed(0) == "+0.0"
    assert fmt.signed(-0.01) == "+0.0"  # rounds to zero: no "-0.0", no "+-"


def test_value_with_unit_in_both_languages(in_locale) -> None:
    assert fmt.value_with_unit(None, "times", 1) == fmt.DASH
    assert fmt.value_with_unit([1, 2], "%", 1) == fmt.DASH
    assert fmt.value_with_unit({"a": 1}, "%", 1) == fmt.DASH
    assert fmt.value_with_unit(3.6, "1-5", 2) == "4"  # a level is a whole number, no unit
    assert fmt.value_with_unit(12.345, "%", 1) == "12.3%"
    assert fmt.value_with_unit(7, "", 0) == "7"
    assert fmt.value_with_unit(7, "furlongs", 0) == "7 furlongs"  # an unknown unit as is
    with in_locale("en"):
        assert fmt.value_with_unit(12, "万元", 0) == "12 10k CNY"
        assert fmt.value_with_unit(3.5, "times", 1) == "3.5 times"
    with in_locale("zh_CN"):
        assert fmt.value_with_unit(12, "万元", 0) == "12 万元"
        assert fmt.value_with_unit(3, "人", 0) == "3 人"


def test_pick_chooses_english_only_for_en() -> None:
    assert fmt.pick("en", "中文", "English") == "English"
    assert fmt.pick("zh_CN", "中文", "English") == "中文"
    assert fmt.pick("", "中文", "English") == "中文"


@pytest.mark.parametrize(("value", "clamped"), [(None, None), (-5, 0.0), (0, 0.0),
                                                (55.5, 55.5), (100, 100.0), (140, 100.0)])
def test_clamp_percent(value: float | None, clamped: float | None) -> None:
    assert fmt.clamp_percent(value) == clamped


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
       st.integers(min_value=0, max_value=4))
def test_number_reads_back_as_the_rounded_value(value: float, decimals: int) -> None:
    text = fmt.number(value, decimals)
    assert not text.startswith("-0") or float(text.replace(",", "")) != 0
    assert float(text.replace(",", "")) == pytest.approx(value, abs=10 ** -decimals)
    assert text.count(".") == (1 if decimals else 0)
    assert fmt.signed(value, decimals)[0] in "+-"
