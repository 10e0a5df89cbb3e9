"""What the enterprise report's improvement-plan chapter is drawn from.

The report (``assessment.reports``) reads a :class:`PlanChapter`; the plans folder builds it
with :func:`plan_chapter`. The shapes are plain values in the reader's language, so the
report needs no knowledge of the plan's tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:
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
    """The improvement-plan chapter of ``assessment``'s report, None without a plan.

    A placeholder until the plans folder lands: it replaces this function (same signature)."""
    return None
