"""A plan as pages and the report show it: words in the reader's language, never codes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import has_request_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from assessment.plans import queries
from assessment.plans.matrix import Point, is_quick_win, matrix_svg, priority_key
from assessment.plans.models import ActionStatus, Band, PlanAction
from assessment.plans.services import BAND_LABELS, STATUS_LABELS
from assessment.plans.sources import citation
from indicators import Framework
from tenants import queries as platform_queries
from tenants.localtime import reader_zone


def today() -> date:
    """Today where the reader is (an action is overdue from the day after its due date)."""
    if has_request_context():
        return datetime.now(reader_zone()).date()
    return datetime.now(UTC).date()


def status_label(status: str, lang: str | None = None) -> str:
    label = STATUS_LABELS.get(ActionStatus(status), status)
    if lang is None:
        return str(label)
    with force_locale("en" if lang == "en" else "zh_CN"):
        return str(label)


def band_label(band: str, lang: str | None = None) -> str:
    label = BAND_LABELS.get(Band(band), band) if band in {b.value for b in Band} else band
    if lang is None:
        return str(label)
    with force_locale("en" if lang == "en" else "zh_CN"):
        return str(label)


def indicator_name(framework: Framework, code: str, lang: str) -> str:
    found = framework.indicators.get(code)
    if found is None:
        return code
    return found.name_en if lang == "en" else found.name_zh


def dimension_name(framework: Framework, code: str | None, lang: str) -> str | None:
    for dimension in framework.dimensions:
        if dimension.code == code:
            return dimension.name_en if lang == "en" else dimension.name_zh
    return None


@dataclass(frozen=True)
class ActionView:
    number: int
    action: PlanAction
    indicator_names: list[str]
    owner_name: str | None
    overdue: bool
    quick_win: bool
    source: str | None
    dimension_name: str | None


def member_names(tenant_id: uuid.UUID) -> dict[uuid.UUID, str]:
    return {user.id: (user.name or user.email)
            for user, _m in platform_queries.members_of(tenant_id)}


def ordered(actions: Sequence[PlanAction]) -> list[PlanAction]:
    """Quick wins first, then by expected gain; dropped actions last."""
    return sorted(actions, key=lambda a: (a.status == ActionStatus.dropped,
                                          *priority_key(a.overall_gain, a.effort)))


def action_views(actions: Sequence[PlanAction], framework: Framework, lang: str,
                 names: dict[uuid.UUID, str], on: date | None = None) -> list[ActionView]:
    on = on or today()
    views = []
    for number, item in enumerate(ordered(actions), start=1):
        views.append(ActionView(
            number=number, action=item,
            indicator_names=[indicator_name(framework, c, lang) for c in item.indicator_codes],
            owner_name=names.get(item.owner_id) if item.owner_id else None,
            overdue=queries.is_overdue(item, on),
            quick_win=is_quick_win(item.overall_gain, item.effort),
            source=citation(item.source_kind, item.source_ref, lang),
            dimension_name=dimension_name(framework, item.dimension_code, lang)))
    return views


def matrix_for(views: Sequence[ActionView]) -> Markup:
    return matrix_svg([Point(v.number, v.action.title, v.action.overall_gain, v.action.effort)
                       for v in views if v.action.status != ActionStatus.dropped])


_FIELD_LABELS = {
    "title": _l("the action"), "indicator_codes": _l("the target indicators"),
    "target_value": _l("the target value"), "target_level": _l("the target level"),
    "owner_id": _l("the owner"), "due_date": _l("the due date"), "effort": _l("the effort"),
    "cost": _l("the cost"), "notes": _l("the notes"),
    "evidence_id": _l("the evidence of completion"), "status": _l("the status"),
}


def field_label(name: str) -> str:
    """What a history line says was changed, in words."""
    return str(_FIELD_LABELS.get(name, _l("a detail")))


def plan_title(title: str, year: int) -> str:
    """The plan's own title, or "Improvement plan <year>" in the reader's language."""
    return title or str(_l("Improvement plan %(year)s", year=year))
