"""assessment/wording.py beyond test_wording.py: the language outside a request, benchmark
groups, missing values, codes of indicators in engine texts, the template globals."""

from __future__ import annotations

import pytest
from flask import Flask

from assessment import wording
from indicators.framework.loader import shipped_framework


@pytest.fixture(scope="module")
def framework():
    return shipped_framework("scm-2024")


def test_reader_lang_outside_a_request_is_chinese(in_locale) -> None:
    assert wording.reader_lang() == "zh"
    assert wording.reader_lang("en_GB") == "en" and wording.reader_lang("zh_CN") == "zh"
    with in_locale("en"):
        assert wording.reader_lang() == "en"
        assert wording.reader_lang("zh") == "zh"  # given wins over the request
    with in_locale("zh_CN"):
        assert wording.reader_lang() == "zh"


def test_a_benchmark_group_is_named_like_a_division() -> None:
    assert wording.industry_name("equipment", "en") == "Equipment"
    assert wording.industry_name("equipment", "zh") == "装备制造"
    assert wording.industry_name("", "en") == wording.MISSING


def test_missing_roles_and_states_are_a_dash(in_locale) -> None:
    assert wording.role_name(None) == wording.MISSING
    assert wording.state_name(None) == wording.MISSING
    assert wording.state_name("") == wording.MISSING
    with in_locale("en"):
        assert wording.state_name("returned") == "Returned for changes"
        assert wording.state_name("archived") == "archived"  # unknown: shown as it is
    with in_locale("zh_CN"):
        assert wording.state_name("returned") not in ("returned", "Returned for changes")


def test_indicator_and_input_names(framework) -> None:
    indicator = framework.indicator("lean.on_time_delivery_rate")
    assert wording.indicator_name(framework, indicator.code, "en") == indicator.name_en
    assert wording.indicator_name(framework, indicator.code, "zh") == indicator.name_zh
    assert wording.indicator_name(framework, "lean.no_such_thing", "en") == "lean.no_such_thing"
    assert wording.input_name(framework, "no_such_input", "en") == "no_such_input"
    spec = framework.inputs["deliveries_total"]
    assert wording.input_name(framework, "deliveries_total", "zh") == spec.name_zh


def test_codes_in_words_names_indicators_too(framework) -> None:
    indicator = framework.indicator("green.energy_intensity")
    text = wording.codes_in_words(framework, "see green.energy_intensity and energy_tce", "en")
    assert indicator.name_en in text and "green.energy_intensity" not in text
    assert "energy_tce" not in text
    assert wording.codes_in_words(framework, "", "en") == ""


def test_named_without_a_different_code_is_the_escaped_name() -> None:
    assert str(wording.named("C38", "C38")) == "C38"
    assert str(wording.named("甲 & 乙", "")) == "甲 &amp; 乙"


def test_register_makes_every_helper_a_template_global(in_locale) -> None:
    app = Flask("wording_globals")
    wording.register(app)
    for name in ("industry_name", "province_name", "size_name", "role_name", "state_name",
                 "audit_event", "audit_details", "gas_name", "input_name", "indicator_name",
                 "formula_in_words", "codes_in_words", "named"):
        assert app.jinja_env.globals[name] is getattr(wording, name)
    with in_locale("en"):
        rendered = app.jinja_env.from_string("{{ province_name('32') }}").render()
    assert rendered == "Jiangsu"
