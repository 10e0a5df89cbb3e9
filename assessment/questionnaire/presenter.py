"""What a questionnaire page shows, assembled from the framework, the stored rows and a form.

Names, explanations, level descriptors and input names come from the framework data in the
user's language; the formula is the framework's own, with input codes replaced by names.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm

from assessment.assessments.models import Answer, AnswerChange, IndicatorState
from assessment.assessments.pages import ENERGY_SECTIONS, IndicatorFields, Page
from assessment.benchmarks.services import AnswerRange
from assessment.questionnaire import energy
from assessment.questionnaire.fields import InputField, display_value, input_field
from assessment.questionnaire.guide import Guide, guide_for
from assessment.units import unit_label
from assessment.wording import industry_name
from indicators import Framework, Indicator


@dataclass(frozen=True)
class HistoryEntry:
    who: str
    when: datetime
    old: str
    new: str


@dataclass
class FieldView:
    field: InputField
    answer: Answer | None
    history: list[HistoryEntry]
    errors: list[str] = dataclass_field(default_factory=list)
    stale: Any = None  # the current row when the submitted version was stale
    stale_is_mine: bool = False  # that row was saved by the reader (in another tab)
    guide: Guide | None = None  # example, typical range, help (set by ``add_guides``)
    warnings: list[str] = dataclass_field(default_factory=list)  # plausibility, not errors
    # the typical range of the industry's answers, in words (set by ``add_guides``)
    industry_range: str | None = None


@dataclass
class SharedView:
    field: InputField
    page: str
    answer: Answer | None


@dataclass
class IndicatorView:
    indicator: Indicator
    name: str
    explanation: str
    formula: str
    fields: list[FieldView]
    shared: list[SharedView]
    state: IndicatorState | None
    history: list[HistoryEntry]
    na_errors: list[str] = dataclass_field(default_factory=list)
    stale: bool = False

    @property
    def code(self) -> str:
        return self.indicator.code


def formula_in_words(framework: Framework, indicator: Indicator, english: bool) -> str:
    if indicator.qualitative:
        return _("The maturity level whose description fits best (1 to 5).")
    allowed = 0
    if indicator.formula.input and indicator.formula.input in framework.inputs:
        allowed = len(framework.inputs[indicator.formula.input].allowed)
    text = indicator.formula.describe(indicator.code, allowed)
    if indicator.formula.kind == "mean_owned":
        return _("Mean openness over the resource types you own (a type you do not own is "
                 "left out; one you own but do not open counts as 0).")
    if indicator.formula.kind == "mean_of_given":
        names = (", " if english else "、").join(
            _name(framework, n, english) for n in indicator.formula.inputs)
        return _("Mean of the shares given among: %(names)s", names=names)
    if indicator.formula.kind == "count_share":
        name = _name(framework, str(indicator.formula.input), english)
        return _("Number of %(name)s chosen ÷ %(count)d × 100",
                 name=_mid_sentence(name) if english else name, count=allowed)
    for name in sorted(framework.inputs, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b", _name(framework, name, english), text)
    return text.replace(" / ", " ÷ ")


def _mid_sentence(name: str) -> str:
    """An English name as it reads inside a sentence: "Business areas" becomes "business
    areas"; an acronym ("IT investment") stays as it is."""
    if len(name) > 1 and name[0].isupper() and not name[1].isupper():
        return name[0].lower() + name[1:]
    return name


def _name(framework: Framework, key: str, english: bool) -> str:
    if key not in framework.inputs:
        return key
    return input_field(framework, key).label(english)  # the guide's words where given


def history_by_key(changes: Sequence[AnswerChange], framework: Framework,
                   people: Mapping[uuid.UUID, str], english: bool
                   ) -> dict[str, list[HistoryEntry]]:
    """The history rows (newest first) of every key, in words."""
    grouped: dict[str, list[HistoryEntry]] = {}
    for change in changes:
        who = people.get(change.changed_by_id, "—") if change.changed_by_id else "—"
        if change.key.startswith("not_applicable:"):
            old, new = _na_text(change.old_value), _na_text(change.new_value)
        elif change.key in ENERGY_SECTIONS:
            old, new = energy.summary(change.key, change.old_value), \
                energy.summary(change.key, change.new_value)
        else:
            try:
                spec = input_field(framework, change.key)
            except KeyError:
                continue
            old = display_value(spec, change.old_value, change.old_state, english)
            new = display_value(spec, change.new_value, change.new_state, english)
        grouped.setdefault(change.key, []).append(
            HistoryEntry(who, change.changed_at, old, new))
    return grouped


