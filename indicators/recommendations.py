"""Recommendations from an evaluation: the guide's measures, catalogue technologies, equipment.

Ranking, in order:
1. Indicators with a numeric score below ``threshold`` (default 80, the floor of level 5
   引领级: a leading indicator needs no advice) are taken weakest first; ties go to the
   heavier dimension (a point lost there costs more overall), then to the contract's order.
2. For each such indicator, the measures that improve it (the `measures` of the indicator in
   the evaluation's framework; texts from measures.yaml): those addressed to
   the enterprise before those addressed to its ecosystem; measures addressed only to the
   authorities are never recommended to an enterprise.
3. When the indicator is green.energy_intensity or green.carbon_intensity, catalogue
   technologies that address energy (resp. carbon) follow its measures, but only those whose
   适用范围 includes the division (``catalogue/scopes.py``): those whose scope names the
   division first, then those that fit through equipment tied to it, then general ones and
   cross-cutting equipment; within each, the division's own catalogue sectors first, then
   entries that state a quantified effect, then catalogue order. Energy weakness also brings
   high-efficiency equipment categories that apply to the division.
An item motivated by several indicators appears once, at its first (most urgent) place, and
its reason names every indicator that called for it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from indicators.catalogue.contract import CARBON_INDICATOR, ENERGY_INDICATOR, INDICATORS
from indicators.catalogue.industries import division as find_division_or_fail
from indicators.catalogue.industries import list_divisions
from indicators.catalogue.loader import load_catalogue
from indicators.catalogue.model import SEED, Division, EquipmentCategory, Measure, Technology
from indicators.catalogue.scopes import Scope, load_scopes
from indicators.framework.loader import DEFAULT_FRAMEWORK, shipped_framework
from indicators.framework.model import Framework
from indicators.problems import InvalidFramework, InvalidInput, Problem

DEFAULT_THRESHOLD = 80.0
# Per weak energy/carbon indicator: enough to show the best-matching options without letting
# 173 technologies crowd out the guide's measures for the other weak indicators.
TECHNOLOGIES_PER_INDICATOR = 3
EQUIPMENT_PER_INDICATOR = 2

_AUDIENCE_ORDER = {"enterprise": 0, "ecosystem": 1}
# Carriers burnt on site: when they dominate energy use, boilers matter more than motors.
_FUELS = frozenset(
    {"raw_coal", "coke", "crude_oil", "fuel_oil", "gasoline", "diesel", "lpg", "natural_gas"}
)
_FRAMEWORK_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class HasContract(Protocol):
    def to_contract(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True, slots=True)
class Motive:
    """One weak indicator that called for a recommendation."""

    indicator: str
    score: float

    def text_zh(self) -> str:
        return f"「{INDICATORS[self.indicator][0]}」较弱（得分 {self.score:g}）"

    def text_en(self) -> str:
        return f"weak '{INDICATORS[self.indicator][1]}' (score {self.score:g})"


@dataclass(frozen=True, slots=True)
class Recommendation:
    kind: str  # "measure" | "technology" | "equipment"
    ref: str  # measure-05, steel-02, motors
    title_zh: str
    title_en: str
    summary_zh: str
    summary_en: str
    reason_zh: str
    reason_en: str
    priority: int  # 1 = first
    source_lines: tuple[int, int]
    motives: tuple[Motive, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "ref": self.ref,
            "priority": self.priority,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "summary_zh": self.summary_zh,
            "summary_en": self.summary_en,
            "reason_zh": self.reason_zh,
            "reason_en": self.reason_en,
            "indicators": [{"code": m.indicator, "score": m.score} for m in self.motives],
            "source": {"file": SEED, "lines": list(self.source_lines)},
        }


def recommend(
    evaluation: HasContract | Mapping[str, Any],
    industry: str,
    *,
    limit: int = 10,
    threshold: float = DEFAULT_THRESHOLD,
    dimension_weights: Mapping[str, float] | None = None,
    facilities: tuple[str, ...] = (),
) -> list[Recommendation]:
    """Up to ``limit`` recommendations for an evaluated enterprise of division ``industry``.

    ``evaluation`` is the contract's evaluate output, or any object with ``to_contract()``
    returning it. The measures that improve each indicator, and the dimension weights that
    break score ties unless ``dimension_weights`` is given, come from the evaluation's
    framework: an ``Evaluation``'s own, else the one the contract names (``framework.id`` and
    ``version``; the default framework when it names none). ``facilities`` names what the
    enterprise runs beyond its production (``data_centre``, ``base_station``), which brings
    the technologies made for them.
    Raises InvalidInput (keys ``industry``, ``limit``, ``evaluation``,
    ``evaluation.framework``) on bad arguments.
    """
    contract = evaluation.to_contract() if hasattr(evaluation, "to_contract") else evaluation
    problems: list[Problem] = []
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        problems.append(
            Problem(
                "limit",
                "invalid_limit",
                f"推荐条数必须是正整数，收到 {limit!r}",
                f"limit must be a positive whole number, got {limit!r}",
            )
        )
    indicators = contract.get("indicators") if isinstance(contract, Mapping) else None
    if not isinstance(indicators, Mapping):
        problems.append(
            Problem(
                "evaluation",
                "invalid_evaluation",
                "评价结果必须包含 indicators 对象（evaluate 命令的输出）",
                "the evaluation must contain an 'indicators' object (the evaluate output)",
            )
        )
    try:
        div = find_division_or_fail(industry)
    except InvalidInput as exc:
        problems.extend(exc.problems)
    framework = _framework_of(evaluation, contract, problems)
    if problems:
        raise InvalidInput(problems)
    assert isinstance(contract, Mapping) and isinstance(indicators, Mapping)
    assert framework is not None

    weights = (
        dict(dimension_weights)
        if dimension_weights is not None
        else {d.code: d.weight for d in framework.dimensions}
    )
    weak = _weak_indicators(indicators, threshold, weights)
    plan = _Plan()
    for motive in weak:
        found = framework.indicators.get(motive.indicator)
        for measure in _measures_for(found.measures if found else ()):
            plan.add(motive, _measure_item(measure))
        if motive.indicator in (ENERGY_INDICATOR, CARBON_INDICATOR):
            for tech in _technologies_for(motive.indicator, div, facilities):
                plan.add(motive, _technology_item(tech, div))
        if motive.indicator == ENERGY_INDICATOR:
            for cat in _equipment_for(div, contract.get("energy")):
                plan.add(motive, _equipment_item(cat, div))
    return plan.result(limit)


# --- ranking ---------------------------------------------------------------------------


def _score(entry: Any) -> float | None:
    if not isinstance(entry, Mapping):
        return None
    score = entry.get("score")
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        return None
    # missing / not_computable / not_applicable indicators carry no score to act on
    if entry.get("status", "ok") != "ok":
        return None
    return float(score)


def _weak_indicators(
    indicators: Mapping[str, Any], threshold: float, weights: Mapping[str, float]
) -> list[Motive]:
    order = {code: i for i, code in enumerate(INDICATORS)}
    weak: list[Motive] = []
    for code, entry in indicators.items():
        score = _score(entry)
        if code in INDICATORS and score is not None and score < threshold:
            weak.append(Motive(code, score))

    def key(m: Motive) -> tuple[float, float, int]:
        weight = weights.get(m.indicator.split(".", 1)[0], 0.0)
        return (m.score, -weight, order[m.indicator])

    return sorted(weak, key=key)


def _measures_for(numbers: tuple[int, ...]) -> list[Measure]:
    catalogue = load_catalogue()
    found = [
        m
        for m in (catalogue.measure(n) for n in numbers)
        if m.audience in _AUDIENCE_ORDER  # authorities' measures are not the enterprise's to act on
    ]
    return sorted(found, key=lambda m: (_AUDIENCE_ORDER[m.audience], m.number))


def _technologies_for(
    indicator: str, div: Division, facilities: tuple[str, ...] = ()
) -> list[Technology]:
    """The technologies for a weak energy (carbon) indicator whose scope includes ``div``."""
    wanted = (
        Technology.addresses_energy
        if indicator == ENERGY_INDICATOR
        else Technology.addresses_carbon
    )
    scopes = load_scopes()
    found = []
    for index, tech in enumerate(load_catalogue().technologies):
        scope = scopes.of(tech.id)
        if wanted(tech) and scope.applies_to(div.code, facilities):
            own_sector = tech.sector.code in div.sectors
            found.append(
                (_fit_rank(scope, div.code, facilities), not own_sector,
                 tech.effect_zh is None, index, tech)
            )
    found.sort(key=lambda entry: entry[:4])
    return [entry[4] for entry in found[:TECHNOLOGIES_PER_INDICATOR]]


def _fit_rank(scope: Scope, division: str, facilities: tuple[str, ...] = ()) -> int:
    """0: the scope names the division; 1: equipment tied to it or a facility the enterprise
    runs; 2: general or cross-cutting."""
    if scope.names_division(division):
        return 0
    if any(
        (e.divisions is not None and division in e.divisions) or e.code in facilities
        for e in scope.equipment
    ):
        return 1
    return 2


def _equipment_for(div: Division, energy: Any) -> list[EquipmentCategory]:
    found = [e for e in load_catalogue().equipment if e.applies_to_division(div.code)]
    boilers_first = _fuel_share(energy) > 0.5

    def key(e: EquipmentCategory) -> tuple[int, int, int]:
        specific = 0 if "*" not in e.applies_to else 1  # made for this kind of industry
        boiler = 0 if (boilers_first and e.id == "boilers") else 1
        return (specific, boiler, found.index(e))

    return sorted(found, key=key)[:EQUIPMENT_PER_INDICATOR]


def _fuel_share(energy: Any) -> float:
    """Share of on-site fuels in total energy (tce), from the evaluation's by_carrier."""
    by_carrier = energy.get("by_carrier") if isinstance(energy, Mapping) else None
    if not isinstance(by_carrier, Mapping):
        return 0.0
    values = {
        k: float(v)
        for k, v in by_carrier.items()
        if isinstance(v, int | float) and not isinstance(v, bool) and v > 0
    }
    total = sum(values.values())
    return sum(v for k, v in values.items() if k in _FUELS) / total if total else 0.0


