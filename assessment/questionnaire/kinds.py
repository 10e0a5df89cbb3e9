"""One class per questionnaire field kind (after indico's survey fields), and their registry.

A kind knows everything the product does with an answer of its type:

- ``form_fields``: the WTForms fields of the page form (named as ``fields`` documents);
- ``template``: the template that renders them (``templates/assessment/fields/``);
- ``read_form``: the raw value from a posted HTML form; ``parse``: raw value (from the form,
  the autosave JSON or a spreadsheet cell) to the JSON value stored, refusing what is not of
  the kind with a message that names the field, in the reader's language;
- ``read_cell`` / ``read_part`` + ``from_parts``: the value of an imported workbook, given in
  one cell, or (``in_parts``) one row per allowed value;
- ``initial`` and ``display``: the stored value as form data and in words;
- ``data_attributes``: what the page script needs to collect, restore and pre-check a value
  without knowing the kind (``data-q-collect``, ``data-q-min`` …; see static/js).

:data:`KINDS` maps the framework's input type to its kind; ``fields.input_field`` attaches it.
The server is the authority on every rule here; the script only mirrors the number rules so
that a wrong entry is named before it is sent.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, RadioField, StringField

from assessment.labels import choice_label
from assessment.questionnaire.numbers import (
    ParseError,
    as_json_number,
    display_number,
    parse_decimal,
)
from assessment.units import unit_label
from tenants.forms import MultiCheckboxField
from tenants.language import reader_language

if TYPE_CHECKING:
    from assessment.questionnaire.fields import InputField
    from indicators import Framework

SEP = "__"


def _english() -> bool:
    try:
        return str(get_locale() or "").startswith("en")
    except RuntimeError:  # outside a request: Chinese, the first language
        return False


def named(field: InputField, message: Any, part: str | None = None) -> str:
    """``message`` prefixed with the field's name (and the part's, for a grid)."""
    label = field.label(_english())
    if part is not None:
        label = f"{label} · {choice_label(part)}"
    return _("%(field)s: %(problem)s", field=label, problem=str(message))


def refuse(field: InputField, message: Any, part: str | None = None) -> ParseError:
    error = ParseError(named(field, message, part))
    if part is not None:
        error.parts = {part: [str(error.message)]}
    return error


class CellWords:
    """The words a workbook cell may hold for yes, no and "not owned" (from the io layout)."""

    def __init__(self, yes: Collection[str], no: Collection[str], not_owned: Collection[str]):
        self.yes, self.no, self.not_owned = set(yes), set(no), set(not_owned)

    @staticmethod
    def word(raw: Any) -> str:
        """A cell's text as compared with the words (NFKC, trimmed, lower case)."""
        return unicodedata.normalize("NFKC", str(raw)).strip().lower()


class FieldKind:
    code: ClassVar[str]
    template: ClassVar[str]
    collect: ClassVar[str] = "one"  # how the script collects the value: one / many / parts
    in_parts: ClassVar[bool] = False  # the workbook gives one row per allowed value

    # -- the page form ----------------------------------------------------------------
    def form_fields(self, framework: Framework, field: InputField, english: bool
                    ) -> dict[str, Field]:
        raise NotImplementedError

    def read_form(self, field: InputField, formdata: Any) -> Any:
        return formdata.get(field.name, "")

    def initial(self, field: InputField, value: Any) -> dict[str, Any]:
        return {field.name: display_number(value)}

    # -- values -----------------------------------------------------------------------
    def parse(self, field: InputField, raw: Any) -> Any:
        raise NotImplementedError

    def read_cell(self, field: InputField, raw: Any) -> Any:
        return self.parse(field, raw)

    def read_part(self, field: InputField, part: str, raw: Any, words: CellWords) -> Any:
        raise NotImplementedError

    def from_parts(self, field: InputField, parts: Mapping[str, Any]) -> Any:
        raise NotImplementedError

    def display(self, field: InputField, value: Any) -> str:
        text = display_number(value)
        return f"{text} {unit_label(field.unit)}".strip()

    def data_attributes(self, field: InputField) -> dict[str, str]:
        return {"data-kind": self.code, "data-q-collect": self.collect}


