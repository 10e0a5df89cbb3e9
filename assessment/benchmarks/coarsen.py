"""Breakdowns that coarsen instead of suppressing.

A breakdown of a cohort's overall score by industry, size or province would print a
"fewer than 5" row for every small group: with a few dozen members spread over 31 divisions
and 31 provinces, that is most rows. Instead, a group with fewer than the anonymity minimum
is combined with the others of its next coarser group, and the row says what it combines:

- industry: GB/T 4754 division (C36) → benchmark industry group (装备制造) → all manufacturing;
- province: province → region (华东, from the GB/T 2260 code's first digit) → the whole country;
- size class: class → large and medium / small and micro → every size.

Each figure counts in exactly one row, and every row holds at least
:data:`~assessment.benchmarks.cohorts.ANONYMITY_MIN_COHORT` figures: the anonymity rule
(:mod:`assessment.benchmarks.anonymity`) is kept. Figures that stay below the minimum even
at the coarsest level are in no row; the breakdown says how many.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from assessment.benchmarks.cohorts import ANONYMITY_MIN_COHORT
from assessment.profiles.rules import province as find_province
from assessment.profiles.rules import region_of, regions, size_class_by_code
from indicators.catalogue.industries import find_division, list_groups

ALL = "*"
PARTS_NAMED = 6  # a combined row names at most this many of the groups it holds


@dataclass(frozen=True)
class Cohort:
    """The grouping attributes of one figure: division, size class, province codes."""

    division: str
    size_class: str
    province: str


Keyer = Callable[[Cohort], str]
Labeller = Callable[[str, str], str]  # (key, lang) -> words


@dataclass(frozen=True)
class Level:
    key: Keyer
    label: Labeller


@dataclass(frozen=True)
class Cell:
    key: str
    label: str  # in words; a combined cell names what it holds
    level: int  # 0: the finest grouping
    values: list[float]
    parts: tuple[str, ...] = ()  # the finest groups a combined cell holds

    @property
    def combined(self) -> bool:
        return self.level > 0


@dataclass(frozen=True)
class Coarsened:
    cells: list[Cell]
    left_out: int  # figures in groups too small even at the coarsest level

    @property
    def coarsened(self) -> bool:
        return any(cell.combined for cell in self.cells)


def _pick(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _division_label(code: str, lang: str) -> str:
    found = find_division(code)
    return _pick(lang, found.name_zh, found.name_en) if found else str(_l("Unknown industry"))


def _group_key(cohort: Cohort) -> str:
    found = find_division(cohort.division)
    return found.group.code if found else ALL


def _group_label(code: str, lang: str) -> str:
    found = next((g for g in list_groups() if g.code == code), None)
    return _pick(lang, found.name_zh, found.name_en) if found else str(_l("Manufacturing"))


def _size_label(code: str, lang: str) -> str:
    found = size_class_by_code(code)
    return _pick(lang, found.name_zh, found.name_en) if found else str(_l("Unknown size"))


_SIZE_PAIRS = {"large": "large_medium", "medium": "large_medium",
               "small": "small_micro", "micro": "small_micro"}
_SIZE_PAIR_LABELS = {"large_medium": _l("Large and medium"),
                     "small_micro": _l("Small and micro")}


def _province_label(code: str, lang: str) -> str:
    found = find_province(code)
    return found.name(lang) if found else str(_l("Unknown province"))


def _region_key(cohort: Cohort) -> str:
    found = region_of(cohort.province)
    return found.code if found else ALL


def _region_label(code: str, lang: str) -> str:
    found = next((r for r in regions() if r.code == code), None)
    return found.name(lang) if found else str(_l("Other regions"))


def _everything(_cohort: Cohort) -> str:
    return ALL


HIERARCHIES: dict[str, tuple[Level, ...]] = {
    "industry": (
        Level(lambda c: c.division, _division_label),
        Level(_group_key, _group_label),
        Level(_everything, lambda _k, _lang: str(_l("Other manufacturing industries"))),
    ),
    "size": (
        Level(lambda c: c.size_class, _size_label),
        Level(lambda c: _SIZE_PAIRS.get(c.size_class, ALL),
              lambda k, _lang: str(_SIZE_PAIR_LABELS.get(k, _l("Other sizes")))),
        Level(_everything, lambda _k, _lang: str(_l("Other sizes"))),
    ),
    "province": (
        Level(lambda c: c.province, _province_label),
        Level(_region_key, _region_label),
        Level(_everything, lambda _k, _lang: str(_l("Other regions"))),
    ),
}

NOTES = {
    "industry": _l("Industries with fewer than %(minimum)d finalised members are combined "
                   "with the others of their industry group, or of all manufacturing; each "
                   "combined row names what it holds.", minimum=ANONYMITY_MIN_COHORT),
    "size": _l("Size classes with fewer than %(minimum)d finalised members are combined "
               "(large with medium, small with micro, or all sizes); each combined row names "
               "what it holds.", minimum=ANONYMITY_MIN_COHORT),
    "province": _l("Provinces with fewer than %(minimum)d finalised members are combined "
                   "with the others of their region, or of the whole country; each combined "
                   "row names what it holds.", minimum=ANONYMITY_MIN_COHORT),
}


def left_out_note(count: int) -> str:
    return str(_l("%(num)d members are in groups too small to show even combined: they count "
                  "in the totals but in no row here.", num=count))


def coarsen(items: Sequence[tuple[Cohort, float]], by: str, lang: str,
            minimum: int = ANONYMITY_MIN_COHORT) -> Coarsened:
    """Group ``items`` (a cohort and a score each) by ``by`` (industry, size, province),
    combining every group below ``minimum`` into its next coarser group."""
    levels = HIERARCHIES[by]
    finest = levels[0]
    remaining = list(items)
    cells: list[tuple[tuple[str, ...], Cell]] = []
    for depth, level in enumerate(levels):
        grouped: dict[str, list[tuple[Cohort, float]]] = {}
        for item in remaining:
            grouped.setdefault(level.key(item[0]), []).append(item)
        remaining = []
        for key, members in grouped.items():
            if len(members) < minimum:
                remaining.extend(members)
                continue
            parts: tuple[str, ...] = ()
            label = level.label(key, lang)
            if depth > 0:
                parts = tuple(sorted({finest.label(finest.key(c), lang) for c, _s in members}))
                named = ("、" if lang != "en" else ", ").join(parts[:PARTS_NAMED])
                if len(parts) > PARTS_NAMED:
                    named += str(_l(" and %(num)d more", num=len(parts) - PARTS_NAMED))
                label = str(_l("%(group)s (combined: %(parts)s)", group=label, parts=named))
            # rows sort by their place in the hierarchy: coarsest group first, finer rows
            # before the combined row of their group
            place = tuple(levels[i].key(members[0][0]) for i in range(len(levels) - 1, depth, -1))
            order = (*place, key, "~") if depth > 0 else (*place, key)
            cells.append((order, Cell(key, label, depth, [s for _c, s in members], parts)))
    cells.sort(key=lambda pair: pair[0])
    return Coarsened([cell for _order, cell in cells], len(remaining))


def cohort_of(figure: Any) -> Cohort:
    """The grouping attributes of a figure that has ``industry_division``, ``size_class``
    and ``province``."""
    return Cohort(figure.industry_division or "", figure.size_class or "",
                  figure.province or "")
