"""Which enterprises an enterprise is compared with, and the fallback when they are too few.

A cohort is one reporting year and one industry scope (a GB/T 4754 division, or its broader
benchmark group, or all manufacturing), optionally narrowed to one size class and one
province. The narrowest scope with at least :data:`ANONYMITY_MIN_COHORT` enterprises is
used and labelled; when even all manufacturing is too small, nothing is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from assessment.profiles.rules import province, size_class_by_code
from indicators.catalogue.industries import find_division
from tenants.language import reader_language

# The anonymity threshold: no statistic of fewer enterprises is ever shown. It is deliberately
# separate from the framework's ``min_cohort_size`` (the minimum for relative scoring), which
# is a scoring choice that a framework version may change; this is a published promise.
ANONYMITY_MIN_COHORT = 5


class Scope(StrEnum):
    division = "division"
    group = "group"
    manufacturing = "all"


@dataclass(frozen=True)
class CohortFilter:
    """What was asked for: the year, the enterprise's division (None: all manufacturing)
    and the optional narrowing filters."""

    year: int
    division: str | None = None
    size_class: str | None = None
    province: str | None = None

    @property
    def group(self) -> str | None:
        found = find_division(self.division) if self.division else None
        return found.group.code if found else None

    def scopes(self) -> list[Scope]:
        """The fallback chain, narrowest first."""
        if self.division is None:
            return [Scope.manufacturing]
        return [Scope.division, Scope.group, Scope.manufacturing]


@dataclass(frozen=True)
class Cohort:
    """The cohort actually used: a scope of a :class:`CohortFilter`."""

    filter: CohortFilter
    scope: Scope

    @property
    def year(self) -> int:
        return self.filter.year

    @property
    def industry_division(self) -> str | None:
        return self.filter.division if self.scope == Scope.division else None

    @property
    def industry_group(self) -> str | None:
        return self.filter.group if self.scope == Scope.group else None

    @property
    def fell_back(self) -> bool:
        return self.scope != self.filter.scopes()[0]

    @property
    def key(self) -> str:
        """A stable key for snapshots: ``division:C36``, ``group:equipment`` or ``all``."""
        if self.scope == Scope.division:
            return f"division:{self.filter.division}"
        if self.scope == Scope.group:
            return f"group:{self.filter.group}"
        return "all"

    def label(self, lang: str | None = None) -> str:
        """A readable name of the cohort, saying when it is broader than the one asked for."""
        english = lang.startswith("en") if lang else reader_language() == "en"
        division = find_division(self.filter.division) if self.filter.division else None
        if self.scope == Scope.division and division is not None:
            industry = str(_l("Industry: %(name)s",
                              name=division.name_en if english else division.name_zh))
        elif self.scope == Scope.group and division is not None:
            group = division.group
            industry = str(_l("Industry group %(name)s",
                              name=group.name_en if english else group.name_zh))
        else:
            industry = str(_l("All manufacturing"))
        parts = [industry, str(self.filter.year)]
        size = size_class_by_code(self.filter.size_class) if self.filter.size_class else None
        if size is not None:
            parts.append(str(_l("size class %(size)s",
                                size=size.name_en if english else size.name_zh)))
        place = province(self.filter.province) if self.filter.province else None
        if place is not None:
            parts.append(place.name_en if english else place.name_zh)
        text = ", ".join(parts)
        if self.fell_back:
            text += " " + str(_l("(broader cohort: too few enterprises in your industry)"))
        return text


def choose_cohort(wanted: CohortFilter, enterprises_by_scope: dict[Scope, int]) -> Cohort | None:
    """The narrowest scope with enough enterprises, or None: nothing may be shown."""
    for scope in wanted.scopes():
        if enterprises_by_scope.get(scope, 0) >= ANONYMITY_MIN_COHORT:
            return Cohort(wanted, scope)
    return None