class NumberKind(FieldKind):
    template = "assessment/fields/number.html"
    whole: ClassVar[bool] = False
    minimum: ClassVar[Decimal] = Decimal(0)
    maximum: ClassVar[Decimal | None] = None
    inputmode: ClassVar[str] = "decimal"

    def form_fields(self, framework: Framework, field: InputField, english: bool
                    ) -> dict[str, Field]:
        return {field.name: StringField(field.label(english),
                                        render_kw={"inputmode": self.inputmode})}

    def range_message(self) -> Any:
        return _l("Enter a number that is not negative.")

    def parse(self, field: InputField, raw: Any) -> int | float | None:
        try:
            number = parse_decimal(raw, whole=self.whole)
        except ParseError as error:
            raise refuse(field, error.message) from None
        if number is None:
            return None
        if number < self.minimum or (self.maximum is not None and number > self.maximum):
            raise refuse(field, self.range_message())
        return as_json_number(number)

    def data_attributes(self, field: InputField) -> dict[str, str]:
        attributes = super().data_attributes(field)
        attributes.update({
            "data-q-min": str(self.minimum),
            "data-q-whole": "true" if self.whole else "false",
            "data-q-msg-number": named(field, _l("Enter a whole number, for example 120.")
                                       if self.whole else _l("Enter a number, for example "
                                                             "12.5.")),
            "data-q-msg-comma": named(field, _l("Use a point for decimals, for example 12.5 "
                                                "(a comma only separates thousands, as in "
                                                "1,200).")),
            "data-q-msg-range": named(field, self.range_message()),
        })
        if self.maximum is not None:
            attributes["data-q-max"] = str(self.maximum)
        return attributes


class IntKind(NumberKind):
    code = "int"
    whole = True
    inputmode = "numeric"

    def range_message(self) -> Any:
        return _l("Enter a whole number that is not negative, for example 120.")


class DecimalKind(NumberKind):
    code = "decimal"


class PercentKind(NumberKind):
    code = "percent"
    maximum = Decimal(100)

    def range_message(self) -> Any:
        return _l("Enter a percent from 0 to 100.")

    def display(self, field: InputField, value: Any) -> str:
        return f"{display_number(value)} %"


class LevelKind(FieldKind):
    """A qualitative indicator's maturity level: one of five described levels."""

    code = "level"
    template = "assessment/fields/level.html"

    def form_fields(self, framework: Framework, field: InputField, english: bool
                    ) -> dict[str, Field]:
        return {field.name: RadioField(field.label(english),
                                       choices=level_choices(framework, field.key, english),
                                       validate_choice=False)}

    def parse(self, field: InputField, raw: Any) -> int | None:
        try:
            number = parse_decimal(raw, whole=True)
        except ParseError:
            raise refuse(field, _l("Choose one of the levels 1 to 5.")) from None
        if number is None:
            return None
        if not 1 <= number <= 5:
            raise refuse(field, _l("Choose one of the levels 1 to 5."))
        return int(number)

    def display(self, field: InputField, value: Any) -> str:
        return display_number(value)


class ListKind(FieldKind):
    """Several of the framework's allowed values (check boxes)."""

    code = "list"
    template = "assessment/fields/choices.html"
    collect = "many"
    in_parts = True

    def form_fields(self, framework: Framework, field: InputField, english: bool
                    ) -> dict[str, Field]:
        return {field.name: MultiCheckboxField(
            field.label(english), choices=[(a, choice_label(a)) for a in field.allowed],
            validate_choice=False)}

    def read_form(self, field: InputField, formdata: Any) -> Any:
        return formdata.getlist(field.name)

    def initial(self, field: InputField, value: Any) -> dict[str, Any]:
        return {field.name: list(value)}

    def parse(self, field: InputField, raw: Any) -> list[str] | None:
        if raw in (None, ""):
            return None
        items = raw if isinstance(raw, list) else [raw]
        chosen = {str(item) for item in items}
        unknown = sorted(chosen - set(field.allowed))
        if unknown:
            raise refuse(field, _l("Choose from the listed options only."))
        return [a for a in field.allowed if a in chosen]

    def read_part(self, field: InputField, part: str, raw: Any, words: CellWords) -> bool:
        word = words.word(raw) if not isinstance(raw, bool) else ""
        if raw is True or word in words.yes:
            return True
        if raw is False or word in words.no:
            return False
        raise ParseError(_("Write Yes or No."))

    def from_parts(self, field: InputField, parts: Mapping[str, Any]) -> list[str]:
        return [p for p in field.allowed if parts.get(p)]

    def display(self, field: InputField, value: Any) -> str:
        separator = ", " if reader_language() == "en" else "、"
        return separator.join(choice_label(v) for v in value) if value else "—"


