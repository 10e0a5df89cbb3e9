"""The enterprise report's later chapters: energy and carbon, the improvement roadmap, the
what-if table and the methodology appendix (pure assembly, like :mod:`.enterprise_report`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from assessment.benchmarks.anonymity import ANONYMITY_RULE
from assessment.plans import sources
from assessment.reports import formatting as fmt
from assessment.units import unit_label
from assessment.wording import formula_in_words
from indicators import Framework
from indicators.catalogue.contract import CARBON_INDICATOR, ENERGY_INDICATOR
from indicators.energy import IntensityChange, TableSource, YearOnYear, load_factor_tables
from indicators.recommendations import Recommendation

VERDICTS = {
    "meets": _l("Meets the national target"),
    "misses": _l("Misses the national target"),
    "no_target": _l("No national target applies"),
    "not_computable": _l("Not computable"),
}
KINDS = {
    "measure": _l("Measure of the guide"),
    "technology": _l("Recommended technology"),
    "equipment": _l("Efficient equipment"),
}
DIRECTIONS = {
    "higher": _l("higher is better"),
    "lower": _l("lower is better"),
    "target": _l("closest to the target is best"),
}


@dataclass(frozen=True)
class Share:
    label: str
    amount: str
    share: float  # 0-100
    share_text: str


@dataclass(frozen=True)
class IntensityRow:
    label: str
    unit: str
    previous: str
    current: str
    change: str
    target: str
    verdict: str


@dataclass(frozen=True)
class FactorUsed:
    """A factor the year's energy and emissions figures were computed with, named as a
    reader cites it: what it converts, its value, year and the document it comes from."""

    name: str
    value: str
    year: str
    source: str


@dataclass(frozen=True)
class EnergySection:
    available: bool
    total_tce: str
    previous_total_tce: str
    total_tco2e: str
    previous_total_tco2e: str
    energy_intensity: str
    carbon_intensity: str
    carriers: list[Share]
    scopes: list[Share]
    intensities: list[IntensityRow]
    factors: list[FactorUsed] = field(default_factory=list)


@dataclass(frozen=True)
class RoadmapItem:
    priority: int
    kind: str
    title: str
    summary: str
    reason: str
    gain: str
    source: str


@dataclass(frozen=True)
class WhatIfLine:
    name: str
    value: str
    value_needed: str
    next_level: str
    dimension_gain: str
    overall_gain: str


# A factor table's source, citations and version, as the energy loader reads them from the
# table's data file (indicators/data/factors/).
FactorSource = TableSource


@dataclass(frozen=True)
class FactorRow:
    """A line of the methodology's factor table: the table's name, its citation, version."""

    table: str
    source: str
    version: str


@dataclass(frozen=True)
class FormulaLine:
    dimension: str
    name: str
    formula: str
    unit: str
    direction: str
    rationale: str


@dataclass(frozen=True)
class LevelBand:
    name: str
    scores: str


@dataclass(frozen=True)
class Methodology:
    formulas: list[FormulaLine]
    levels: list[LevelBand]
    weights: list[tuple[str, str]]
    anonymity_rule: str
    factor_sources: list[FactorRow]


def _shares(amounts: Mapping[str, float], labels: Mapping[str, str], unit: str) -> list[Share]:
    total = sum(v for v in amounts.values() if v and v > 0)
    rows = []
    for key, amount in sorted(amounts.items(), key=lambda kv: -(kv[1] or 0)):
        share = (float(amount) / total * 100) if total and amount else 0.0
        rows.append(Share(labels.get(key, key), f"{fmt.number(amount, 2)} {unit}",
                          fmt.clamp_percent(share) or 0.0, fmt.percent(share)))
    return rows


def _intensity_row(change: IntensityChange, lang: str) -> IntensityRow:
    target = change.target
    target_text = fmt.DASH
    if target is not None:
        target_text = str(fmt.pick(lang, target.name_zh, target.name_en))
    label = (_l("Energy intensity") if change.metric == "energy_intensity"
             else _l("Carbon intensity"))
    return IntensityRow(str(label), change.unit, fmt.number(change.previous, 4),
                        fmt.number(change.current, 4), _signed_percent(change.change_percent),
                        target_text, str(VERDICTS.get(change.verdict, change.verdict)))


_FACTOR_KINDS = {
    "standard_coal": ("carriers", _l("%(carrier)s: conversion to standard coal")),
    "combustion": ("combustion", _l("%(carrier)s: combustion emission factor")),
    "grid": ("grid", _l("Purchased electricity: grid emission factor")),
    "heat": ("combustion", _l("Purchased heat: emission factor")),
    "gwp": ("gwp", _l("Global warming potential")),
}


def factors_used(results: Mapping[str, Any], lang: str) -> list[FactorUsed]:
    """The factors of the evaluation's ``factors`` (the engine's contract), each named by
    what it converts and cited by its table's document (the files' citation, never the
    maintainers' notes); a coefficient the enterprise stated itself is said to be so."""
    tables = load_factor_tables()
    carriers = tables.carriers
    rows = []
    for factor in results.get("factors") or []:
        ident = str(factor.get("id") or "")
        prefix, _dot, rest = ident.partition(".")
        carrier_code = str(factor.get("carrier") or rest.split(".")[0])
        carrier = carriers.get(carrier_code)
        carrier_name = (fmt.pick(lang, carrier.name_zh, carrier.name_en) if carrier
                        else str(_l("Energy carrier")))
        if prefix == "input":
            name = str(_l("Coefficient stated by the enterprise"))
            source = str(_l("Stated by the enterprise"))
        else:
            table, label = _FACTOR_KINDS.get(prefix, ("", _l("Factor")))
            name = str(label) % {"carrier": carrier_name} if "%(carrier)s" in str(label) \
                else str(label)
            found = tables.sources.get(table)
            source = fmt.pick(lang, found.citation_zh, found.citation_en) if found else fmt.DASH
        value = factor.get("value")
        rows.append(FactorUsed(
            name=name,
            value=f"{fmt.short_number(value, 4)} {factor.get('unit') or ''}".strip()
            if value is not None else fmt.DASH,
            year=str(factor.get("year") or fmt.DASH), source=source))
    return rows


