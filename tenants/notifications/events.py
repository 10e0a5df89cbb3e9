"""The kinds of event a notification can tell, with their texts in both languages.

A feature registers its events beside its own code (``register_event`` at import time), so
the words live with the feature that owns the event; the platform registers its own
(invitations, link requests, the robot test) in :mod:`tenants.notifications.platform_events`.
Titles and bodies are ``lazy_gettext`` strings with ``%(name)s`` placeholders, filled from
the notification's parameters when it is shown or sent, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import g, has_app_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class EventKind:
    key: str  # stored on the rows; never shown
    label: Any  # what the preferences page calls the event (lazy string)
    title: Any  # lazy string, ``%(param)s`` placeholders
    body: Any  # lazy string, ``%(param)s`` placeholders
    email: bool = True  # users may receive it by e-mail (and do unless they opt out)
    robot: bool = True  # a tenant's group robots may post it


_REGISTRY: dict[str, EventKind] = {}


def register_event(kind: EventKind) -> EventKind:
    """Add ``kind`` (registering the same key again replaces it: module reloads)."""
    _REGISTRY[kind.key] = kind
    return kind


def event_kind(key: str) -> EventKind | None:
    return _REGISTRY.get(key)


def event_kinds() -> list[EventKind]:
    return sorted(_REGISTRY.values(), key=lambda k: k.key)


class _Params(dict[str, Any]):
    """Missing parameters read as empty: an old row whose event gained a placeholder still
    renders."""

    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: Any, params: Mapping[str, Any]) -> str:
    return str(template) % _Params({k: str(v) for k, v in params.items()})


def render(key: str, params: Mapping[str, Any], locale: str | None = None
           ) -> tuple[str, str]:
    """(title, body) of an event in ``locale`` (default: the current one)."""
    kind = _REGISTRY.get(key)
    if locale is not None:
        if has_app_context():
            # Flask-Babel forces a locale only where ``g`` holds something (a bare job's
            # app context holds nothing yet)
            g.setdefault("_notifications_render", True)
        with force_locale(locale):
            return render(key, params)
    if kind is None:
        return str(_l("Notification")), ""
    return _fill(kind.title, params), _fill(kind.body, params)