class MapKind(FieldKind):
    """A percent per allowed type, or "not owned" (stored as null) per type: a grid."""

    code = "map"
    template = "assessment/fields/shares.html"
    collect = "parts"
    in_parts = True
    share = PercentKind()

    def form_fields(self, framework: Framework, field: InputField, english: bool
                    ) -> dict[str, Field]:
        fields: dict[str, Field] = {}
        for sub in field.allowed:
            fields[part_name(field.key, sub)] = StringField(
                choice_label(sub), render_kw={"inputmode": "decimal"})
            fields[none_name(field.key, sub)] = BooleanField(_l("Not owned"))
        return fields

    def read_form(self, field: InputField, formdata: Any) -> Any:
        raw: dict[str, Any] = {}
        for sub in field.allowed:
            if formdata.get(none_name(field.key, sub)):
                raw[sub] = None
            else:
                text = formdata.get(part_name(field.key, sub), "")
                if str(text).strip():
                    raw[sub] = text
        return raw

    def initial(self, field: InputField, value: Any) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for sub, share in (value or {}).items():
            if share is None:
                data[none_name(field.key, sub)] = True
            else:
                data[part_name(field.key, sub)] = display_number(share)
        return data

    def parse_share(self, field: InputField, sub: str, raw: Any) -> int | float | None:
        try:
            number = parse_decimal(raw)
        except ParseError as error:
            raise refuse(field, error.message, sub) from None
        if number is None:
            return None
        if not 0 <= number <= 100:
            raise refuse(field, _l("Enter a percent from 0 to 100."), sub)
        return as_json_number(number)

    def parse(self, field: InputField, raw: Any) -> dict[str, Any] | None:
        if raw is None or raw == "":
            return None
        if not isinstance(raw, dict):
            raise refuse(field, _l("Enter a percent for each type you own."))
        shares: dict[str, Any] = {}
        problems: dict[str, list[str]] = {}
        for sub, share in raw.items():
            sub = str(sub)
            if sub not in field.allowed:
                raise refuse(field, _l("Choose from the listed options only."))
            if share is None:
                shares[sub] = None  # the type is not owned
                continue
            try:
                value = self.parse_share(field, sub, share)
            except ParseError as error:
                problems.update(error.parts)
                continue
            if value is not None:
                shares[sub] = value
        if problems:
            refused = ParseError(" ".join(m for messages in problems.values() for m in messages))
            refused.parts = problems
            raise refused
        return shares or None

    def read_part(self, field: InputField, part: str, raw: Any, words: CellWords) -> Any:
        if words.word(raw) in words.not_owned:
            return None
        return self.parse_share(field, part, raw)

    def from_parts(self, field: InputField, parts: Mapping[str, Any]) -> dict[str, Any]:
        return dict(parts)

    def display(self, field: InputField, value: Any) -> str:
        if not isinstance(value, dict):
            return "—"
        return "; ".join(f"{choice_label(k)}: "
                         f"{str(_l('not owned')) if v is None else display_number(v)}"
                         for k, v in value.items()) or "—"

    def data_attributes(self, field: InputField) -> dict[str, str]:
        attributes = self.share.data_attributes(field)
        attributes.update(super().data_attributes(field))
        attributes["data-subs"] = " ".join(field.allowed)
        return attributes


KINDS: dict[str, FieldKind] = {kind.code: kind for kind in (
    IntKind(), DecimalKind(), PercentKind(), LevelKind(), ListKind(), MapKind())}


def kind_of(code: str) -> FieldKind:
    """The kind of a framework input type (KeyError for a type the questionnaire lacks)."""
    return KINDS[code]


# -- names and choices shared with ``fields`` ----------------------------------------------
def part_name(key: str, sub: str) -> str:
    return f"{key.replace('.', SEP)}{SEP}{sub}"


def none_name(key: str, sub: str) -> str:
    return f"{part_name(key, sub)}{SEP}none"


def level_choices(framework: Framework, code: str, english: bool) -> list[tuple[str, str]]:
    indicator = framework.indicator(code)
    choices = []
    for level in range(1, 6):
        descriptor = indicator.level_descriptors.get(level, {})
        text = descriptor.get("en" if english else "zh", "")
        name = framework.level_name(level, "en" if english else "zh")
        choices.append((str(level), f"{level} {name}: {text}" if text else f"{level} {name}"))
    return choices
