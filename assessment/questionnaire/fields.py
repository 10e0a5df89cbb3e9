"""Questionnaire fields generated from the framework's input types (never written per indicator).

Every answer key of a page becomes a group of form fields named after it (dots become
``__`` so that the names are safe in HTML ids and CSS selectors):

- ``<name>``: the value (int, decimal, percent: text inputs parsed here; list: checkboxes;
  level: radio buttons of the framework's five level descriptors; map: one percent field
  ``<name>__<type>`` per type with a "not owned" box ``<name>__<type>__none``);
- ``<name>__unknown``: "we do not know" (stored as AnswerState.unknown, never as 0);
- ``<name>__version``: the answer version the editor saw (blank: no answer yet).

Raw values from the HTML form, the autosave endpoint and the workbook import go through the
same field kind (``kinds.py``: one class per input type, found in ``KINDS``), so every path
accepts and refuses exactly the same input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, TextAreaField

from assessment.assessments.models import Answer, AnswerState, IndicatorState
from assessment.questionnaire.guide import guide_for
from assessment.questionnaire.kinds import (
    KINDS,
    SEP,
    FieldKind,
    kind_of,
    level_choices,
    none_name,
    part_name,
)
from assessment.questionnaire.numbers import ParseError, parse_number
from indicators import Framework

__all__ = ["KINDS", "SEP", "InputField", "ParseError", "build_form_class", "display_value",
           "field_name", "form_data", "input_field", "level_choices", "map_name",
           "map_none_name", "na_name", "na_reason_name", "na_version_name", "parse_number",
           "parse_value", "parse_version", "read_form_value", "unknown_name", "version_name"]


def field_name(key: str) -> str:
    return key.replace(".", SEP)


def unknown_name(key: str) -> str:
    return f"{field_name(key)}{SEP}unknown"


def version_name(key: str) -> str:
    return f"{field_name(key)}{SEP}version"


map_name = part_name
map_none_name = none_name


def na_name(code: str) -> str:
    return f"na{SEP}{field_name(code)}"


def na_reason_name(code: str) -> str:
    return f"{na_name(code)}{SEP}reason"


def na_version_name(code: str) -> str:
    return f"{na_name(code)}{SEP}version"


@dataclass(frozen=True)
class InputField:
    """One answer key as the questionnaire shows it."""

    key: str
    kind: str  # int / decimal / percent / list / map / level: a key of kinds.KINDS
    name_zh: str
    name_en: str
    unit: str
    allowed: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return field_name(self.key)

    @property
    def kind_class(self) -> FieldKind:
        return kind_of(self.kind)

    def label(self, english: bool) -> str:
        return self.name_en if english else self.name_zh

    def data_attributes(self) -> dict[str, str]:
        return self.kind_class.data_attributes(self)


def input_field(framework: Framework, key: str) -> InputField:
    """The field of answer ``key``, named in people's words where the framework's name speaks
    to programmers (the guide's ``label``)."""
    spec = framework.inputs.get(key)
    if spec is not None:
        zh, en = guide_for(key, False).label, guide_for(key, True).label
        return InputField(key, spec.type, zh or spec.name_zh, en or spec.name_en, spec.unit,
                          spec.allowed)
    indicator = framework.indicator(key)  # a qualitative indicator is its own input
    return InputField(key, "level", indicator.name_zh, indicator.name_en, "1-5")


def answer_key_kind(framework: Framework, key: str) -> str | None:
    if key in framework.inputs:
        return framework.inputs[key].type
    indicator = framework.indicators.get(key)
    return "level" if indicator is not None and indicator.qualitative else None


def parse_value(field: InputField, raw: Any) -> Any:
    """The JSON value to store for ``raw`` (None: blank), checked by the field's kind."""
    return field.kind_class.parse(field, raw)


def read_form_value(field: InputField, formdata: Any) -> Any:
    """The raw value of ``field`` from a submitted HTML form (to pass to parse_value)."""
    return field.kind_class.read_form(field, formdata)


# -- the form class ------------------------------------------------------------------------
def build_form_class(framework: Framework, keys: tuple[str, ...], indicator_codes: tuple[str, ...],
                     english: bool) -> type[FlaskForm]:
    """A FlaskForm subclass for one page: value, unknown and version fields per key, and the
    not-applicable box, reason and version per indicator."""
    attributes: dict[str, Any] = {}
    for key in keys:
        field = input_field(framework, key)
        attributes.update(field.kind_class.form_fields(framework, field, english))
        attributes[unknown_name(key)] = BooleanField(_l("We do not know"))
        attributes[version_name(key)] = HiddenField()
    for code in indicator_codes:
        attributes[na_name(code)] = BooleanField(_l("Not applicable to our enterprise"))
        attributes[na_reason_name(code)] = TextAreaField(_l("Why it does not apply"))
        attributes[na_version_name(code)] = HiddenField()
    return type("PageForm", (FlaskForm,), attributes)


def form_data(framework: Framework, keys: tuple[str, ...], answers: dict[str, Answer],
              states: dict[str, IndicatorState], indicator_codes: tuple[str, ...]
              ) -> dict[str, Any]:
    """The stored answers as the form's initial data."""
    data: dict[str, Any] = {}
    for key in keys:
        answer = answers.get(key)
        data[version_name(key)] = str(answer.version) if answer else ""
        if answer is None:
            continue
        data[unknown_name(key)] = answer.state == AnswerState.unknown
        if answer.value is None:
            continue
        field = input_field(framework, key)
        data.update(field.kind_class.initial(field, answer.value))
    for code in indicator_codes:
        state = states.get(code)
        data[na_version_name(code)] = str(state.version) if state else ""
        if state is not None:
            data[na_name(code)] = state.not_applicable
            data[na_reason_name(code)] = state.na_reason
    return data


def display_value(field: InputField, value: Any, state: str | None, english: bool) -> str:
    """A stored value in words, for history, conflicts and read-only pages."""
    if state == AnswerState.unknown:
        return str(_l("Unknown"))
    if value is None:
        return "—"
    return field.kind_class.display(field, value)


def parse_version(raw: Any) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() else None
