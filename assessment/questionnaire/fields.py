"""Questionnaire fields generated from the framework's input types (never written per indicator).

Every answer key of a page becomes a group of form fields named after it (dots become
``__`` so that the names are safe in HTML ids and CSS selectors):

- ``<name>``: the value (int, decimal, percent: text inputs parsed here; list: checkboxes;
  level: radio buttons of the framework's five level descriptors; map: one percent field
  ``<name>__<type>`` per type with a "not owned" box ``<name>__<type>__none``);
- ``<name>__unknown``: "we do not know" (stored as AnswerState.unknown, never as 0);
- ``<name>__version``: the answer version the editor saw (blank: no answer yet).

Raw values from the HTML form and from the autosave endpoint go through the same parser,
so both paths accept and refuse exactly the same input.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, HiddenField, RadioField, StringField, TextAreaField

from assessment.assessments.models import Answer, AnswerState, IndicatorState
from assessment.questionnaire.labels import choice_label
from indicators import Framework
from tenants.forms import MultiCheckboxField

SEP = "__"
NUMERIC_KINDS = ("int", "decimal", "percent")


def field_name(key: str) -> str:
    return key.replace(".", SEP)


def unknown_name(key: str) -> str:
    return f"{field_name(key)}{SEP}unknown"


def version_name(key: str) -> str:
    return f"{field_name(key)}{SEP}version"


def map_name(key: str, sub: str) -> str:
    return f"{field_name(key)}{SEP}{sub}"


def map_none_name(key: str, sub: str) -> str:
    return f"{map_name(key, sub)}{SEP}none"


def na_name(code: str) -> str:
    return f"na{SEP}{field_name(code)}"


def na_reason_name(code: str) -> str:
    return f"{na_name(code)}{SEP}reason"


def na_version_name(code: str) -> str:
    return f"{na_name(code)}{SEP}version"


class ParseError(ValueError):
    """A raw value that is not even of the field's type; ``message`` is for the user."""

    def __init__(self, message: Any):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class InputField:
    """One answer key as the questionnaire shows it."""

    key: str
    kind: str  # int / decimal / percent / list / map / level
    name_zh: str
    name_en: str
    unit: str
    allowed: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return field_name(self.key)

    def label(self, english: bool) -> str:
        return self.name_en if english else self.name_zh


def input_field(framework: Framework, key: str) -> InputField:
    spec = framework.inputs.get(key)
    if spec is not None:
        return InputField(key, spec.type, spec.name_zh, spec.name_en, spec.unit, spec.allowed)
    indicator = framework.indicator(key)  # a qualitative indicator is its own input
    return InputField(key, "level", indicator.name_zh, indicator.name_en, "1-5")


def answer_key_kind(framework: Framework, key: str) -> str | None:
    if key in framework.inputs:
        return framework.inputs[key].type
    indicator = framework.indicators.get(key)
    return "level" if indicator is not None and indicator.qualitative else None


# -- parsing -------------------------------------------------------------------------------
def parse_number(raw: Any, kind: str) -> int | float | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ParseError(_l("Enter a number."))
    if isinstance(raw, int | float):
        text = repr(raw)
    else:
        # Full-width digits and thousands separators are common in Chinese input methods.
        text = unicodedata.normalize("NFKC", str(raw)).strip().replace(",", "").replace(" ", "")
    if text == "":
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ParseError(_l("Enter a whole number, for example 120.") if kind == "int"
                         else _l("Enter a number, for example 12.5."))
    if kind == "int":
        if number != number.to_integral_value():
            raise ParseError(_l("Enter a whole number, for example 120."))
        return int(number)
    if number == number.to_integral_value() and abs(number) < 10**15:
        return int(number)
    return float(number)


def parse_value(field: InputField, raw: Any) -> Any:
    """The JSON value to store for ``raw`` (None: blank). Range rules are the engine's."""
    if field.kind in NUMERIC_KINDS:
        return parse_number(raw, field.kind)
    if field.kind == "level":
        level = parse_number(raw, "int")
        return level
    if field.kind == "list":
        if raw in (None, ""):
            return None
        items = raw if isinstance(raw, list) else [raw]
        return [str(item) for item in items]
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ParseError(_l("Enter a percent for each type you own."))
    shares: dict[str, Any] = {}
    for sub, share in raw.items():
        if share is None:
            shares[str(sub)] = None  # the type is not owned
            continue
        value = parse_number(share, "percent")
        if value is not None:
            shares[str(sub)] = value
    return shares or None


