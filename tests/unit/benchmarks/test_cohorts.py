"""The cohort fallback chain, the anonymity threshold and cohort labels in both languages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.benchmarks.anonymity import ANONYMITY_RULE, NOTHING_TO_SHOW, SUPPRESSED
from assessment.benchmarks.cohorts import (
    ANONYMITY_MIN_COHORT,
    Cohort,
    CohortFilter,
    Scope,
    choose_cohort,
)


def test_the_threshold_is_the_published_five() -> None:
    assert ANONYMITY_MIN_COHORT == 5


def test_the_rule_names_the_minimum_in_both_languages(in_locale) -> None:
    with in_locale("en"):
        assert "at least 5 enterprises" in str(ANONYMITY_RULE)
        assert str(SUPPRESSED) == "Not shown: fewer than 5 enterprises"
        assert "fewer than 5 enterprises" in str(NOTHING_TO_SHOW)
    with in_locale("zh_CN"):
        for text in (ANONYMITY_RULE, SUPPRESSED, NOTHING_TO_SHOW):
            rendered = str(text)
            assert "5" in rendered and "%(minimum)" not in rendered
            assert any("\u4e00" <= c <= "\u9fff" for c in rendered), rendered


def test_scopes_narrowest_first() -> None:
    assert CohortFilter(2025, "C36").scopes() == [Scope.division, Scope.group,
                                                  Scope.manufacturing]
    assert CohortFilter(2025).scopes() == [Scope.manufacturing]
    assert CohortFilter(2025).group is None
    assert CohortFilter(2025, "C36").group is not None
    assert CohortFilter(2025, "X99").group is None  # no such division


@pytest.mark.parametrize(("counts", "scope"), [
    ({Scope.division: 5, Scope.group: 9, Scope.manufacturing: 50}, Scope.division),
    ({Scope.division: 4, Scope.group: 5, Scope.manufacturing: 50}, Scope.group),
    ({Scope.division: 4, Scope.group: 4, Scope.manufacturing: 5}, Scope.manufacturing),
    ({Scope.division: 4, Scope.group: 4, Scope.manufacturing: 4}, None),
    ({}, None),
])
def test_the_narrowest_scope_with_enough_enterprises(counts, scope) -> None:
    chosen = choose_cohort(CohortFilter(2025, "C36"), counts)
    assert (chosen.scope if chosen else None) == scope
    if chosen is not None:
        assert chosen.fell_back is (scope != Scope.division)


def test_keys_name_the_scope() -> None:
    wanted = CohortFilter(2025, "C36")
    assert Cohort(wanted, Scope.division).key == "division:C36"
    assert Cohort(wanted, Scope.group).key == f"group:{wanted.group}"
    assert Cohort(wanted, Scope.manufacturing).key == "all"
    assert Cohort(wanted, Scope.division).industry_division == "C36"
    assert Cohort(wanted, Scope.group).industry_division is None
    assert Cohort(wanted, Scope.group).industry_group == wanted.group
    assert Cohort(wanted, Scope.manufacturing).industry_group is None
    assert Cohort(CohortFilter(2025), Scope.manufacturing).fell_back is False


def test_labels_in_both_languages(in_locale) -> None:
    wanted = CohortFilter(2025, "C36", size_class="medium", province="35")
    with in_locale("en"):
        label = Cohort(wanted, Scope.division).label("en")
        assert label.startswith("Industry: Manufacture of motor vehicles")
        assert "C36" not in label  # words, not codes
        assert "2025" in label and "Medium" in label and "Fujian" in label
        assert "broader" not in label
        broader = Cohort(wanted, Scope.manufacturing).label("en")
        assert broader.startswith("All manufacturing, 2025")
        assert "broader cohort" in broader
    with in_locale("zh_CN"):
        label = Cohort(wanted, Scope.division).label("zh_CN")
        assert "汽车制造业" in label and "中型" in label and "福建省" in label
        assert "C36" not in label
        assert Cohort(wanted, Scope.division).label() == label  # the request's locale
        group = Cohort(wanted, Scope.group).label("zh_CN")
        assert "汽车制造业" not in group and group != label


def test_unknown_size_class_and_province_are_left_out(in_locale) -> None:
    with in_locale("en"):
        label = Cohort(CohortFilter(2025, None, "huge", "99"), Scope.manufacturing).label("en")
    assert label == "All manufacturing, 2025"


@given(st.dictionaries(st.sampled_from(list(Scope)), st.integers(min_value=0, max_value=20)))
def test_a_chosen_cohort_always_has_enough_enterprises(counts: dict[Scope, int]) -> None:
    chosen = choose_cohort(CohortFilter(2024, "C36"), counts)
    if chosen is None:
        assert all(n < ANONYMITY_MIN_COHORT for n in counts.values())
    else:
        assert counts[chosen.scope] >= ANONYMITY_MIN_COHORT
        narrower = CohortFilter(2024, "C36").scopes()
        for scope in narrower[:narrower.index(chosen.scope)]:
            assert counts.get(scope, 0) < ANONYMITY_MIN_COHORT