def _na_text(value: Any) -> str:
    if isinstance(value, Mapping) and value.get("not_applicable"):
        return _("Not applicable: %(reason)s", reason=value.get("reason", ""))
    return _("Applicable")


def indicator_views(framework: Framework, page: Page, answers: Mapping[str, Answer],
                    states: Mapping[str, IndicatorState],
                    history: Mapping[str, list[HistoryEntry]], english: bool
                    ) -> list[IndicatorView]:
    views = []
    for fields in page.indicators:
        views.append(_indicator_view(framework, fields, answers, states, history, english))
    return views


def _indicator_view(framework: Framework, fields: IndicatorFields,
                    answers: Mapping[str, Answer], states: Mapping[str, IndicatorState],
                    history: Mapping[str, list[HistoryEntry]], english: bool) -> IndicatorView:
    indicator = fields.indicator
    return IndicatorView(
        indicator=indicator,
        name=indicator.name_en if english else indicator.name_zh,
        explanation=indicator.explanation_en if english else indicator.explanation_zh,
        formula=formula_in_words(framework, indicator, english),
        fields=[FieldView(input_field(framework, key), answers.get(key), history.get(key, []))
                for key in fields.own_inputs],
        shared=[SharedView(input_field(framework, key), page_code, answers.get(key))
                for key, page_code in fields.shared_inputs],
        state=states.get(indicator.code),
        history=history.get(f"not_applicable:{indicator.code}", []),
    )


def field_lookup(views: Sequence[IndicatorView], extra: Sequence[FieldView] = ()
                 ) -> dict[str, FieldView]:
    found = {f.field.key: f for v in views for f in v.fields}
    found.update({f.field.key: f for f in extra})
    return found


def bind_errors(form: FlaskForm, name: str, messages: Sequence[str]) -> None:
    target = form._fields.get(name)
    if target is not None:
        target.errors = [*list(target.errors), *messages]


NUMERIC_KINDS = frozenset({"int", "decimal", "percent"})


def numeric_keys(lookup: Mapping[str, FieldView]) -> list[str]:
    """The keys of the fields that take one number (those with an industry range)."""
    return sorted(key for key, view in lookup.items() if view.field.kind in NUMERIC_KINDS)


def _range_number(value: float) -> str:
    """A quartile as a reader wants it: whole from 1,000, else to one decimal (two below 1)."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 1 or value == 0:
        return f"{value:.1f}"
    return f"{value:.2f}"


def industry_range_words(found: AnswerRange, field: InputField, english: bool) -> str:
    """The range in words: "同行业（电气机械和器材制造业）企业的典型范围：12.5–18.0
    （2025 年，38 家企业的四分位区间）"."""
    unit = unit_label(field.unit)
    high = _range_number(found.q3) + (f" {unit}" if unit else "")
    return _("Typical in your industry (%(industry)s): %(low)s–%(high)s (%(year)s, "
             "interquartile range of %(count)s enterprises)",
             industry=industry_name(found.division, "en" if english else "zh"),
             low=_range_number(found.q1), high=high, year=found.year, count=found.enterprises)


def add_guides(lookup: Mapping[str, FieldView], warnings: Mapping[str, list[str]],
               english: bool, ranges: Mapping[str, AnswerRange] | None = None) -> None:
    """Each field's guide (example, typical range), the typical range of its industry where
    the benchmarks give one, and its plausibility warnings."""
    for key, view in lookup.items():
        view.guide = guide_for(key, english)
        view.warnings = list(warnings.get(key, []))
        found = (ranges or {}).get(key)
        view.industry_range = (industry_range_words(found, view.field, english)
                               if found is not None else None)