def read_form_value(field: InputField, formdata: Any) -> Any:
    """The raw value of ``field`` from a submitted HTML form (to pass to parse_value)."""
    if field.kind == "list":
        return formdata.getlist(field.name)
    if field.kind == "map":
        raw: dict[str, Any] = {}
        for sub in field.allowed:
            if formdata.get(map_none_name(field.key, sub)):
                raw[sub] = None
            else:
                text = formdata.get(map_name(field.key, sub), "")
                if str(text).strip():
                    raw[sub] = text
        return raw
    return formdata.get(field.name, "")


# -- the form class ------------------------------------------------------------------------
def level_choices(framework: Framework, code: str, english: bool) -> list[tuple[str, str]]:
    indicator = framework.indicator(code)
    choices = []
    for level in range(1, 6):
        descriptor = indicator.level_descriptors.get(level, {})
        text = descriptor.get("en" if english else "zh", "")
        name = framework.level_name(level, "en" if english else "zh")
        choices.append((str(level), f"{level} {name}: {text}" if text else f"{level} {name}"))
    return choices


def _value_fields(framework: Framework, field: InputField, english: bool) -> dict[str, Field]:
    label = field.label(english)
    if field.kind in NUMERIC_KINDS:
        mode = "numeric" if field.kind == "int" else "decimal"
        return {field.name: StringField(label, render_kw={"inputmode": mode})}
    if field.kind == "level":
        return {field.name: RadioField(label, choices=level_choices(framework, field.key,
                                                                    english),
                                       validate_choice=False)}
    if field.kind == "list":
        return {field.name: MultiCheckboxField(
            label, choices=[(a, choice_label(a)) for a in field.allowed], validate_choice=False)}
    fields: dict[str, Field] = {}
    for sub in field.allowed:
        fields[map_name(field.key, sub)] = StringField(choice_label(sub),
                                                       render_kw={"inputmode": "decimal"})
        fields[map_none_name(field.key, sub)] = BooleanField(_l("Not owned"))
    return fields


def build_form_class(framework: Framework, keys: tuple[str, ...], indicator_codes: tuple[str, ...],
                     english: bool) -> type[FlaskForm]:
    """A FlaskForm subclass for one page: value, unknown and version fields per key, and the
    not-applicable box, reason and version per indicator."""
    attributes: dict[str, Any] = {}
    for key in keys:
        field = input_field(framework, key)
        attributes.update(_value_fields(framework, field, english))
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
        field = input_field(framework, key)
        value = answer.value
        if value is None:
            continue
        if field.kind == "map" and isinstance(value, dict):
            for sub, share in value.items():
                if share is None:
                    data[map_none_name(key, sub)] = True
                else:
                    data[map_name(key, sub)] = _display_number(share)
        elif field.kind == "list":
            data[field.name] = list(value)
        else:
            data[field.name] = _display_number(value)
    for code in indicator_codes:
        state = states.get(code)
        data[na_version_name(code)] = str(state.version) if state else ""
        if state is not None:
            data[na_name(code)] = state.not_applicable
            data[na_reason_name(code)] = state.na_reason
    return data


def _display_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def display_value(field: InputField, value: Any, state: str | None, english: bool) -> str:
    """A stored value in words, for history, conflicts and read-only pages."""
    if state == AnswerState.unknown:
        return str(_l("Unknown"))
    if value is None:
        return "—"
    if field.kind == "list":
        return "、".join(choice_label(v) for v in value) if value else "—"
    if field.kind == "map" and isinstance(value, dict):
        parts = [f"{choice_label(k)}: {str(_l('not owned')) if v is None else _display_number(v)}"
                 for k, v in value.items()]
        return "; ".join(parts)
    text = _display_number(value)
    return f"{text} {field.unit}".strip() if field.kind != "level" else text


def parse_version(raw: Any) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() else None
