"""The one mapping from refusals to the questionnaire's fields, for the page and autosave.

The engine's problems (``indicators.Problem``, placed by ``problems.place``) and a field
kind's parse errors become messages by the HTML name of the field they belong to: a plain
field, a grid cell (``resource_sharing__testing``), an energy row's attribute or an energy
option; what has no field on the page is ``other`` (shown at the top). ``page_views`` binds
them to the form, ``api`` answers them as JSON: both read this one mapping.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from assessment.questionnaire import fields as names
from assessment.questionnaire.numbers import ParseError
from assessment.questionnaire.problems import energy_row, place
from indicators import Framework, Problem

ROW_SECTIONS = ("energy", "process_emissions")


def _add(target: dict[str, list[str]], name: str, messages: Iterable[str]) -> None:
    shown = target.setdefault(name, [])
    shown.extend(m for m in messages if m not in shown)


@dataclass
class FieldErrors:
    fields: dict[str, list[str]] = field(default_factory=dict)  # HTML field name -> messages
    rows: dict[str, dict[int, dict[str, list[str]]]] = field(default_factory=dict)
    sections: dict[str, list[str]] = field(default_factory=dict)  # a whole energy section
    options: dict[str, list[str]] = field(default_factory=dict)  # energy option -> messages
    other: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.rows or self.sections or self.options or self.other)

    def add_parse_error(self, input_field: names.InputField, error: ParseError) -> None:
        """A kind's refusal: on the grid cells it names, else on the field itself."""
        if error.parts:
            for part, messages in error.parts.items():
                _add(self.fields, names.map_name(input_field.key, part), messages)
        else:
            _add(self.fields, input_field.name, [str(error.message)])

    def as_json(self) -> dict[str, Any]:
        """The autosave answer's shape (an energy section's own error shows on its first
        row, as the script shows row errors only)."""
        rows: dict[str, dict[str, dict[str, list[str]]]] = {}
        for section, by_index in self.rows.items():
            for index, attributes in by_index.items():
                for attribute, messages in attributes.items():
                    _add(rows.setdefault(section, {}).setdefault(str(index), {}), attribute,
                         messages)
        for section, messages in self.sections.items():
            _add(rows.setdefault(section, {}).setdefault("0", {}), "carrier", messages)
        return {"errors": self.fields, "rows": rows, "options": self.options,
                "other": self.other}


def field_errors(framework: Framework, problems: Iterable[Problem],
                 page_keys: Collection[str], english: bool) -> FieldErrors:
    """The engine's ``problems`` by the field they belong to on a page of ``page_keys``."""
    placed, elsewhere = place(framework, problems, page_keys, english)
    errors = FieldErrors(other=list(elsewhere))
    for target, messages in placed.items():
        if target.key in ROW_SECTIONS:
            where = energy_row(target.rest)
            if where is None:
                _add(errors.sections, target.key, messages)
            else:
                index, attribute = where
                _add(errors.rows.setdefault(target.key, {}).setdefault(index, {}),
                     attribute or "carrier", messages)
        elif target.key == "options":
            _add(errors.options, target.rest.lstrip(".") or "gwp_set", messages)
        elif target.rest.startswith("."):
            _add(errors.fields, names.map_name(target.key, target.rest[1:]), messages)
        else:
            _add(errors.fields, names.field_name(target.key), messages)
    return errors
