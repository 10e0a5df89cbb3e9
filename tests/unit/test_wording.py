"""The wording helpers: names in the reader's language for every code a person would read.

A small Flask app with the product's catalogues (no database): the helpers translate through
Flask-Babel like the pages do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel, force_locale

from assessment import wording
from indicators.framework.loader import load_framework

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z]+\.[a-z_]+\b")


@pytest.fixture(scope="module")
def babel_app() -> Flask:
    babel_app = Flask(__name__)
    babel_app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "translations")
    babel_app.config["BABEL_DEFAULT_LOCALE"] = "zh_CN"
    Babel(babel_app)
    return babel_app


@pytest.fixture(params=["zh_CN", "en"])
def locale(babel_app: Flask, request: pytest.FixtureRequest) -> Iterator[str]:
    with babel_app.test_request_context(), force_locale(request.param):
        yield "en" if request.param == "en" else "zh"


@pytest.fixture(scope="module")
def framework():
    return load_framework()


def test_industries_by_their_gb_t_4754_names(locale):
    expected = {"zh": "电气机械和器材制造业",
                "en": "Manufacture of electrical machinery and equipment"}
    assert wording.industry_name("C38") == expected[locale]
    assert wording.industry_name("38") == wording.industry_name("C38")
    assert "C38" not in wording.industry_name("C38")
    assert wording.industry_name(None) == wording.MISSING
    assert wording.industry_name("Z99") == "Z99"  # unknown: shown, not hidden


def test_provinces_and_sizes(locale):
    assert wording.province_name("32") == {"zh": "江苏省", "en": "Jiangsu"}[locale]
    assert wording.size_name("medium") == {"zh": "中型", "en": "Medium"}[locale]
    assert wording.size_name("") == wording.MISSING
    assert wording.province_name("99") == "99"


def test_the_language_can_be_forced(babel_app):
    with babel_app.test_request_context(), force_locale("zh_CN"):
        assert wording.province_name("32", "en") == "Jiangsu"
        assert wording.industry_name("C38", "zh") == "电气机械和器材制造业"


def test_roles_states_and_audit_events(locale):
    assert wording.role_name("owner") == {"zh": "所有者", "en": "Owner"}[locale]
    assert wording.audit_event("assessment.created") != "assessment.created"
    assert wording.state_name("finalised") != "finalised"
    assert wording.role_name("nonsense") == "nonsense"


def test_audit_details_in_words(locale):
    text = wording.audit_details({"overall": "53.9", "role": "assessor",
                                  "acting_tenant": "0b0e-uuid", "link": "x"})
    assert "overall=" not in text and "53.9" in text
    assert "assessor" not in text  # the role is named
    assert "0b0e" not in text  # an internal id without a name is left out
    assert {"zh": "综合指数", "en": "Overall index"}[locale] in text
    named = wording.audit_details({"acting_tenant": "t1"}, names={"t1": "华策咨询"})
    assert "华策咨询" in named
    grants = wording.audit_details({"grants": "['scores', 'answers']"})
    assert "[" not in grants and "'scores'" not in grants


def test_gases_in_the_readers_language(locale):
    name = wording.gas_name("CH4", "甲烷")
    assert name == {"zh": "CH4 甲烷", "en": "CH4 methane"}[locale]
    assert not re.search(r"[\u4e00-\u9fff]", wording.gas_name("HFC-134a", "四氟乙烷", "en"))


def test_every_gas_of_the_factor_tables_has_an_english_name():
    from indicators.energy import load_factor_tables

    assert set(load_factor_tables().gases) <= set(wording.GAS_NAMES_EN)


def test_count_share_trace_reads_as_words_and_figures(locale, framework):
    values = {"online_business_areas": ["procurement", "sales", "production", "quality"]}
    text = wording.formula_in_words(framework, "collaboration.online_business_coverage",
                                    values)
    assert text.endswith("÷ 10 × 100")
    assert "online_business_areas" not in text and "procurement" not in text
    if locale == "zh":
        assert text.startswith("在线协同的业务环节：采购、销售")
        assert "（4 " in text
    else:
        assert text.startswith("Business areas collaborating online: Procurement, Sales")


def test_level_trace_names_no_code(locale, framework):
    text = wording.formula_in_words(framework, "collaboration.organization",
                                    {"collaboration.organization": 3})
    assert "collaboration.organization" not in text and "level(" not in text
    assert "3" in text


def test_every_formula_is_free_of_codes(locale, framework):
    for code in framework.indicators:
        for values in (None, {}):
            text = wording.formula_in_words(framework, code, values)
            assert not CODE.search(text), (code, text)


def test_ratio_trace_shows_units(locale, framework):
    text = wording.formula_in_words(
        framework, "lean.cost_expense_ratio",
        {"operating_cost": 120.5, "period_expenses": 30, "operating_revenue": 200})
    assert "operating_cost" not in text
    assert " ÷ " in text and text.endswith("× 100")
    assert {"zh": "万元", "en": "10k CNY"}[locale] in text


def test_map_inputs_drop_the_data_entry_note(locale, framework):
    name = wording.input_name(framework, "resource_sharing")
    assert "null" not in name
    text = wording.formula_in_words(framework, "collaboration.resource_sharing_index",
                                    {"resource_sharing": {"testing": 20, "chain_data": None}})
    assert "null" not in text and "testing" not in text and "20" in text


def test_engine_reasons_name_inputs_not_codes(locale, framework):
    text = wording.codes_in_words(framework, "缺少输入：period_expenses")
    assert "period_expenses" not in text
    assert wording.codes_in_words(framework, "see www.example.com") == "see www.example.com"


def test_named_keeps_the_code_in_a_tooltip_only(babel_app):
    with babel_app.test_request_context():
        html = str(wording.named("供应链协作组织", "collaboration.organization"))
    assert html == ('<span class="has-code" title="collaboration.organization">'
                    "供应链协作组织</span>")
    assert str(wording.named("<b>", None)) == "&lt;b&gt;"
