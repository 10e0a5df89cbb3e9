"""evaluate(document) -> Evaluation: validation, formulas, scores, aggregation.

A framework is compiled once into a Plan (closures and tuples); each evaluation then runs
straight through it without copying the framework.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from indicators.catalogue.industries import find_division
from indicators.evaluation import energy_link
from indicators.evaluation.calibration import Calibration, ScoredAgainst, load_calibration
from indicators.evaluation.formulas import Compute, compile_indicator
from indicators.evaluation.relative import percentile_score
from indicators.evaluation.result import (
    DimensionResult,
    Evaluation,
    IndicatorResult,
    OverallResult,
)
from indicators.evaluation.scoring import band_score
from indicators.evaluation.validate import (
    DocumentChecker,
    check_cohorts,
    depth_problem,
    problem,
)
from indicators.framework.loader import DEFAULT_FRAMEWORK, load_framework
from indicators.framework.model import Framework, Indicator
from indicators.problems import InvalidFramework, InvalidInput, Problem

DECLARED_NA = ("企业声明不适用", "declared not applicable by the enterprise")
SCORE_DECIMALS = 1
COVERAGE_DECIMALS = 2


@dataclass(frozen=True, slots=True)
class CompiledIndicator:
    ind: Indicator
    compute: Compute
    band_values: tuple[float, ...]
    framework_na: tuple[str, str] | None
    # Copied out of `ind` so the per-document loop reads slots, not properties.
    code: str
    qualitative: bool
    weight: float
    overall_weight: float
    # The input whose value may come from the energy list (first numerator), else None.
    derivable: str | None


@dataclass(frozen=True)
class Plan:
    framework: Framework
    checker: DocumentChecker
    indicators: tuple[CompiledIndicator, ...]
    dimensions: tuple[tuple[str, float, tuple[int, ...]], ...]  # code, weight, indices
    # Each indicator's share of the whole framework (dimension weight × its share within
    # the dimension), used for overall coverage.
    overall_weights: tuple[float, ...]
    units: dict[str, str]
    # framework.level_for, unrolled for the per-indicator loop: bounds and their levels.
    level_bounds: tuple[float, ...]
    level_of_bound: tuple[int, ...]


@functools.lru_cache(maxsize=32)
def plan_for(framework: Framework) -> Plan:
    compiled: list[CompiledIndicator] = []
    dims = []
    overall_weights: list[float] = []
    for dim in framework.dimensions:
        indices = []
        in_use = sum(i.weight for i in dim.indicators if i.applicable) or 1.0
        for ind in dim.indicators:
            indices.append(len(compiled))
            na = None
            if not ind.applicable:
                na = (
                    f"框架 {framework.id} {framework.version} 已停用该指标",
                    f"switched off in framework {framework.id} {framework.version}",
                )
            overall_weight = dim.weight * ind.weight / in_use if ind.applicable else 0.0
            compiled.append(
                CompiledIndicator(
                    ind, compile_indicator(framework, ind), tuple(b[0] for b in ind.bands), na,
                    ind.code, ind.qualitative, ind.weight, overall_weight,
                    ind.formula.numerator[0] if ind.formula.numerator else None,
                )
            )
            overall_weights.append(overall_weight)
        dims.append((dim.code, dim.weight, tuple(indices)))
    return Plan(
        framework,
        DocumentChecker(framework),
        tuple(compiled),
        tuple(dims),
        tuple(overall_weights),
        {c.ind.code: c.ind.unit for c in compiled},
        tuple(lowest for lowest, _ in framework.level_from_score),
        tuple(level for _, level in framework.level_from_score),
    )


# Shipped frameworks by id: they do not change while the process runs, so an id is
# resolved once instead of scanning the data directory on every evaluation.
_BY_ID: dict[str, Framework] = {}


def _by_id(framework_id: str) -> Framework:
    found = _BY_ID.get(framework_id)
    if found is None:
        found = _BY_ID[framework_id] = load_framework(framework_id)
    return found


def resolve_framework(document: Any, framework: Framework | str | None) -> Framework:
    if isinstance(framework, Framework):
        return framework
    if framework is None and isinstance(document, dict) and isinstance(
        document.get("framework"), str
    ):
        try:
            return _by_id(document["framework"])
        except InvalidFramework:
            raise InvalidInput(
                [problem("framework", "unknown_framework", "未知的框架", "unknown framework")]
            ) from None
    if framework is None:
        return _by_id(DEFAULT_FRAMEWORK)
    return load_framework(framework)


def evaluate(
    document: Any,
    framework: Framework | str | None = None,
    cohorts: dict[str, list[float]] | None = None,
    calibration: Calibration | None = None,
) -> Evaluation:
    """Evaluate one input document (see the indicator contract).

    ``framework`` overrides the document's own ``framework`` id (re-scoring under another
    version or a derived framework). ``cohorts`` maps indicator codes to peer values for
    relative scoring; for an industry-calibrated indicator they are the enterprise's
    industry cohort. ``calibration`` replaces the packaged industry calibration (tests,
    tools). Raises InvalidInput with every problem found.
    """
    fw = resolve_framework(document, framework)
    plan = plan_for(fw)
    # Validation never walks a nested value (messages quote containers by type and length),
    # so the depth is only looked at when something is wrong: a valid document is shallow.
    problems, values = plan.checker.check(document)
    cohort_problems, clean_cohorts = check_cohorts(fw, cohorts)
    problems += cohort_problems
    industry = None
    if isinstance(document, dict) and document.get("industry") is not None:
        industry, industry_problem = _check_industry(document["industry"])
        if industry_problem is not None:
            problems.append(industry_problem)
    if isinstance(document, dict):
        problems += energy_link.validate_energy_part(document)
    if problems:
        too_deep = depth_problem(document)
        raise InvalidInput(problems if too_deep is None else [too_deep, *problems])
    energy = emissions = energy_result = None
    derived_from_energy: set[str] = set()
    # The totals the document gave directly (the plausibility checks word their warnings so).
    given: set[str] = {k for k in ("energy_tce", "emissions_tco2e") if k in values}
    if energy_link.has_energy_part(document):
        energy_result = energy_link.calculate(document)
        energy = energy_result.energy_contract()
        emissions = energy_result.emissions_contract()
        # A total given next to a list that computes it is refused by validation unless
        # options.totals says which stands; the computed totals stand in where none was given.
        totals = (document.get("options") or {}).get("totals")
        if document.get("energy") and ("energy_tce" not in values or totals == "computed"):
            values["energy_tce"] = energy_result.total_tce
            derived_from_energy.add("energy_tce")
            given.discard("energy_tce")
        elif "energy_tce" in values:
            # The given figure stands everywhere, so the output never contradicts itself.
            energy["total_tce"] = float(values["energy_tce"])
        if "emissions_tco2e" not in values or totals == "computed":
            values["emissions_tco2e"] = energy_result.total_tco2e
            derived_from_energy.add("emissions_tco2e")
            given.discard("emissions_tco2e")
        else:
            emissions["total_tco2e"] = float(values["emissions_tco2e"])
    declared = frozenset(document.get("not_applicable") or ())
    context = _Context(industry, calibration)
    results = {}
    for item in plan.indicators:
        results[item.code] = _score_indicator(
            fw, plan, item, values, declared, clean_cohorts, derived_from_energy, context
        )
    dimensions, overall = aggregate(plan, results)
    warnings = energy_link.plausibility_warnings(document, values, given, energy_result)
    return Evaluation(
        framework=fw,
        indicators=results,
        dimensions=dimensions,
        overall=overall,
        inputs=values,
        document=document,
        energy=energy,
        emissions=emissions,
        energy_result=energy_result,
        cohorts=clean_cohorts,
        units=plan.units,
        warnings=warnings,
    )


def _check_industry(given: Any) -> tuple[str | None, Problem | None]:
    """The document's ``industry``: a GB/T 4754 manufacturing division (C13-C43)."""
    found = find_division(given) if isinstance(given, str) else None
    if found is None:
        return None, problem(
            "industry", "unknown_industry",
            f"未知的行业代码 {given!r}：请使用 GB/T 4754-2017 制造业大类代码 C13-C43（如 C31）",
            f"unknown industry code {given!r}: use a GB/T 4754-2017 manufacturing division, "
            "C13-C43 (for example C31)",
        )
    return found.code, None