def _framework_of(
    evaluation: Any, contract: Any, problems: list[Problem]
) -> Framework | None:
    """The evaluation's framework: its own object, else the one its contract names."""
    own = getattr(evaluation, "framework", None)
    if isinstance(own, Framework):
        return own
    ref = contract.get("framework") if isinstance(contract, Mapping) else None
    fid, version = (ref.get("id"), ref.get("version")) if isinstance(ref, Mapping) else (ref, None)
    if fid is None:
        return shipped_framework(DEFAULT_FRAMEWORK, None)
    # Only ids of shipped frameworks: a contract is data and must not name a file to read.
    if (
        isinstance(fid, str)
        and _FRAMEWORK_ID.match(fid)
        and (version is None or isinstance(version, str))
    ):
        try:
            return shipped_framework(fid, version)
        except InvalidFramework:
            pass
    problems.append(
        Problem(
            "evaluation.framework",
            "unknown_framework",
            f"未知的框架：{fid!r} {version or ''}".rstrip(),
            f"unknown framework: {fid!r} {version or ''}".rstrip(),
        )
    )
    return None


# --- items -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Item:
    kind: str
    ref: str
    title_zh: str
    title_en: str
    summary_zh: str
    summary_en: str
    fit_zh: str  # why this item fits the enterprise beyond the indicator (may be empty)
    fit_en: str
    lines: tuple[int, int]


