"""The association dashboard's statistics over its scores-sharing members, anonymity applied.

The association may see each member's own finalised scores (that is what the ``scores``
grant gives it), but every statistic follows the published anonymity rule of the
benchmarks: it is computed only over at least
:data:`~assessment.benchmarks.cohorts.ANONYMITY_MIN_COHORT` enterprises and never shows
the lowest or highest figure (box plots reach from the 10th to the 90th percentile). All
percentiles come from :mod:`assessment.benchmarks.stats`, the benchmarks' own definitions.

Entry points check the ``dashboards`` entitlement first.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from assessment.benchmarks.coarsen import NOTES, coarsen, cohort_of, left_out_note
from assessment.benchmarks.cohorts import ANONYMITY_MIN_COHORT
from assessment.benchmarks.stats import Distribution, distribution
from assessment.dashboard import queries
from assessment.dashboard.filters import Filters
from assessment.dashboard.members import MemberList, member_list
from indicators import Framework, load_framework
from indicators.framework.schema import LEVELS
from tenants.billing import entitlements
from tenants.models import Tenant

BINS = ((0, 20), (20, 40), (40, 60), (60, 80), (80, 100))  # score histogram, 0-100


def require_dashboards(tenant: Tenant) -> None:
    """Raise ``EntitlementRequired`` (with the upgrade link) unless the plan has dashboards."""
    entitlements.require(tenant, "dashboards")


@dataclass(frozen=True)
class Years:
    """The years the dashboard offers (any scores-sharing member has an assessment of it)
    and those with finalised members (read once per request)."""

    with_assessments: list[int]
    with_finalised: list[int]


def member_years(association_id: uuid.UUID) -> Years:
    return Years(*queries.member_years(association_id))


def default_year(years: Years) -> int:
    """The newest year with finalised members, so that the dashboard opens on figures; else
    the newest year any member has an assessment of; else last calendar year."""
    if years.with_finalised:
        return years.with_finalised[0]
    if years.with_assessments:
        return years.with_assessments[0]
    return date.today().year - 1


def year_choices(years: Years, chosen: int) -> list[int]:
    """Only years that have data; the chosen year too when it was asked for by hand."""
    offered = set(years.with_assessments) | set(years.with_finalised)
    return sorted(offered or {chosen}, reverse=True)


@dataclass(frozen=True)
class LevelDistribution:
    n: int
    counts: dict[int, int]  # empty when suppressed

    @property
    def shown(self) -> bool:
        return self.n >= ANONYMITY_MIN_COHORT

    def share(self, level: int) -> float:
        return 100.0 * self.counts.get(level, 0) / self.n if self.n else 0.0


@dataclass(frozen=True)
class CodeDistribution:
    code: str
    kind: str
    name: str
    summary: Distribution | None  # None: suppressed
    histogram: tuple[int, ...] = ()  # counts per BINS; empty when suppressed

    @property
    def shown(self) -> bool:
        return self.summary is not None


@dataclass(frozen=True)
class BreakdownRow:
    key: str  # the group's code
    label: str  # in words; a combined row names what it holds
    summary: Distribution | None  # of the overall score (every row reaches the minimum)
    combined: bool = False


@dataclass(frozen=True)
class Breakdown:
    by: str  # industry / size / province
    title: str
    rows: list[BreakdownRow]
    note: str = ""  # what was combined, when anything was
    left_out: str = ""  # how many figures are in no row, when any are


@dataclass
class Dashboard:
    filters: Filters
    members: MemberList
    finalised: int  # members with current figures in the filtered cohort
    levels: LevelDistribution
    breakdowns: list[Breakdown] = field(default_factory=list)


def _anonymous(scores: list[float]) -> Distribution | None:
    return distribution(scores) if len(scores) >= ANONYMITY_MIN_COHORT else None


def _histogram(scores: list[float]) -> tuple[int, ...]:
    counts = [0] * len(BINS)
    for score in scores:
        index = min(int(max(score, 0.0) // 20), len(BINS) - 1)
        counts[index] += 1
    return tuple(counts)


def _cohort_figures(tenant: Tenant, filters: Filters,
                    codes: list[str] | None = None) -> list[queries.Figure]:
    return [f for f in queries.member_figures(tenant.id, filters.year, codes)
            if filters.admits_cohort(f.industry_division, f.size_class, f.province)]


def level_distribution(overall: list[queries.Figure]) -> LevelDistribution:
    levelled = [f.level for f in overall if f.level is not None]
    if len(levelled) < ANONYMITY_MIN_COHORT:
        return LevelDistribution(len(levelled), {})
    counts = {level: sum(1 for found in levelled if found == level) for level in LEVELS}
    return LevelDistribution(len(levelled), counts)


def _lang_name(zh: str, en: str, lang: str) -> str:
    return en if lang == "en" else zh


BREAKDOWN_TITLES = {"industry": _l("By industry"), "size": _l("By size class"),
                    "province": _l("By province")}


def breakdown(by: str, overall: list[queries.Figure], lang: str) -> Breakdown:
    """The overall score per industry, size class or province; a group of fewer than the
    minimum is combined into its coarser group (division → industry group, province →
    region) and the breakdown says so (:mod:`assessment.benchmarks.coarsen`)."""
    found = coarsen([(cohort_of(f), f.score) for f in overall if f.score is not None],
                    by, lang)
    rows = [BreakdownRow(cell.key, cell.label, _anonymous(cell.values), cell.combined)
            for cell in found.cells]
    return Breakdown(by, str(BREAKDOWN_TITLES[by]), rows,
                     str(NOTES[by]) if found.coarsened else "",
                     left_out_note(found.left_out) if found.left_out and rows else "")


def dashboard(tenant: Tenant, filters: Filters, lang: str, *,
              paginate: bool = False) -> Dashboard:
    """The dashboard's front page: member list (one page of it when ``paginate``), level
    distribution, breakdowns."""
    require_dashboards(tenant)
    members = member_list(tenant.id, filters.year, filters, paginate=paginate)
    overall = _cohort_figures(tenant, filters, ["overall"])
    return Dashboard(
        filters=filters, members=members, finalised=len(overall),
        levels=level_distribution(overall),
        breakdowns=[breakdown(by, overall, lang) for by in ("industry", "size", "province")],
    )


def framework() -> Framework:
    return load_framework()  # the default framework, which the dashboard's figures use


def code_distributions(tenant: Tenant, filters: Filters, lang: str) -> list[CodeDistribution]:
    """Per dimension and per indicator (framework order), the distribution of the members'
    scores: a box-plot summary and a histogram, or nothing below the minimum."""
    require_dashboards(tenant)
    scores: dict[str, list[float]] = defaultdict(list)
    for figure in _cohort_figures(tenant, filters):
        if figure.score is not None:
            scores[figure.code].append(figure.score)
    found = []
    for dimension in framework().dimensions:
        codes = [(dimension.code, "dimension", _lang_name(dimension.name_zh,
                                                          dimension.name_en, lang))]
        codes += [(i.code, "indicator", _lang_name(i.name_zh, i.name_en, lang))
                  for i in dimension.indicators]
        for code, kind, name in codes:
            summary = _anonymous(scores[code])
            found.append(CodeDistribution(code, kind, name, summary,
                                          _histogram(scores[code]) if summary else ()))
    return found