@dataclass(slots=True)
class _Context:
    """Per-document facts the version-2 scoring needs beside the inputs."""

    industry: str | None
    calibration: Calibration | None

    def bands(self, series: str) -> tuple[tuple[tuple[float, float], ...], ScoredAgainst]:
        calibration = self.calibration or load_calibration()
        return calibration.bands_for(series, self.industry)

    def division_is_cited(self, series: str) -> bool:
        calibration = self.calibration or load_calibration()
        return calibration.division_is_cited(series, self.industry)


def rescore(document: Any, framework: Framework | str, version: str | None = None) -> Evaluation:
    """Evaluate stored inputs again under another framework id, version or derived file."""
    fw = framework if isinstance(framework, Framework) else load_framework(framework, version)
    return evaluate(document, framework=fw)


def _details(ind: Indicator, values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, source in ind.details:
        given = values.get(source)
        out[name] = float(given) if type(given) is Decimal else given
    return out


def _mean_with_undisclosed_as_zero(
    ind: Indicator, values: dict[str, Any], details: dict[str, Any]
) -> float:
    """The figure a version-2 footprint is scored on: every share counts, an undisclosed
    one as 0, so that disclosing a share (any value >= 0) never lowers the score."""
    names = ind.formula.inputs
    given = [float(values[n]) for n in names if values.get(n) is not None]
    undisclosed = [n for n in names if values.get(n) is None]
    scored = sum(given) / len(names)
    details["scored_value"] = scored
    details["undisclosed"] = undisclosed
    return scored


def _score_indicator(
    fw: Framework,
    plan: Plan,
    item: CompiledIndicator,
    values: dict[str, Any],
    declared: frozenset[str],
    cohorts: dict[str, tuple[float, ...]],
    derived: set[str],
    context: _Context | None = None,
) -> IndicatorResult:
    ind = item.ind
    details = _details(ind, values) if ind.details else {}
    if item.framework_na is not None or item.code in declared:
        return IndicatorResult(
            item.code, "not_applicable", details=details, reason=item.framework_na or DECLARED_NA
        )
    status, value, reason = item.compute(values)
    if status != "ok":
        return IndicatorResult(item.code, status, details=details, reason=reason)
    assert value is not None  # an ok outcome always has a value
    result = IndicatorResult(item.code, "ok", value, details=details)
    if derived and item.derivable in derived:
        result.source = "energy"
    if item.qualitative:
        raw = fw.level_scores[int(value)]
        result.method = "level"
    else:
        cohort = cohorts.get(item.code) if cohorts else None
        scored = float(value)
        bands, band_values = ind.bands, item.band_values
        against: ScoredAgainst | None = None
        if ind.undisclosed_as_zero:
            scored = _mean_with_undisclosed_as_zero(ind, values, details)
        if ind.companion is not None and values.get(ind.companion.input) is None:
            name = fw.inputs[ind.companion.input]
            return IndicatorResult(
                item.code, "missing", details=details,
                reason=(f"缺少输入：{ind.companion.input}（{name.name_zh}）",
                        f"inputs missing: {ind.companion.input} ({name.name_en})"),
            )
        if ind.industry_bands is not None and context is not None:
            if not context.division_is_cited(ind.industry_bands) and cohort is not None \
                    and len(cohort) >= fw.min_cohort_size:
                # The caller's cohort is the enterprise's industry cohort.
                division = find_division(context.industry) if context.industry else None
                against = ScoredAgainst(
                    "industry_cohort", division.code if division else None,
                    division.name_zh if division else "同业队列",
                    division.name_en if division else "peer cohort", cohort_size=len(cohort),
                )
            else:
                cohort = None  # cited bands win over a cohort; a small cohort is not used
                bands, against = context.bands(ind.industry_bands)
                band_values = tuple(b[0] for b in bands)
            details["scored_against"] = against.as_dict()
            result.note = against.note()
        if cohort is not None and len(cohort) >= fw.min_cohort_size:
            raw = percentile_score(ind, scored, cohort)
            result.method = "relative"
            result.percentile_of = len(cohort)
        else:
            raw, result.segment = band_score(bands, band_values, scored)
            result.method = "bands"
            if bands is not ind.bands:
                result.bands = bands
            if (ind.relative or cohort is not None) and against is None:
                size = 0 if cohort is None else len(cohort)
                result.note = (
                    f"无足够的行业队列（{size} 个，至少 {fw.min_cohort_size} 个），按绝对刻度评分",
                    f"no usable industry cohort ({size} values, at least "
                    f"{fw.min_cohort_size} needed); scored on the absolute bands",
                )
        if scored != float(value):
            result.scored_value = scored
        if ind.companion is not None:
            companion = ind.companion
            given = float(values[companion.input])
            other, _ = band_score(companion.bands, tuple(b[0] for b in companion.bands), given)
            result.companion_score = other
            raw = (1 - companion.share) * raw + companion.share * other
        result.band_score = raw
        if ind.penalty is not None:
            count = values.get(ind.penalty.input) or 0
            result.penalty_points = min(count * ind.penalty.points_each, ind.penalty.max_points)
            raw = max(0.0, raw - result.penalty_points)
    score = round(raw, SCORE_DECIMALS)
    result.score = score
    # = fw.level_for(score), without the method call and property look-up.
    result.level = plan.level_of_bound[max(bisect_right(plan.level_bounds, score) - 1, 0)]
    return result


def aggregate(
    plan: Plan, results: dict[str, IndicatorResult]
) -> tuple[dict[str, DimensionResult], OverallResult]:
    """Weighted means over the ok indicators; coverage over the applicable ones."""
    fw = plan.framework
    dims: dict[str, DimensionResult] = {}
    ok_overall = applicable_overall = 0.0
    compiled = plan.indicators
    for code, weight, indices in plan.dimensions:
        ok_weight = applicable_weight = weighted = 0.0
        oks = []
        for index in indices:
            item = compiled[index]
            r = results[item.code]
            status = r.status
            if status == "not_applicable":
                continue
            w = item.weight
            applicable_weight += w
            applicable_overall += item.overall_weight
            if status == "ok":
                score = r.score or 0.0
                ok_weight += w
                weighted += w * score
                ok_overall += item.overall_weight
                oks.append((r, w, score))
        if ok_weight:
            exact = weighted / ok_weight
            for r, w, score in oks:
                r.weight_share = w / ok_weight
                r.contribution = r.weight_share * score
            score = round(exact, SCORE_DECIMALS)
            dims[code] = DimensionResult(
                code, score, fw.level_for(score),
                round(ok_weight / applicable_weight, COVERAGE_DECIMALS), weight,
                exact_score=exact,
            )
        else:
            coverage = 0.0 if applicable_weight else None
            dims[code] = DimensionResult(code, None, None, coverage, weight)
    scored_weight = sum(d.weight for d in dims.values() if d.score is not None)
    overall_score = None
    if scored_weight:
        total = 0.0
        for d in dims.values():
            if d.score is not None:
                d.weight_share = d.weight / scored_weight
                d.contribution = d.weight_share * d.score
                total += d.contribution
        overall_score = round(total, SCORE_DECIMALS)
    coverage = (
        round(ok_overall / applicable_overall, COVERAGE_DECIMALS) if applicable_overall else None
    )
    level = fw.level_for(overall_score) if overall_score is not None else None
    return dims, OverallResult(overall_score, level, coverage)