class _Plan:
    """Items in first-motivated order, each with every indicator that motivated it."""

    def __init__(self) -> None:
        self._items: dict[str, _Item] = {}
        self._motives: dict[str, list[Motive]] = {}

    def add(self, motive: Motive, item: _Item) -> None:
        self._items.setdefault(item.ref, item)
        motives = self._motives.setdefault(item.ref, [])
        if motive not in motives:
            motives.append(motive)

    def result(self, limit: int) -> list[Recommendation]:
        out: list[Recommendation] = []
        for priority, (ref, item) in enumerate(list(self._items.items())[:limit], start=1):
            motives = tuple(self._motives[ref])
            reason_zh = "针对" + "；".join(m.text_zh() for m in motives)
            reason_en = "Improves " + "; ".join(m.text_en() for m in motives)
            if item.fit_zh:
                reason_zh += "。" + item.fit_zh
                reason_en += ". " + item.fit_en
            out.append(
                Recommendation(
                    kind=item.kind,
                    ref=ref,
                    title_zh=item.title_zh,
                    title_en=item.title_en,
                    summary_zh=item.summary_zh,
                    summary_en=item.summary_en,
                    reason_zh=reason_zh + "。",
                    reason_en=reason_en + ".",
                    priority=priority,
                    source_lines=item.lines,
                    motives=motives,
                )
            )
        return out


