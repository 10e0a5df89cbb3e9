"""What the benchmark services return: a cohort's statistics per code, with the anonymity
rule applied (:func:`shown`). Computed live by :mod:`.services` or read from a snapshot by
:mod:`.snapshots`, which both build them from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from assessment.benchmarks import queries
from assessment.benchmarks.anonymity import NOTHING_TO_SHOW
from assessment.benchmarks.cohorts import ANONYMITY_MIN_COHORT, Cohort
from assessment.benchmarks.stats import Distribution


def kind_of(code: str) -> str:
    if code == queries.OVERALL:
        return "overall"
    return "indicator" if "." in code else "dimension"


def shown(found: Distribution | None) -> Distribution | None:
    """The anonymity rule for one statistic: fewer than the minimum shows nothing."""
    return found if found is not None and found.n >= ANONYMITY_MIN_COHORT else None


@dataclass(frozen=True)
class CodeStatistics:
    """One code's cohort statistics; ``score`` None means suppressed (n below the minimum).
    ``value`` is the distribution of the indicator's own value, for showing the cohort's
    median value next to the enterprise's (None for dimensions and when suppressed)."""

    code: str
    kind: str
    score: Distribution | None
    value: Distribution | None = None

    @property
    def suppressed(self) -> bool:
        return self.score is None

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "kind": self.kind, "suppressed": self.suppressed,
                "score": self.score.as_dict() if self.score else None,
                "value": self.value.as_dict() if self.value else None}


@dataclass(frozen=True)
class CohortStatistics:
    pool: str
    cohort: Cohort | None  # None: nothing may be shown
    enterprises: int | None  # how many enterprises the cohort holds (None when not shown)
    statistics: dict[str, CodeStatistics] = field(default_factory=dict)
    source: str = "live"  # or "snapshot"
    computed_at: datetime | None = None

    @property
    def shown(self) -> bool:
        return self.cohort is not None

    def label(self, lang: str | None = None) -> str:
        return self.cohort.label(lang) if self.cohort else str(NOTHING_TO_SHOW)

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "pool": self.pool, "shown": self.shown, "label": self.label(lang),
            "cohort": self.cohort.key if self.cohort else None,
            "year": self.cohort.year if self.cohort else None,
            "fell_back": self.cohort.fell_back if self.cohort else None,
            "enterprises": self.enterprises, "source": self.source,
            "computed_at": self.computed_at.isoformat() if self.computed_at else None,
            "statistics": {code: s.as_dict() for code, s in self.statistics.items()},
        }
