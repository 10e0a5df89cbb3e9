"""The questionnaire's pages, derived from a framework (pure: no Flask, no database).

Pages: the profile, one per dimension, and energy and carbon. Every input belongs to exactly
one page, the first where an indicator uses it, so that a page can be assigned to one
assessor and an answer has one owner; later indicators refer back to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from indicators import Framework, Indicator

PROFILE_PAGE = "profile"
ENERGY_PAGE = "energy"
# Energy-and-carbon totals may be given directly instead of through the carrier list.
ENERGY_PAGE_INPUTS = ("energy_tce", "emissions_tco2e")
# Document sections (not framework inputs) that the energy page edits as lists/objects.
ENERGY_SECTIONS = ("energy", "process_emissions", "options")


@dataclass(frozen=True)
class IndicatorFields:
    indicator: Indicator
    own_inputs: tuple[str, ...]  # inputs answered here
    shared_inputs: tuple[tuple[str, str], ...]  # (input, page it is answered on)


@dataclass(frozen=True)
class Page:
    code: str
    dimension: str | None
    indicators: tuple[IndicatorFields, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        """Answer keys owned by this page."""
        own = tuple(k for f in self.indicators for k in f.own_inputs)
        return own + (ENERGY_PAGE_INPUTS + ENERGY_SECTIONS if self.code == ENERGY_PAGE else ())

    @property
    def indicator_codes(self) -> tuple[str, ...]:
        return tuple(f.indicator.code for f in self.indicators)


def indicator_inputs(indicator: Indicator) -> tuple[str, ...]:
    """Every answer an indicator reads: formula inputs, detail inputs, penalty input."""
    names = list(indicator.formula.inputs_used(indicator.code))
    names += [source for _detail, source in indicator.details]
    if indicator.penalty is not None:
        names.append(indicator.penalty.input)
    return tuple(dict.fromkeys(names))


@cache
def pages_for(framework: Framework) -> tuple[Page, ...]:
    owner: dict[str, str] = {name: ENERGY_PAGE for name in ENERGY_PAGE_INPUTS}
    pages = [Page(PROFILE_PAGE, None, ())]
    for dimension in framework.dimensions:
        fields = []
        for indicator in dimension.indicators:
            own, shared = [], []
            for name in indicator_inputs(indicator):
                if name in owner:
                    shared.append((name, owner[name]))
                else:
                    owner[name] = dimension.code
                    own.append(name)
            fields.append(IndicatorFields(indicator, tuple(own), tuple(shared)))
        pages.append(Page(dimension.code, dimension.code, tuple(fields)))
    pages.append(Page(ENERGY_PAGE, None, ()))
    return tuple(pages)


def page(framework: Framework, code: str) -> Page | None:
    return next((p for p in pages_for(framework) if p.code == code), None)


def page_of_key(framework: Framework, key: str) -> str | None:
    for p in pages_for(framework):
        if key in p.keys:
            return p.code
    return None


def page_of_indicator(framework: Framework, code: str) -> str | None:
    for p in pages_for(framework):
        if code in p.indicator_codes:
            return p.code
    return None
