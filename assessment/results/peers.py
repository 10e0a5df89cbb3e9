""""You vs. peers" on an enterprise's results page: its percentile rank per code and its
dimension scores against the cohort's median, in each pool it may compare itself with.

Decisions (docs/dashboard.md):

- Only a finalised assessment is compared: a draft's provisional figures are not reviewed,
  and peers' figures are; the section then says when the comparison will appear.
- Give to get: the platform pool is shown only to an enterprise that has opted in to it
  (its own figures are then in the pool). Each association whose accepted link receives
  the enterprise's scores is a pool too, named by the association's name.
- On a plan without ``full_benchmarks`` (Free, with billing on) only the overall index's
  position is shown, with the upgrade link; no radar.
- Every figure comes from the benchmark services (anonymity applied there): a percentile
  rank, the cohort's size and median; never another enterprise's figure or name, never a
  minimum or maximum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from assessment.assessments.models import Assessment, State
from assessment.benchmarks.anonymity import ANONYMITY_RULE
from assessment.benchmarks.pools import AssociationPool, PlatformPool, Pool
from assessment.benchmarks.services import cohort_statistics, position_of
from assessment.profiles import queries as profile_queries
from assessment.results.charts import Series, radar_svg, score_bar_svg
from indicators import Framework
from tenants import queries as platform_queries
from tenants.billing import entitlements
from tenants.models import LinkGrant, LinkKind, LinkStatus, Tenant

OVERALL = "overall"


@dataclass(frozen=True)
class PeerRow:
    code: str
    kind: str
    name: str
    score: float | None
    percentile_rank: float | None  # None: not shown (cohort below the minimum)
    bar: str  # SVG, empty when not shown


@dataclass
class PoolComparison:
    key: str
    title: str
    shown: bool
    label: str  # the cohort's label, or why nothing is shown
    enterprises: int | None = None
    overall: PeerRow | None = None
    dimensions: list[tuple[PeerRow, list[PeerRow]]] = field(default_factory=list)
    radar: str = ""


@dataclass
class Peers:
    state: str  # "shown" | "not_finalised" | "no_pool"
    full: bool  # full_benchmarks: every code and the radar; else the overall index only
    upgrade_url: str | None
    upgrade_reason: str
    opted_in: bool
    comparisons: list[PoolComparison] = field(default_factory=list)

    @property
    def rule(self) -> str:
        return str(ANONYMITY_RULE)


def _bar(rank: float | None, name: str) -> str:
    if rank is None:
        return ""
    return score_bar_svg(rank, marks=(25, 50, 75), width=180,
                         label=_("%(name)s: percentile %(rank)s", name=name,
                                 rank=f"{rank:.0f}"))


def _pools(tenant: Tenant, opted_in: bool) -> list[tuple[Pool, str]]:
    pools: list[tuple[Pool, str]] = []
    if opted_in:
        pools.append((PlatformPool(), _("All enterprises on ChainGauge that share anonymously")))
    for link, association in platform_queries.incoming_links(tenant.id):
        if (link.kind == LinkKind.association_member and link.status == LinkStatus.accepted
                and LinkGrant.scores in link.grants):
            pools.append((AssociationPool(association.id),
                          _("Members of %(association)s", association=association.name)))
    return pools


def _row(code: str, kind: str, name: str, position: Any) -> PeerRow:
    found = position.positions.get(code)
    rank = found.percentile_rank if found else None
    return PeerRow(code, kind, name, found.score if found else None, rank, _bar(rank, name))


def _comparison(assessment: Assessment, framework: Framework, lang: str, pool: Pool,
                title: str, full: bool) -> PoolComparison:
    english = lang == "en"
    codes = None if full else [OVERALL]
    position = position_of(assessment, pool, codes=codes)
    if position.cohort is None:
        return PoolComparison(pool.key, title, False, position.label(lang))
    found = PoolComparison(pool.key, title, True, position.label(lang))
    overall = position.positions.get(OVERALL)
    found.enterprises = overall.cohort_size if overall else None
    found.overall = _row(OVERALL, "overall", _("Overall index"), position)
    if not full:
        return found
    for dimension in framework.dimensions:
        name = dimension.name_en if english else dimension.name_zh
        found.dimensions.append((
            _row(dimension.code, "dimension", name, position),
            [_row(i.code, "indicator", i.name_en if english else i.name_zh, position)
             for i in dimension.indicators],
        ))
    found.radar = _radar(assessment, framework, lang, pool, position, found)
    return found


def _radar(assessment: Assessment, framework: Framework, lang: str, pool: Pool,
           position: Any, found: PoolComparison) -> str:
    """The enterprise's dimension scores against the cohort's medians, when the statistics
    fall on the same cohort as the position (both count the enterprise)."""
    cohort = position.cohort
    codes = [d.code for d in framework.dimensions]
    statistics = cohort_statistics(pool, cohort.year, cohort.filter.division, codes=codes)
    if statistics.cohort is None or statistics.cohort.key != cohort.key:
        return ""
    medians = []
    for code in codes:
        stat = statistics.statistics.get(code)
        medians.append(stat.score.median if stat is not None and stat.score else None)
    mine = [row.score for row, _indicators in found.dimensions]
    axes = [row.name for row, _indicators in found.dimensions]
    return radar_svg(axes, [Series(_("You (%(year)s)", year=assessment.year), mine,
                                   "radar-current"),
                            Series(_("Cohort median"), medians, "radar-median")],
                     title=_("Your dimension scores and the cohort median"))


def you_vs_peers(assessment: Assessment, tenant: Tenant, framework: Framework,
                 lang: str) -> Peers:
    """The peers section of the current enterprise's results page for ``assessment``."""
    decision = entitlements.may(tenant, "full_benchmarks")
    profile = profile_queries.profile()
    opted_in = bool(profile and profile.benchmark_opt_in)
    peers = Peers("shown", bool(decision), decision.upgrade_url,
                  str(decision.reason or ""), opted_in)
    if assessment.state != State.finalised:
        peers.state = "not_finalised"
        return peers
    pools = _pools(tenant, opted_in)
    if not pools:
        peers.state = "no_pool"
        return peers
    peers.comparisons = [_comparison(assessment, framework, lang, pool, title, peers.full)
                         for pool, title in pools]
    return peers


@dataclass(frozen=True)
class Headline:
    """The overall index's percentile for the top score card: the first pool shown."""

    rank: float
    pool: str
    enterprises: int | None


def headline_percentile(peers: Peers | None) -> Headline | None:
    if peers is None or peers.state != "shown":
        return None
    for comparison in peers.comparisons:
        overall = comparison.overall
        if comparison.shown and overall is not None and overall.percentile_rank is not None:
            return Headline(overall.percentile_rank, comparison.title, comparison.enterprises)
    return None
