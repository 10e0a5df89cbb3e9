"""The measured effect of a plan's actions: each target indicator's value and level in the
plan's year ("then") and in a later year ("now"), and a flag on an action marked done whose
indicators did not move.

Both sides are contract output documents (the finalised revision's stored results, or a
draft's provisional ones), so the figures are those the results pages show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assessment.plans.models import ActionStatus, PlanAction

# Values the engine publishes are rounded; a change below this is no change.
TOLERANCE = 1e-6


@dataclass(frozen=True)
class IndicatorEffect:
    code: str
    value_then: float | None
    level_then: int | None
    score_then: float | None
    value_now: float | None
    level_now: int | None
    score_now: float | None

    @property
    def comparable(self) -> bool:
        return self.value_then is not None and self.value_now is not None

    @property
    def moved(self) -> bool:
        if self.level_then != self.level_now and None not in (self.level_then, self.level_now):
            return True
        if (self.score_then is not None and self.score_now is not None
                and abs(self.score_now - self.score_then) > TOLERANCE):
            return True
        if self.value_then is None or self.value_now is None:
            return False
        return abs(self.value_now - self.value_then) > TOLERANCE

    @property
    def direction(self) -> str:
        """``better``, ``worse``, ``unchanged`` (by score, else level), or ``unknown``."""
        if self.score_then is not None and self.score_now is not None:
            delta = self.score_now - self.score_then
        elif self.level_then is not None and self.level_now is not None:
            delta = float(self.level_now - self.level_then)
        else:
            return "unknown" if not self.comparable else (
                "changed" if self.moved else "unchanged")
        if abs(delta) <= TOLERANCE:
            return "unchanged"
        return "better" if delta > 0 else "worse"


@dataclass(frozen=True)
class ActionEffect:
    action: PlanAction
    indicators: list[IndicatorEffect]

    @property
    def moved(self) -> bool:
        return any(i.moved for i in self.indicators)

    @property
    def measurable(self) -> bool:
        return any(i.comparable for i in self.indicators)

    @property
    def done_but_flat(self) -> bool:
        """Marked done, measured in both years, and not one target indicator moved."""
        return (self.action.status == ActionStatus.done and self.measurable
                and not self.moved)


def _figure(results: Mapping[str, Any], code: str) -> tuple[Any, Any, Any]:
    entry = (results.get("indicators") or {}).get(code) or {}
    if entry.get("status") not in (None, "ok"):
        return None, None, None
    value = entry.get("value")
    score = entry.get("score")
    return (float(value) if isinstance(value, int | float) else None, entry.get("level"),
            float(score) if isinstance(score, int | float) else None)


def measured_effect(actions: Sequence[PlanAction], then: Mapping[str, Any],
                    now: Mapping[str, Any]) -> list[ActionEffect]:
    """The effect of every action that targets indicators (dropped ones left out)."""
    out = []
    for item in actions:
        if item.status == ActionStatus.dropped or not item.indicator_codes:
            continue
        effects = []
        for code in item.indicator_codes:
            v0, l0, s0 = _figure(then, code)
            v1, l1, s1 = _figure(now, code)
            effects.append(IndicatorEffect(code, v0, l0, s0, v1, l1, s1))
        out.append(ActionEffect(item, effects))
    return out
