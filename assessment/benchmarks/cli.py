"""``flask --app app benchmark ...``: show a cohort's statistics, refresh the snapshots."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from assessment.benchmarks import refresh as refresh_queue
from assessment.benchmarks import snapshots
from assessment.benchmarks.anonymity import ANONYMITY_RULE, SUPPRESSED
from assessment.benchmarks.figures import CohortStatistics
from assessment.benchmarks.pools import AssociationPool, PlatformPool, Pool
from assessment.benchmarks.services import cohort_statistics
from assessment.profiles.rules import province as find_province
from assessment.profiles.rules import size_class_by_code
from indicators import InvalidInput, load_framework
from indicators.catalogue.industries import division as find_industry
from tenants import queries as platform_queries
from tenants.context import system_scope
from tenants.db import db
from tenants.models import TenantKind

benchmark_cli = AppGroup("benchmark", help="Peer benchmarks.")


def _pool(spec: str) -> Pool:
    if spec == "platform":
        return PlatformPool()
    kind, _, slug = spec.partition(":")
    if kind == "association" and slug:
        tenant = platform_queries.tenant_by_slug(slug)
        if tenant is None or tenant.kind != TenantKind.association:
            raise click.BadParameter(f"no association with the slug {slug!r}", param_hint="--pool")
        return AssociationPool(tenant.id)
    raise click.BadParameter("use 'platform' or 'association:<slug>'", param_hint="--pool")


def _names(lang: str) -> dict[str, str]:
    framework = load_framework()
    english = lang.startswith("en")
    names = {"overall": "Overall" if english else "总体"}
    for dimension in framework.dimensions:
        names[dimension.code] = dimension.name_en if english else dimension.name_zh
        for indicator in dimension.indicators:
            names[indicator.code] = indicator.name_en if english else indicator.name_zh
    return names


def _order(code: str, names: list[str]) -> tuple[int, str]:
    return (names.index(code) if code in names else len(names), code)


def format_table(result: CohortStatistics, lang: str) -> str:
    """A plain-text table of the statistics (scores, 0-100), with the cohort's label."""
    names = _names(lang)
    lines = [f"{result.label(lang)}", str(ANONYMITY_RULE), ""]
    if not result.shown:
        return "\n".join(lines)
    lines.insert(1, f"pool: {result.pool}; enterprises: {result.enterprises}; "
                    f"source: {result.source}")
    header = f"{'code':<42} {'n':>5} {'mean':>7} {'p10':>7} {'q1':>7} {'median':>7} " \
             f"{'q3':>7} {'p90':>7}  name"
    lines += [header, "-" * len(header)]
    order = list(names)
    for code in sorted(result.statistics, key=lambda c: _order(c, order)):
        stats = result.statistics[code]
        name = names.get(code, "")
        if stats.score is None:
            lines.append(f"{code:<42} {SUPPRESSED!s:>5}  {name}")
            continue
        s = stats.score
        lines.append(f"{code:<42} {s.n:>5} {s.mean:>7.2f} {s.p10:>7.2f} {s.q1:>7.2f} "
                     f"{s.median:>7.2f} {s.q3:>7.2f} {s.p90:>7.2f}  {name}")
    return "\n".join(lines)


@benchmark_cli.command("show")
@click.option("--industry", default=None, help="GB/T 4754 division, e.g. C36 (default: all).")
@click.option("--year", type=int, required=True)
@click.option("--pool", "pool_spec", default="platform", show_default=True,
              help="platform, or association:<slug>")
@click.option("--size", "size_class", default=None, help="Size class code.")
@click.option("--province", default=None, help="GB/T 2260 province code, e.g. 32.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--snapshot/--live", default=False, help="Read the snapshot when fresh.")
def show(industry: str | None, year: int, pool_spec: str, size_class: str | None,
         province: str | None, lang: str, snapshot: bool) -> None:
    """Print a cohort's statistics (never minimum or maximum; suppressed below 5)."""
    locale = "en" if lang == "en" else "zh_CN"
    if size_class and size_class_by_code(size_class) is None:
        raise click.BadParameter(f"unknown size class {size_class!r}: use large, medium, "
                                 "small or micro", param_hint="--size")
    if province and find_province(province) is None:
        raise click.BadParameter(f"unknown province code {province!r} (GB/T 2260, e.g. 32)",
                                 param_hint="--province")
    with current_app.test_request_context(), force_locale(locale):
        pool = _pool(pool_spec)
        try:
            result = cohort_statistics(pool, year, industry, size_class, province,
                                       use_snapshot=snapshot)
        except InvalidInput as invalid:
            problem = invalid.problems[0]
            raise click.BadParameter(problem.message_en if lang == "en" else
                                     problem.message_zh, param_hint="--industry") from None
        click.echo(format_table(result, lang))
        db.rollback()


@benchmark_cli.command("refresh")
@click.option("--year", type=int, default=None)
@click.option("--industry", default=None)
@click.option("--stale", is_flag=True, default=False,
              help="Only the cohorts that finalisations marked stale (the scheduled safety "
                   "net, run by hand where no worker runs).")
def refresh(year: int | None, industry: str | None, stale: bool) -> None:
    """Recompute the platform pool's snapshots (all cohorts, one year and division, or the
    cohorts marked stale)."""
    if stale:
        runs = refresh_queue.drain_all()
        click.echo(f"{runs} stale cohorts refreshed; {_pending()} marks still waiting")
        return
    with db.commit_scope():
        division = find_industry(industry).code if industry else None
        written = snapshots.refresh(year, division) if year else snapshots.refresh_all()
    click.echo(f"{written} snapshot rows written")


def _pending() -> int:
    with system_scope(db.session, "benchmark snapshot refresh: count marks"):
        count = refresh_queue.pending()
    db.rollback()
    return count


def register(app: Flask) -> None:
    app.cli.add_command(benchmark_cli)
