"""What the enterprise report's improvement-plan chapter is drawn from.

The report (``assessment.reports``) reads a :class:`PlanChapter`; the plans folder builds it
with :func:`plan_chapter`. The shapes are plain values in the reader's language, so the
report needs no knowledge of the plan's tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from markupsafe import Markup

from assessment.assessments.models import Assessment


@dataclass(frozen=True)
class PlanActionRow:
    """One action as the report prints it (every text already in the reader's language)."""

    title: str
    indicator_names: list[str]
    owner_name: str | None
    due_date: date | None
    status: str  # proposed | planned | in_progress | done | dropped
    status_label: str
    overdue: bool
    dimension_name: str | None
    dimension_gain: Decimal | None  # expected gain in the dimension score, points
    overall_gain: Decimal | None  # expected gain in the overall score, points
    effort_label: str  # e.g. 低 / 中 / 高
    cost_label: str
    # Where the action comes from, cited by document and section, never by line number:
    # e.g. "《制造业企业供应链管理水平提升指南（试行）》 三、（二）"; None for a free action.
    source: str | None
    quick_win: bool  # high gain for low effort (the prioritisation matrix's first quadrant)


@dataclass(frozen=True)
class PlanChapter:
    title: str  # the plan's name
    actions: list[PlanActionRow]
    # The prioritisation matrix (impact against effort) as inline SVG, drawn for print.
    matrix_svg: Markup
    # Actions per status, for the progress line: {"proposed": 3, "done": 1, ...}
    counts: dict[str, int] = field(default_factory=dict)


def plan_chapter(assessment: Assessment, lang: str) -> PlanChapter | None:
    """The improvement-plan chapter of ``assessment``'s report, in ``lang``; None when the
    assessment has no plan.

    Reads in the current tenant context, as :mod:`assessment.reports.gather` does (the
    enterprise's own request, a linked request, or a job that set the tenant).
    """
    # Imported here: the report imports this module for its shapes only, and the plan's
    # queries pull in the results and the catalogue.
    from flask_babel import force_locale

    from assessment.assessments.documents import framework_of
    from assessment.plans import queries
    from assessment.plans.presenter import (
        action_views,
        band_label,
        matrix_for,
        member_names,
        plan_title,
        status_label,
        today,
    )

    plan = queries.plan_of(assessment.id)
    if plan is None:
        return None
    framework = framework_of(assessment)
    items = list(queries.actions(plan.id))
    with force_locale("en" if lang == "en" else "zh_CN"):
        views = action_views(items, framework, lang, member_names(assessment.tenant_id))
        counts, _overdue = queries.progress(items, today())
        rows = [PlanActionRow(
            title=v.action.title, indicator_names=v.indicator_names,
            owner_name=v.owner_name, due_date=v.action.due_date, status=v.action.status,
            status_label=status_label(v.action.status, lang), overdue=v.overdue,
            dimension_name=v.dimension_name,
            dimension_gain=_decimal(v.action.dimension_gain),
            overall_gain=_decimal(v.action.overall_gain),
            effort_label=band_label(v.action.effort, lang),
            cost_label=band_label(v.action.cost, lang),
            source=v.source, quick_win=v.quick_win) for v in views]
        matrix = matrix_for(views)
        title = plan_title(plan.title, assessment.year)
    return PlanChapter(title=title, actions=rows, matrix_svg=matrix, counts=counts)


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 1)))
