"""Domain errors raised by services and turned into responses by the views."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal the user can act on. ``field`` names the form field it concerns."""

    status_code = 400

    def __init__(self, message: Any, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotFound(DomainError):
    """Also used for rows of another tenant: their existence is not revealed."""

    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409


class FieldErrors(DomainError):
    """Several fields refused at once: ``errors`` maps each field to its message."""

    status_code = 422

    def __init__(self, errors: dict[str, Any]):
        field, message = next(iter(errors.items()))
        super().__init__(message, field)
        self.errors = errors
