"""Local times: every time is stored in UTC and shown in the reader's time zone.

A signed-in user's own setting (``User.timezone``) wins; otherwise ``DEFAULT_TIMEZONE``
(Asia/Shanghai, the product's users being in China). Templates use the ``localtime`` filter:
``{{ event.created_at|localtime }}`` or ``{{ day|localtime('%Y-%m-%d') }}``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user

DEFAULT_TIMEZONE = "Asia/Shanghai"
MINUTES = "%Y-%m-%d %H:%M"

# The zones offered in the account settings (IANA names), China first.
TIMEZONE_CHOICES: tuple[tuple[str, Any], ...] = (
    ("Asia/Shanghai", _l("China Standard Time (Beijing, UTC+8)")),
    ("Asia/Hong_Kong", _l("Hong Kong (UTC+8)")),
    ("Asia/Singapore", _l("Singapore (UTC+8)")),
    ("Asia/Tokyo", _l("Japan and Korea (UTC+9)")),
    ("Asia/Bangkok", _l("Indochina (UTC+7)")),
    ("Asia/Kolkata", _l("India (UTC+5:30)")),
    ("Asia/Dubai", _l("Gulf (UTC+4)")),
    ("Europe/Berlin", _l("Central Europe (UTC+1, summer UTC+2)")),
    ("Europe/London", _l("United Kingdom (UTC+0, summer UTC+1)")),
    ("America/New_York", _l("US Eastern (UTC-5, summer UTC-4)")),
    ("America/Los_Angeles", _l("US Pacific (UTC-8, summer UTC-7)")),
    ("UTC", _l("Coordinated Universal Time (UTC)")),
)
KNOWN = frozenset(name for name, _label in TIMEZONE_CHOICES)


def zone_of(name: str | None) -> ZoneInfo:
    """The zone called ``name``; the configured default for None or an unknown name."""
    default = DEFAULT_TIMEZONE
    if has_app_context():
        default = current_app.config.get("DEFAULT_TIMEZONE") or DEFAULT_TIMEZONE
    for candidate in (name, default, DEFAULT_TIMEZONE):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def reader_zone() -> ZoneInfo:
    """The current reader's zone: their own setting, else the default."""
    name = None
    if has_app_context() and current_user and getattr(current_user, "is_authenticated", False):
        name = getattr(current_user, "timezone", None)
    return zone_of(name)


def localtime(moment: datetime | None, pattern: str = MINUTES,
              zone: ZoneInfo | None = None) -> str:
    """``moment`` (UTC; a naive value is taken as UTC) in the reader's zone, formatted."""
    if moment is None:
        return "—"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone or reader_zone()).strftime(pattern)
