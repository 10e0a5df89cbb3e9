"""The one table of text limits, and the checks every way in shares (forms, API, imports,
services): a text is refused when it holds a NUL character, another control character (no
spreadsheet can hold one: the export would fail) or is longer than its limit.

Why here and not only in the column types: SQLite does not enforce ``VARCHAR(n)`` (it stores
100,000 characters in a 1,000-character column) and PostgreSQL cannot store NUL at all, so
without one check in the application the two databases would behave differently: one
accepting what the other answers with a 500. The same limits therefore apply, in the same
words, on both:

- forms use :class:`Limited` (length and NUL, and the ``maxlength`` attribute);
- services and importers call :func:`check_text`;
- a flush guard (:func:`install_flush_guard`) refuses, as a last line, any string column
  value longer than its column or holding NUL, and NUL inside JSON columns, whatever path
  wrote it;
- a request guard (``tenants.web.register_input_guards``) refuses NUL in any form field,
  query parameter, file name or URL before a view runs.

A limit here is never longer than its column (a test checks every one against the models).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session
from wtforms import Field
from wtforms.form import BaseForm
from wtforms.validators import ValidationError

from tenants.errors import DomainError

NUL = "\x00"
# C0 control characters but tab, line feed and carriage return.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class TextLimit:
    """The most characters a text may have, and the words that name it to the user."""

    max_length: int
    label: Any  # lazy string


# name → limit. The column a limit protects is named in the comment (see test_limits).
TEXT_LIMITS: dict[str, TextLimit] = {
    "email": TextLimit(254, _l("E-mail")),  # app_user.email, invitation.email
    "person_name": TextLimit(120, _l("Your name")),  # app_user.name
    "password": TextLimit(200, _l("Password")),  # hashed: no column holds it
    "organisation_name": TextLimit(200, _l("Organisation name")),  # tenant.name
    "slug": TextLimit(40, _l("Address")),  # tenant.slug (63)
    "link_target": TextLimit(254, _l("Enterprise address or owner e-mail")),  # looked up only
    "na_reason": TextLimit(1000, _l("Reason")),  # indicator_state.na_reason
    "comment": TextLimit(4000, _l("Comment")),  # review_comment.body
    "warning_reason": TextLimit(500, _l("Reason")),  # warning_confirmation.reason
    "indicator_code": TextLimit(80, _l("Indicator")),  # review_comment.indicator_code
    "legal_name": TextLimit(200, _l("Legal name")),  # enterprise_profile.legal_name
    # as typed: spaces and hyphens are removed before the 18 characters are stored
    "credit_code": TextLimit(40, _l("Unified social credit code")),
    "footer_text": TextLimit(200, _l("Footer text")),  # report_branding.footer_text
    "file_name": TextLimit(255, _l("File name")),  # evidence_file.original_name
    # Any other string inside a JSON body or document (codes, carrier names, units): far
    # more than any real one, and small enough that a document cannot carry megabytes in one.
    "json_text": TextLimit(1000, _l("Text")),
}


class TextRefused(DomainError):
    """A text holds NUL or is too long; ``field`` names it. Nothing was written."""

    status_code = 422


def limit(name: str) -> int:
    return TEXT_LIMITS[name].max_length


def too_long_message(label: Any, maximum: int, given: int) -> str:
    return str(_l("%(field)s is too long: at most %(max)d characters (%(given)d given).",
                  field=label, max=maximum, given=given))


def nul_message(label: Any) -> str:
    return str(_l("%(field)s contains a NUL character (\\0), which cannot be stored. Remove "
                  "it and try again.", field=label))


def control_message(label: Any) -> str:
    return str(_l("%(field)s contains a control character, which cannot be stored. Remove it "
                  "and try again.", field=label))


def characters_problem(value: str, label: Any) -> str | None:
    """Why ``value`` cannot be stored as text, whatever its length (None: it can)."""
    if NUL in value:
        return nul_message(label)
    if CONTROL.search(value):
        return control_message(label)
    return None


def text_problem(name: str, value: str, label: Any = None) -> str | None:
    """The reason ``value`` is refused as the text ``name`` (None: it is acceptable)."""
    limit_ = TEXT_LIMITS[name]
    label = label if label is not None else limit_.label
    problem = characters_problem(value, label)
    if problem is not None:
        return problem
    if len(value) > limit_.max_length:
        return too_long_message(label, limit_.max_length, len(value))
    return None


def check_text(name: str, value: str, field: str | None = None) -> str:
    """``value`` unchanged, or :class:`TextRefused` naming ``field`` (default: ``name``)."""
    problem = text_problem(name, value)
    if problem is not None:
        raise TextRefused(problem, field or name)
    return value


class Limited:
    """A form validator: the text ``name`` of :data:`TEXT_LIMITS` (length and NUL).

    Also sets ``maxlength`` on the rendered input, like wtforms' ``Length``."""

    def __init__(self, name: str, check_length: bool = True) -> None:
        """``check_length=False``: a ``Length(min=…, max=limit(name))`` beside it says it."""
        self.name = name
        self.check_length = check_length
        self.field_flags = {"maxlength": limit(name)}

    def __call__(self, form: BaseForm, field: Field) -> None:
        value = field.data
        if isinstance(value, str):
            problem = text_problem(self.name, value, label=field.label.text) \
                if self.check_length else characters_problem(value, field.label.text)
            if problem is not None:
                raise ValidationError(problem)


# -- the last line: every flush, on both databases --------------------------------------------
def _strings(value: Any, depth: int = 0) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif depth < 64 and isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, depth + 1)
            yield from _strings(item, depth + 1)
    elif depth < 64 and isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item, depth + 1)


def _label(column: str) -> Any:
    return _COLUMN_LABELS.get(column, _l("This text"))


# The words for the columns people type into; any other column is "this text" (the field
# is still named in the refusal's ``field``).
_COLUMN_LABELS: dict[str, Any] = {
    "email": TEXT_LIMITS["email"].label,
    "name": _l("Name"),
    "slug": TEXT_LIMITS["slug"].label,
    "na_reason": TEXT_LIMITS["na_reason"].label,
    "body": TEXT_LIMITS["comment"].label,
    "legal_name": TEXT_LIMITS["legal_name"].label,
    "footer_text": TEXT_LIMITS["footer_text"].label,
    "original_name": TEXT_LIMITS["file_name"].label,
}


def check_row(obj: Any) -> None:
    """Refuse ``obj`` (a mapped object about to be written) if a string column holds NUL or
    is longer than its column, or a JSON column holds NUL in a string."""
    mapper = sa.inspect(obj).mapper
    for column in mapper.columns:
        key = mapper.get_property_by_column(column).key
        value = obj.__dict__.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            if NUL in value:
                raise TextRefused(nul_message(_label(key)), key)
            length = getattr(column.type, "length", None)
            if isinstance(column.type, sa.String) and length and len(value) > length:
                raise TextRefused(too_long_message(_label(key), length, len(value)), key)
        elif isinstance(column.type, sa.JSON) and any(NUL in s for s in _strings(value)):
            raise TextRefused(nul_message(_label(key)), key)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.dirty):
        check_row(obj)


def install_flush_guard() -> None:
    """Check every row written by every session (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
