"""The questionnaire's pages derived from the shipped framework: every input has one owner."""

from __future__ import annotations

from collections import Counter

import pytest

from assessment.assessments.pages import (
    ENERGY_PAGE,
    ENERGY_PAGE_INPUTS,
    ENERGY_SECTIONS,
    PROFILE_PAGE,
    indicator_inputs,
    page,
    page_of_indicator,
    page_of_key,
    pages_for,
)
from indicators.framework.loader import shipped_framework


@pytest.fixture(scope="module")
def framework():
    return shipped_framework("scm-2024")


def test_profile_first_then_one_page_per_dimension_then_energy(framework) -> None:
    codes = [p.code for p in pages_for(framework)]
    assert codes == [PROFILE_PAGE, *(d.code for d in framework.dimensions), ENERGY_PAGE]
    assert pages_for(framework)[0].keys == ()
    assert pages_for(framework)[0].dimension is None
    assert pages_for(framework)[1].dimension == framework.dimensions[0].code


def test_every_input_is_owned_by_exactly_one_page(framework) -> None:
    owned = Counter(key for p in pages_for(framework) for key in p.keys)
    assert [key for key, n in owned.items() if n > 1] == []
    assert set(framework.inputs) <= set(owned)
    energy = page(framework, ENERGY_PAGE)
    assert energy is not None
    assert energy.keys == ENERGY_PAGE_INPUTS + ENERGY_SECTIONS


def test_an_input_used_again_later_is_shared_not_owned_twice(framework) -> None:
    pages = {p.code: p for p in pages_for(framework)}
    shared = {(name, owner) for p in pages.values() for f in p.indicators
              for name, owner in f.shared_inputs}
    assert shared, "scm-2024 reuses inputs across dimensions"
    for name, owner in shared:
        assert name in pages[owner].keys
        assert page_of_key(framework, name) == owner
    # The energy totals belong to the energy page even though the green page reads them.
    assert ("energy_tce", ENERGY_PAGE) in shared


def test_indicator_inputs_are_unique_and_in_order(framework) -> None:
    for indicator in framework.indicators.values():
        names = indicator_inputs(indicator)
        assert len(names) == len(set(names)), indicator.code
        if indicator.penalty is not None:
            assert indicator.penalty.input in names


def test_lookups(framework) -> None:
    first = framework.dimensions[0]
    assert page(framework, "no-such-page") is None
    assert page_of_key(framework, "no_such_input") is None
    assert page_of_key(framework, "energy") == ENERGY_PAGE
    assert page_of_key(framework, "options") == ENERGY_PAGE
    assert page_of_indicator(framework, first.indicators[0].code) == first.code
    assert page_of_indicator(framework, "nothing.here") is None
    found = page(framework, first.code)
    assert found is not None
    assert found.indicator_codes == tuple(i.code for i in first.indicators)


def test_pages_are_computed_once_per_framework(framework) -> None:
    assert pages_for(framework) is pages_for(framework)