def energy_section(results: Mapping[str, Any], previous: Mapping[str, Any] | None,
                   yoy: YearOnYear | None, lang: str) -> EnergySection:
    energy = results.get("energy") or {}
    emissions = results.get("emissions") or {}
    before_energy = (previous or {}).get("energy") or {}
    before_emissions = (previous or {}).get("emissions") or {}
    carriers = load_factor_tables().carriers
    names = {code: str(fmt.pick(lang, c.name_zh, c.name_en)) for code, c in carriers.items()}
    scopes = {"scope1": str(_l("Scope 1: direct emissions")),
              "scope2": str(_l("Scope 2: purchased electricity and heat")),
              "process": str(_l("Process emissions"))}
    scope_amounts = {k: float(emissions[k]) for k in scopes if emissions.get(k)}
    indicators = results.get("indicators", {})

    def intensity(code: str) -> str:
        entry = indicators.get(code, {})
        return fmt.value_with_unit(entry.get("value"), entry.get("unit", ""), 4)

    return EnergySection(
        available=bool(energy or emissions),
        total_tce=fmt.number(energy.get("total_tce"), 2),
        previous_total_tce=fmt.number(before_energy.get("total_tce"), 2),
        total_tco2e=fmt.number(emissions.get("total_tco2e"), 2),
        previous_total_tco2e=fmt.number(before_emissions.get("total_tco2e"), 2),
        energy_intensity=intensity(ENERGY_INDICATOR),
        carbon_intensity=intensity(CARBON_INDICATOR),
        carriers=_shares({k: float(v) for k, v in (energy.get("by_carrier") or {}).items()},
                         names, "tce"),
        scopes=_shares(scope_amounts, scopes, "tCO2e"),
        intensities=([] if yoy is None else
                     [_intensity_row(yoy.energy_intensity, lang),
                      _intensity_row(yoy.carbon_intensity, lang)]),
        factors=factors_used(results, lang),
    )



def recommendation_source(kind: str, ref: str, lang: str) -> str:
    """The document and section a recommendation comes from (``plans.sources``: the plan's
    actions are cited the same way), never a line number of our seed file."""
    return sources.citation(kind, ref, lang) or sources.document(kind, lang)


def roadmap(recommendations: list[Recommendation], what_if: list[dict[str, Any]],
            lang: str) -> list[RoadmapItem]:
    """The catalogue's recommendations, prioritised by the what-if gain of the indicators
    that call for them (largest overall gain first; the catalogue's own order breaks ties)."""
    gains = {w["code"]: w.get("overall_gain") for w in what_if}

    def gain_of(item: Recommendation) -> float | None:
        found = [float(g) for m in item.motives if (g := gains.get(m.indicator)) is not None]
        return max(found) if found else None

    ranked = sorted(recommendations, key=lambda r: (-(gain_of(r) or 0.0), r.priority))
    items = []
    for priority, item in enumerate(ranked, start=1):
        gain = gain_of(item)
        items.append(RoadmapItem(
            priority=priority,
            kind=str(KINDS.get(item.kind, item.kind)),
            title=fmt.pick(lang, item.title_zh, item.title_en),
            summary=fmt.pick(lang, item.summary_zh, item.summary_en),
            reason=fmt.pick(lang, item.reason_zh, item.reason_en),
            gain=fmt.signed(gain) if gain is not None else fmt.DASH,
            source=recommendation_source(item.kind, item.ref, lang),
        ))
    return items


