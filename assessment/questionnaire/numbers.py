"""Numbers as people type them: the one parser of every numeric questionnaire value.

Autosave, the page form, the energy rows and the spreadsheet import all read numbers here,
so they accept and refuse exactly the same text. Rules:

- full-width digits and signs (Chinese input methods) are read as their ASCII forms;
- spaces are ignored; a comma is a thousands separator only where it groups three digits
  ("1,200", "12,345.5"); any other comma ("12,5", "1,2,3") is refused with a message
  that says to use a point for decimals, never read as 125;
- text that is not a finite decimal number is refused, and so is a number beyond
  ±10^15 (too large for anyone to compute with).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l

MAX_MAGNITUDE = 10**15
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
# What a number may look like (no "_", "NaN", "Infinity" that Decimal would take); the page
# script mirrors these two patterns.
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")


class ParseError(ValueError):
    """A raw value that is not even of the field's type; ``message`` is for the user."""

    def __init__(self, message: Any):
        super().__init__(str(message))
        self.message = message
        self.parts: dict[str, list[str]] = {}  # a grid's messages by part (map kinds)


def normalise(raw: Any) -> str:
    """The text of ``raw`` as it will be parsed (NFKC, no spaces)."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(raw)).strip())


def parse_decimal(raw: Any, whole: bool = False) -> Decimal | None:
    """``raw`` as a Decimal (None: blank). ``whole``: the field takes whole numbers only."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ParseError(_l("Enter a number."))
    text = repr(raw) if isinstance(raw, int | float) else normalise(raw)
    if text == "":
        return None
    if "," in text:
        if not _THOUSANDS.fullmatch(text):
            raise ParseError(_l("Use a point for decimals, for example 12.5 (a comma only "
                                "separates thousands, as in 1,200)."))
        text = text.replace(",", "")
    try:
        number: Decimal | None = Decimal(text) if _NUMBER.fullmatch(text) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ParseError(_l("Enter a whole number, for example 120.") if whole
                         else _l("Enter a number, for example 12.5."))
    if abs(number) > MAX_MAGNITUDE:
        raise ParseError(_l("This number is too large (at most 10^15)."))
    if whole and number != number.to_integral_value():
        raise ParseError(_l("Enter a whole number, for example 120."))
    return number


def as_json_number(number: Decimal) -> int | float:
    """An int where the number is whole, else a float (the JSON value stored)."""
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def parse_number(raw: Any, kind: str) -> int | float | None:
    """``raw`` as the JSON number to store (None: blank); ``kind`` "int" takes whole numbers.
    No range rule: those are the field kinds' and the engine's."""
    number = parse_decimal(raw, whole=kind == "int")
    return None if number is None else as_json_number(number)


def display_number(value: Any) -> str:
    """A stored number as the form shows it (12.0 shows as 12)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
