"""The association's cohort report: how its members stand, anonymity applied.

:func:`build_cohort_report` is pure assembly from :class:`CohortSources` (members' overall
figures, the benchmark statistics of the association pool, and who agreed to be named).
Every statistic follows the published anonymity rule: a group of fewer than
:data:`ANONYMITY_MIN_COHORT` members is combined into its coarser group (division →
industry group, province → region, :mod:`assessment.benchmarks.coarsen`) and the
breakdown says so; minima and maxima are never shown (box
whiskers stop at p10 and p90). The ranked table names only members who agreed to be named.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from assessment.benchmarks.anonymity import ANONYMITY_RULE
from assessment.benchmarks.coarsen import NOTES, coarsen, cohort_of, left_out_note
from assessment.benchmarks.cohorts import ANONYMITY_MIN_COHORT
from assessment.benchmarks.figures import CohortStatistics
from assessment.benchmarks.stats import distribution
from assessment.reports import charts
from assessment.reports import formatting as fmt
from assessment.reports.branding import ReportBranding
from assessment.reports.queries import MemberFigure
from indicators import Framework


@dataclass(frozen=True)
class CohortSources:
    lang: str
    association_name: str
    year: int
    framework: Framework
    branding: ReportBranding
    members: list[MemberFigure]
    statistics: CohortStatistics
    named: dict[uuid.UUID, str] = field(default_factory=dict)
    linked_members: int = 0  # members with an accepted link (whether or not they share)


@dataclass(frozen=True)
class GroupRow:
    label: str
    members: str
    mean: str
    median: str
    quartiles: str
    shown: bool


@dataclass(frozen=True)
class DistributionRow:
    name: str
    n: str
    p10: str
    q1: str
    median: str
    q3: str
    p90: str
    shown: bool


@dataclass(frozen=True)
class RankedRow:
    rank: int
    name: str
    score: str
    level_name: str


@dataclass(frozen=True)
class Breakdown:
    title: str
    rows: list[GroupRow]
    note: str = ""  # what was combined, when anything was
    left_out: str = ""  # how many members are in no row, when any are


@dataclass(frozen=True)
class CohortReport:
    lang: str
    title: str
    association_name: str
    year: int
    framework_label: str
    branding: ReportBranding
    shown: bool
    members: int
    linked_members: int
    overall: DistributionRow | None
    level_chart: str  # a data: URL, empty when not shown
    level_rows: list[tuple[str, str]]
    dimension_rows: list[DistributionRow]
    dimension_chart: str
    indicator_sections: list[tuple[str, list[DistributionRow], str]]  # dimension, rows, chart
    breakdowns: list[Breakdown]
    ranked: list[RankedRow]
    anonymity_rule: str
    minimum: int


def _distribution_row(name: str, dist: object | None) -> DistributionRow:
    if dist is None:
        return DistributionRow(name, fmt.DASH, fmt.DASH, fmt.DASH, fmt.DASH, fmt.DASH,
                               fmt.DASH, False)
    d = dist
    return DistributionRow(name, str(d.n), fmt.score(d.p10), fmt.score(d.q1),  # type: ignore[attr-defined]
                           fmt.score(d.median), fmt.score(d.q3), fmt.score(d.p90), True)  # type: ignore[attr-defined]


def _groups(members: list[MemberFigure], by: str, lang: str) -> Breakdown:
    """One breakdown: a group of fewer than the minimum is combined into its coarser group
    (division → industry group, province → region) instead of printing a suppressed row."""
    found = coarsen([(cohort_of(m), m.score) for m in members], by, lang)
    rows = []
    for cell in found.cells:
        d = distribution(cell.values)
        rows.append(GroupRow(cell.label, str(d.n), fmt.score(d.mean), fmt.score(d.median),
                             f"{fmt.score(d.q1)} – {fmt.score(d.q3)}", True))
    return Breakdown(str(BREAKDOWN_TITLES[by]), rows,
                     str(NOTES[by]) if found.coarsened else "",
                     left_out_note(found.left_out) if found.left_out and rows else "")


BREAKDOWN_TITLES = {"industry": _l("By industry"), "size": _l("By size class"),
                    "province": _l("By province")}


def _breakdowns(members: list[MemberFigure], lang: str) -> list[Breakdown]:
    return [_groups(members, by, lang) for by in ("industry", "size", "province")]


def _ranked(sources: CohortSources) -> list[RankedRow]:
    ordered = sorted(sources.members, key=lambda m: -m.score)
    rows = []
    for position, member in enumerate(ordered, start=1):
        name = sources.named.get(member.tenant_id)
        if name is None:
            continue
        level = sources.framework.level_name(member.level, sources.lang) if member.level else ""
        rows.append(RankedRow(position, name, fmt.score(member.score), level))
    return rows


def build_cohort_report(sources: CohortSources) -> CohortReport:
    lang, framework = sources.lang, sources.framework
    n = len(sources.members)
    shown = n >= ANONYMITY_MIN_COHORT and sources.statistics.shown
    stats = sources.statistics.statistics

    def dist(code: str) -> object | None:
        found = stats.get(code)
        return found.score if shown and found is not None else None

    dimensions = [(fmt.pick(lang, d.name_zh, d.name_en), dist(d.code))
                  for d in framework.dimensions]
    sections = []
    level_rows: list[tuple[str, str]] = []
    level_chart = dimension_chart = ""
    if shown:
        counts = Counter(m.level for m in sources.members if m.level)
        names = tuple(framework.level_name(lv.level, lang) for lv in framework.levels)
        values = tuple(counts.get(lv.level, 0) for lv in framework.levels)
        level_rows = list(zip(names, (str(v) for v in values), strict=True))
        level_chart = charts.level_distribution(names, values, str(_l("Members")))
        dimension_chart = charts.box_plot(charts.boxes_from(dimensions), str(_l("Score")))
        for dimension in framework.dimensions:
            pairs = [(fmt.pick(lang, i.name_zh, i.name_en), dist(i.code))
                     for i in dimension.indicators]
            boxes = charts.boxes_from(pairs)
            sections.append((fmt.pick(lang, dimension.name_zh, dimension.name_en),
                             [_distribution_row(name, d) for name, d in pairs],
                             charts.box_plot(boxes, str(_l("Score"))) if boxes else ""))
    return CohortReport(
        lang=lang,
        title=str(_l("Member benchmark report %(year)s", year=sources.year)),
        association_name=sources.association_name,
        year=sources.year,
        framework_label=fmt.framework_label(framework, lang),
        branding=sources.branding,
        shown=shown,
        members=n,
        linked_members=sources.linked_members,
        overall=_distribution_row(str(_l("Overall index")), dist("overall")) if shown else None,
        level_chart=level_chart,
        level_rows=level_rows,
        dimension_rows=[_distribution_row(name, d) for name, d in dimensions] if shown else [],
        dimension_chart=dimension_chart,
        indicator_sections=sections,
        breakdowns=_breakdowns(sources.members, lang) if shown else [],
        ranked=_ranked(sources) if shown else [],
        anonymity_rule=str(ANONYMITY_RULE),
        minimum=ANONYMITY_MIN_COHORT,
    )