def _measure_item(m: Measure) -> _Item:
    return _Item(
        kind="measure",
        ref=m.id,
        title_zh=f"（{m.numeral}）{m.title_zh}",
        title_en=f"Measure {m.number}: {m.title_en}",
        summary_zh=m.summary_zh,
        summary_en=m.summary_en,
        fit_zh="",
        fit_en="",
        lines=m.lines,
    )


def _technology_item(t: Technology, div: Division) -> _Item:
    scope = load_scopes().of(t.id)
    scope_en = scope.text_en({d.code: d.name_en for d in list_divisions()})
    rank = _fit_rank(scope, div.code)
    if rank == 0:
        fit_zh = f"{t.sector.name_zh}技术，适用范围包含本行业（{div.name_zh}）"
        fit_en = f"a {t.sector.name_en} technology whose scope names {div.name_en}"
    elif rank == 1:
        names = "、".join(e.name_zh for e in scope.equipment)
        fit_zh = f"适用于本行业（{div.name_zh}）使用的{names}"
        fit_en = (f"its scope names {', '.join(e.name_en for e in scope.equipment)}, "
                  f"used in {div.name_en}")
    elif scope.general:
        fit_zh = "适用范围不限行业"
        fit_en = "its scope covers every industry"
    else:
        names = "、".join(e.name_zh for e in scope.equipment)
        fit_zh = f"适用于各行业通用的{names}"
        fit_en = f"its scope names equipment found in every industry ({scope_en})"
    summary_zh = t.summary_zh + (f"效果：{t.effect_zh}" if t.effect_zh else "") + t.applies_to_zh
    return _Item(
        kind="technology",
        ref=t.id,
        title_zh=t.name_zh,
        title_en=t.name_en,
        summary_zh=summary_zh,
        summary_en=(
            f"{t.name_en}: listed under {t.sector.name_en} in the 2024 national catalogue of "
            f"recommended energy-saving and carbon-reduction technologies. Scope: {scope_en}."
        ),
        fit_zh=fit_zh,
        fit_en=fit_en,
        lines=t.lines,
    )


def _equipment_item(e: EquipmentCategory, div: Division) -> _Item:
    return _Item(
        kind="equipment",
        ref=e.id,
        title_zh=f"高效节能{e.name_zh}",
        title_en=f"High-efficiency {e.name_en.lower()}",
        summary_zh=f"{e.description_zh}2024年推荐目录列出 {e.models_listed} 个型号。",
        summary_en=(
            f"{e.description_en} The 2024 catalogue lists {e.models_listed} models, "
            "all better than energy-efficiency grade 1."
        ),
        fit_zh=f"适用于{div.name_zh}",
        fit_en=f"relevant to {div.name_en}",
        lines=e.lines,
    )