def what_if_lines(what_if: list[dict[str, Any]], framework: Framework,
                  lang: str) -> list[WhatIfLine]:
    """The engine's what-if lines, the largest gain in the overall index first (the engine's
    order breaks ties): the report shows the first ten, so they must be the ten worth most."""
    lines = []
    ranked = sorted(what_if, key=lambda entry: -(entry.get("overall_gain") or 0.0))
    for entry in ranked:
        indicator = framework.indicator(entry["code"])
        lines.append(WhatIfLine(
            name=fmt.pick(lang, entry["name_zh"], entry["name_en"]),
            value=fmt.value_with_unit(entry.get("value"), entry.get("unit", ""),
                                      indicator.decimals),
            value_needed=fmt.value_with_unit(entry.get("value_needed"), entry.get("unit", ""),
                                             indicator.decimals),
            next_level=framework.level_name(entry["next_level"], lang),
            dimension_gain=fmt.signed(entry.get("dimension_gain")),
            overall_gain=fmt.signed(entry.get("overall_gain")),
        ))
    return lines


def _bands(indicator: Any, lang: str) -> str:
    """The scoring bands as "value → score" points (linear in between), in short."""
    if indicator.qualitative:
        return str(_l("level 1-5 → 0, 25, 50, 75, 100"))
    points = ", ".join(f"{fmt.short_number(v, indicator.decimals)}→{fmt.number(s, 0)}"
                       for v, s in indicator.bands)
    if indicator.relative:
        return str(_l("percentile in the industry cohort; without one: %(points)s",
                      points=points))
    # Framework 2.0.0 (scm-2024-2.0.0.yaml): the rules beside the bands, so that the appendix
    # never presents fallback bands as the ones every enterprise is scored on.
    if getattr(indicator, "industry_bands", None):
        return str(_l("within the enterprise's industry: its cited industry bands, else its "
                      "percentile in the industry cohort; otherwise all manufacturing: "
                      "%(points)s", points=points))
    if getattr(indicator, "undisclosed_as_zero", False):
        return str(_l("%(points)s; an undisclosed share counts as 0", points=points))
    companion = getattr(indicator, "companion", None)
    if companion is not None:
        held = ", ".join(f"{fmt.short_number(v, 0)}→{fmt.number(s, 0)}"
                         for v, s in companion.bands)
        return str(_l("half %(points)s; half trainings held: %(held)s", points=points,
                      held=held))
    return points or fmt.DASH


# A factor table as a client reads it: its name and the document it comes from. The data
# files' "source" fields also record how each figure was checked (notes for the maintainers,
# in English, naming internal files); a report cites the document only, as the files'
# "citation_zh" and "citation_en" give it.
FACTOR_TABLE_LABELS = {
    "carriers": _l("Energy conversion coefficients"),
    "combustion": _l("Fuel emission parameters"),
    "grid": _l("Electricity emission factors"),
    "gwp": _l("Global warming potentials"),
    "targets": _l("National energy and carbon targets"),
}


def _cited(source: FactorSource, lang: str) -> FactorRow:
    return FactorRow(str(FACTOR_TABLE_LABELS.get(source.table, source.table)),
                     fmt.pick(lang, source.citation_zh, source.citation_en), source.version)


def methodology(framework: Framework, factor_sources: list[FactorSource],
                lang: str) -> Methodology:
    """The appendix: the same for every report of one framework, language and factor tables
    (the renderer reuses its pages, see :mod:`assessment.reports.static_part`); the cohort
    used is in the executive summary."""
    formulas = []
    for dimension in framework.dimensions:
        for indicator in dimension.indicators:
            formulas.append(FormulaLine(
                dimension=fmt.pick(lang, dimension.name_zh, dimension.name_en),
                name=fmt.pick(lang, indicator.name_zh, indicator.name_en),
                formula=formula_in_words(framework, indicator.code, None, lang),
                unit=str(_l("level 1-5")) if indicator.unit == "1-5"
                else unit_label(indicator.unit) or fmt.DASH,
                direction=str(DIRECTIONS.get(indicator.direction, indicator.direction)),
                rationale=_bands(indicator, lang),
            ))
    bounds = list(framework.level_from_score)
    levels = []
    for n, (lowest, level) in enumerate(bounds):
        upper = bounds[n + 1][0] if n + 1 < len(bounds) else 100.0
        levels.append(LevelBand(framework.level_name(level, lang),
                                f"{fmt.number(lowest, 0)} – {fmt.number(upper, 0)}"))
    total = sum(d.weight for d in framework.dimensions) or 1.0
    weights = [(fmt.pick(lang, d.name_zh, d.name_en), fmt.percent(d.weight / total * 100, 0))
               for d in framework.dimensions]
    return Methodology(
        formulas=formulas, levels=levels, weights=weights,
        anonymity_rule=str(ANONYMITY_RULE),
        factor_sources=[_cited(source, lang) for source in factor_sources],
    )


def _signed_percent(value: Any) -> str:
    """A change as "+6.0%" or "-2.1%": a reader must see at once which way it went."""
    text = fmt.signed(value)
    return text if text == fmt.DASH else f"{text}%"
