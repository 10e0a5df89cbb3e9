"""Moved to ``tests/factories/dashboard.py``;
this path re-exports them so that existing imports keep working."""

from __future__ import annotations

from tests.factories.dashboard import (
    DIMENSIONS,
    _n,
    level_of,
    make_member,
    revoke,
)

__all__ = [
    "DIMENSIONS",
    "_n",
    "level_of",
    "make_member",
    "revoke",
]
