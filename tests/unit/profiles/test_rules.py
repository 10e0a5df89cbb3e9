"""Profile rules: the credit-code check character, size classes, provinces."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.profiles.rules import (
    USCC_ALPHABET,
    province,
    provinces,
    size_class,
    size_class_by_code,
    size_classes,
    uscc_check_character,
    uscc_problem,
)

SEVENTEEN = st.text(USCC_ALPHABET, min_size=17, max_size=17)


def test_a_hand_worked_check_character() -> None:
    # weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28 over "91350100M000100Y4":
    # 9 + 3 + 27 + 135 + 26 + 20*21 (M) + 8 + 30*30 (Y) + 28*4 = 1640; 1640 % 31 = 28;
    # 31 - 28 = 3 -> "3"
    assert uscc_check_character("91350100M000100Y4") == "3"
    assert uscc_problem("91350100M000100Y43") is None


@pytest.mark.parametrize(("code", "problem"), [
    ("", "length"),
    ("91350100M000100Y4", "length"),
    ("91350100M000100Y43X", "length"),
    ("91350100M000100Y4I", "characters"),  # I, O, Z, S, V are not in the alphabet
    ("9135010OM000100Y43", "characters"),
    ("91350100M000100Y4A", "check"),
    (" 91350100m000100y43 ", None),  # spaces and lower case are forgiven
])
def test_uscc_problem(code: str, problem: str | None) -> None:
    assert uscc_problem(code) == problem


@given(SEVENTEEN)
def test_a_completed_code_is_valid(first17: str) -> None:
    assert uscc_problem(first17 + uscc_check_character(first17)) is None


@given(SEVENTEEN, st.integers(min_value=0, max_value=16), st.sampled_from(USCC_ALPHABET))
def test_any_single_wrong_character_is_detected(first17: str, position: int,
                                                replacement: str) -> None:
    code = first17 + uscc_check_character(first17)
    changed = code[:position] + replacement + code[position + 1:]
    if changed != code:  # every weight is prime to 31: one substitution always shows
        assert uscc_problem(changed) == "check"


def test_size_classes_from_largest_down() -> None:
    codes = [c.code for c in size_classes()]
    assert codes == ["large", "medium", "small", "micro"]
    assert size_classes()[-1].min_employees == 0


@pytest.mark.parametrize(("employees", "revenue", "code"), [
    (1000, "40000", "large"),
    (999, "40000", "medium"),  # both thresholds must be met
    (1000, "39999.99", "medium"),
    (300, "2000", "medium"),
    (300, "1999", "small"),
    (20, "300", "small"),
    (19, "100000", "micro"),
    (0, "0", "micro"),
])
def test_size_class_boundaries(employees: int, revenue: str, code: str) -> None:
    assert size_class(employees, Decimal(revenue)).code == code


def test_size_class_names_in_both_languages() -> None:
    medium = size_class_by_code("medium")
    assert medium is not None and (medium.name_zh, medium.name_en) == ("中型", "Medium")
    assert size_class_by_code("huge") is None
    assert size_class_by_code("") is None


def test_provinces() -> None:
    fujian = province("35")
    assert fujian is not None
    assert fujian.name("zh_CN") == "福建省" and fujian.name("en") == "Fujian"
    assert fujian.name("en_GB") == "Fujian"
    assert province("99") is None
    codes = [p.code for p in provinces()]
    assert len(codes) == len(set(codes)) == 31  # mainland provincial-level divisions
    assert all(len(c) == 2 and c.isdigit() for c in codes)
