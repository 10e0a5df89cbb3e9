"""UI labels for codes the framework does not name (assessment/labels.py)."""

from __future__ import annotations

import pytest

from assessment.labels import (
    CHOICE_LABELS,
    ELECTRICITY_BASIS_LABELS,
    ELECTRICITY_SOURCE_LABELS,
    STATE_LABELS,
    choice_label,
    state_label,
)
from indicators.energy import ELECTRICITY_SOURCES
from indicators.framework.loader import shipped_framework


@pytest.mark.parametrize(("state", "en", "zh"), [("draft", "Draft", "草稿"),
                                                 ("finalised", "Finalised", None)])
def test_state_labels_in_both_languages(in_locale, state: str, en: str, zh: str | None) -> None:
    with in_locale("en"):
        assert state_label(state) == en
    with in_locale("zh_CN"):
        chinese = state_label(state)
    assert chinese != en
    if zh is not None:
        assert chinese == zh


def test_unknown_codes_show_as_they_are() -> None:
    assert state_label("archived") == "archived"
    assert choice_label("teleportation") == "teleportation"
    assert choice_label("") == ""


def test_every_state_and_choice_has_a_chinese_label(in_locale) -> None:
    with in_locale("zh_CN"):
        for code in [*STATE_LABELS, *CHOICE_LABELS, *ELECTRICITY_SOURCE_LABELS]:
            label = STATE_LABELS.get(code) or CHOICE_LABELS.get(code) or \
                ELECTRICITY_SOURCE_LABELS[code]
            assert any("\u4e00" <= c <= "\u9fff" for c in str(label)), code


def test_every_list_and_map_choice_of_the_framework_has_a_label() -> None:
    framework = shipped_framework("scm-2024")
    allowed = {value for spec in framework.inputs.values() for value in spec.allowed}
    assert allowed, "scm-2024 has list and map inputs"
    assert allowed <= set(CHOICE_LABELS), allowed - set(CHOICE_LABELS)
    assert set(ELECTRICITY_SOURCES) == set(ELECTRICITY_SOURCE_LABELS)


@pytest.mark.parametrize(("state", "en"), [("submitted", "Submitted for review"),
                                           ("returned", "Returned for changes")])
def test_the_review_states_in_both_languages(in_locale, state: str, en: str) -> None:
    with in_locale("en"):
        assert state_label(state) == en
    with in_locale("zh_CN"):
        chinese = state_label(state)
    assert chinese != en and any("\u4e00" <= c <= "\u9fff" for c in chinese)
    assert set(STATE_LABELS) == {"draft", "submitted", "returned", "finalised"}


def test_the_electricity_bases_name_the_chinese_term(in_locale) -> None:
    assert set(ELECTRICITY_BASIS_LABELS) == {"calorific", "equivalent"}
    with in_locale("en"):
        english = {code: str(label) for code, label in ELECTRICITY_BASIS_LABELS.items()}
    assert english["calorific"].startswith("Calorific value (当量值)")
    assert english["equivalent"] == "Equivalent value (等价值)"
    with in_locale("zh_CN"):
        chinese = {code: str(label) for code, label in ELECTRICITY_BASIS_LABELS.items()}
    assert chinese["calorific"] != english["calorific"]
    assert "当量值" in chinese["calorific"] and "等价值" in chinese["equivalent"]
