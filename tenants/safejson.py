"""The one JSON loader for everything the app parses from outside: request bodies (through
the app's JSON provider, so ``request.get_json()`` uses it) and imported documents.

Python's ``json`` accepts what the app cannot compute with or store, and fails on some
input with errors that are not ``ValueError`` (so they became 500s):

- ``NaN``, ``Infinity``, and numbers that overflow a float (``1e400``) are refused;
- integers and floats beyond ±10^15 are refused: no figure of the questionnaire comes
  near, and a 400-digit integer overflows the arithmetic further on;
- nesting deeper than :data:`MAX_DEPTH` is refused before parsing (50,000 nested brackets
  exhausted the recursion limit);
- NUL characters in any string or key are refused (PostgreSQL cannot store them), and so
  are the other control characters but tab, CR and LF (no spreadsheet export can hold them);
- any one string longer than the ``json_text`` limit is refused, except under keys whose
  own limit is larger (``reason``: the not-applicable reason).

A refusal is :class:`JsonRefused`, a 400 naming the path of the offending value
(``inputs.units_sold``, ``energy[0].quantity``; ``(document)`` for the whole body).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from flask.json.provider import DefaultJSONProvider
from flask_babel import lazy_gettext as _l

from tenants.errors import DomainError
from tenants.limits import TEXT_LIMITS, characters_problem, too_long_message

MAX_DEPTH = 32
MAX_MAGNITUDE = 10**15
DOCUMENT = "(document)"
# Keys whose string value has its own, larger limit than ``json_text``.
_TEXT_KEYS = {"reason": "na_reason", "na_reason": "na_reason", "body": "comment"}
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class JsonRefused(DomainError):
    """The body or document cannot be used; ``field`` is the path of what is wrong.

    Deliberately not a ``ValueError``: ``request.get_json(silent=True)`` would swallow it
    and answer a bare 400; this way the app's handler answers with the path named."""

    status_code = 400


class _Bad:
    """Stands in for a number that was refused, until its path is known."""

    def __init__(self, text: str) -> None:
        self.text = text


def _number_message(text: str) -> str:
    if text.lstrip("-") in ("NaN", "Infinity"):
        return str(_l("%(value)s is not a number.", value=text))
    return str(_l("The number %(value)s is too large (at most %(max)s).",
                  value=text if len(text) <= 24 else text[:20] + "…", max="10^15"))


def _parse_int(text: str) -> int | _Bad:
    if len(text.lstrip("-")) > 16:  # cheap first: no int() of 10,000 digits
        return _Bad(text)
    value = int(text)
    return value if abs(value) <= MAX_MAGNITUDE else _Bad(text)


def _parse_float(text: str) -> float | _Bad:
    value = float(text)
    return value if math.isfinite(value) and abs(value) <= MAX_MAGNITUDE else _Bad(text)


def check_depth(text: str, max_depth: int = MAX_DEPTH) -> None:
    """Refuse nesting deeper than ``max_depth`` without recursing (strings are skipped)."""
    depth = 0
    for char in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        depth = depth + 1 if char in "[{" else depth - 1
        if depth > max_depth:
            raise JsonRefused(_l("The document is nested more than %(max)d levels deep.",
                                 max=max_depth), DOCUMENT)


def _path(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def _check(value: Any, path: str, key: str | None = None) -> None:
    if isinstance(value, _Bad):
        raise JsonRefused(_number_message(value.text), path or DOCUMENT)
    if isinstance(value, str):
        limit = TEXT_LIMITS[_TEXT_KEYS.get(key or "", "json_text")]
        problem = characters_problem(value, path or DOCUMENT)
        if problem is not None:
            raise JsonRefused(problem, path or DOCUMENT)
        if len(value) > limit.max_length:
            raise JsonRefused(too_long_message(path or DOCUMENT, limit.max_length, len(value)),
                              path or DOCUMENT)
    elif isinstance(value, dict):
        for name, item in value.items():
            where = _path(path, name)
            problem = characters_problem(name, path or DOCUMENT)
            if problem is None and len(name) > TEXT_LIMITS["json_text"].max_length:
                problem = too_long_message(path or DOCUMENT,
                                           TEXT_LIMITS["json_text"].max_length, len(name))
            if problem is not None:
                raise JsonRefused(problem, path or DOCUMENT)
            _check(item, where, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, _path(path, index))


def loads(data: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """Parse ``data`` (UTF-8, a byte-order mark allowed) or raise :class:`JsonRefused`."""
    if isinstance(data, bytes | bytearray):
        try:
            text = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise JsonRefused(_l("The document is not UTF-8 text."), DOCUMENT) from None
    else:
        text = data.removeprefix("\ufeff")
    check_depth(text, max_depth)
    try:
        value = json.loads(text, parse_int=_parse_int, parse_float=_parse_float,
                           parse_constant=_Bad)
    except RecursionError:  # defence in depth: check_depth should have refused it
        raise JsonRefused(_l("The document is nested more than %(max)d levels deep.",
                             max=max_depth), DOCUMENT) from None
    except ValueError as error:
        raise JsonRefused(_l("This is not valid JSON: %(reason)s", reason=str(error)[:200]),
                          DOCUMENT) from None
    _check(value, "")
    return value


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with :func:`loads` for parsing (dumping is unchanged)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s)
