"""What a questionnaire page shows, from the framework and stored rows built in memory (no
database): formulas in words, history rows in words, the indicator views of a page, the
field lookup, guides and warnings, and errors bound to a form."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from flask_wtf import FlaskForm
from wtforms import StringField

from assessment.assessments.models import Answer, AnswerChange, IndicatorState
from assessment.assessments.pages import page
from assessment.questionnaire.presenter import (
    FieldView,
    HistoryEntry,
    add_guides,
    bind_errors,
    field_lookup,
    formula_in_words,
    history_by_key,
    indicator_views,
)
from indicators.framework.loader import shipped_framework

ASSESSMENT = uuid.uuid4()
WANG = uuid.uuid4()


@pytest.fixture(scope="module")
def framework():
    return shipped_framework("scm-2024")


@pytest.mark.parametrize(("code", "en", "zh"), [
    ("lean.on_time_delivery_rate", "Deliveries on time ÷ Deliveries in total × 100",
     "准时交货次数 ÷ 总交货次数 × 100"),
    ("collaboration.organization",
     "The maturity level whose description fits best (1 to 5).", "描述最贴合的成熟度等级（1–5）。"),
    ("collaboration.online_business_coverage",
     "Number of business areas collaborating online chosen ÷ 10 × 100",
     "所选在线协同的业务环节数量 ÷ 10 × 100"),
    ("global.footprint",
     "Mean of the shares given among: Overseas share of R&D spending, Overseas share of "
     "capacity, Overseas share of procurement, Overseas share of logistics cost",
     "以下各项已填比例的平均值：境外研发投入占比、境外产能占比、境外采购占比、境外物流费用占比"),
])
def test_formulas_name_the_inputs_in_the_readers_words(framework, speaking, code: str,
                                                        en: str, zh: str) -> None:
    indicator = framework.indicator(code)
    with speaking("en"):
        assert formula_in_words(framework, indicator, True) == en
    with speaking("zh_CN"):
        assert formula_in_words(framework, indicator, False) == zh


def test_no_input_code_is_left_in_any_formula(framework, speaking) -> None:
    with speaking("en"):
        texts = [formula_in_words(framework, i, True) for i in framework.indicators.values()]
    for text in texts:
        assert not any(name in text for name in framework.inputs if "_" in name), text
        assert " / " not in text


def _change(key: str, old, new, day: int, *, by: uuid.UUID | None = None,
            new_state: str | None = None) -> AnswerChange:
    return AnswerChange(assessment_id=ASSESSMENT, key=key, old_value=old, new_value=new,
                        new_state=new_state, changed_by_id=by,
                        changed_at=datetime(2026, 3, day, tzinfo=UTC))


CHANGES = [
    _change("deliveries_on_time", 900, 965, 1, by=WANG),
    _change("not_applicable:global.footprint", None,
            {"not_applicable": True, "reason": "无海外业务"}, 2),
    _change("an_input_that_left_the_framework", 1, 2, 2),
    _change("deliveries_on_time", None, None, 3, new_state="unknown"),
    _change("online_business_areas", None, ["procurement", "sales"], 3),
]


def test_history_rows_in_words(framework, speaking) -> None:
    with speaking("en"):
        english = history_by_key(CHANGES, framework, {WANG: "王工"}, True)
    assert set(english) == {"deliveries_on_time", "not_applicable:global.footprint",
                            "online_business_areas"}  # an unknown key is left out
    first, second = english["deliveries_on_time"]
    assert (first.who, first.when.day) == ("王工", 1)
    assert first.old.startswith("900") and first.new.startswith("965")
    assert (second.who, second.old, second.new) == ("—", "—", "Unknown")
    [declared] = english["not_applicable:global.footprint"]
    assert (declared.old, declared.new) == ("Applicable", "Not applicable: 无海外业务")
    assert english["online_business_areas"][0].new == "Procurement, Sales"
    with speaking("zh_CN"):
        chinese = history_by_key(CHANGES, framework, {WANG: "王工"}, False)
    assert chinese["deliveries_on_time"][1].new == "未知"
    assert (chinese["not_applicable:global.footprint"][0].old,
            chinese["not_applicable:global.footprint"][0].new) == ("适用", "不适用：无海外业务")
    assert chinese["online_business_areas"][0].new == "采购、销售"


def test_indicator_views_of_a_page(framework, speaking) -> None:
    lean = page(framework, "lean")
    assert lean is not None
    answers = {"deliveries_on_time": Answer(assessment_id=ASSESSMENT, key="deliveries_on_time",
                                            value=965)}
    state = IndicatorState(assessment_id=ASSESSMENT, code="lean.on_time_delivery_rate")
    declared = HistoryEntry("王工", datetime(2026, 3, 1, tzinfo=UTC), "Applicable",
                            "Not applicable: 外包")
    history = {"not_applicable:lean.on_time_delivery_rate": [declared]}
    with speaking("en"):
        views = indicator_views(framework, lean, answers,
                                {"lean.on_time_delivery_rate": state}, history, True)
    assert [v.code for v in views] == list(lean.indicator_codes)
    delivery = next(v for v in views if v.code == "lean.on_time_delivery_rate")
    assert delivery.name == framework.indicator(delivery.code).name_en
    assert delivery.formula == "Deliveries on time ÷ Deliveries in total × 100"
    assert [f.field.key for f in delivery.fields] == ["deliveries_on_time", "deliveries_total"]
    assert delivery.fields[0].answer is answers["deliveries_on_time"]
    assert delivery.fields[1].answer is None and delivery.fields[1].history == []
    assert delivery.state is state and delivery.history == [declared]
    others = [v for v in views if v.code != "lean.on_time_delivery_rate"]
    assert all(v.state is None and v.history == [] for v in others)
    with speaking("zh_CN"):
        chinese = indicator_views(framework, lean, {}, {}, {}, False)
    assert chinese[0].name == framework.indicator(chinese[0].code).name_zh
    assert chinese[0].explanation == framework.indicator(chinese[0].code).explanation_zh

    lookup = field_lookup(views)
    assert set(lookup) == {k for v in views for k in (f.field.key for f in v.fields)}
    extra = FieldView(lookup["deliveries_total"].field, None, [])
    assert field_lookup(views, [extra])["deliveries_total"] is extra

    with speaking("en"):
        add_guides(lookup, {"deliveries_on_time": ["Higher than the deliveries in total."]},
                   True)
    assert lookup["deliveries_on_time"].warnings == ["Higher than the deliveries in total."]
    assert lookup["deliveries_total"].warnings == []
    assert all(view.guide is not None for view in lookup.values())


class _Form(FlaskForm):
    deliveries_on_time = StringField()


def test_bind_errors_adds_to_the_named_field_only(babel_app) -> None:
    babel_app.config["WTF_CSRF_ENABLED"] = False
    babel_app.config["TEST_LOCALE"] = "en"
    with babel_app.test_request_context():
        form = _Form()
        form.deliveries_on_time.errors = ["first"]
        bind_errors(form, "deliveries_on_time", ["second", "third"])
        bind_errors(form, "no_such_field", ["lost"])
        assert list(form.deliveries_on_time.errors) == ["first", "second", "third"]
        assert "no_such_field" not in form._fields
