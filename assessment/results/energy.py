"""The energy and carbon summary of an assessment: the figures the results page shows and
the enterprise report's energy chapter prints (pure assembly; no Flask, no database, except
:func:`energy_year_on_year`, which reads the previous finalised revision).

It lives here, below the reports, so that both the results page and the report read one
set of figures (import-linter layers: ``reports`` sits above ``results``). Every figure
arrives computed by the engine (``results["energy"]``, ``results["emissions"]``, the two
intensity indicators) or by the energy calculator (the year-on-year intensities and their
national targets); this module only picks, sums shares and names them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from assessment.assessments import queries
from indicators import InvalidInput
from indicators.catalogue.contract import CARBON_INDICATOR, ENERGY_INDICATOR
from indicators.energy import IntensityChange, YearOnYear, compare_with_previous, load_factor_tables

SCOPES = {
    "scope1": _l("Scope 1: direct emissions"),
    "scope2": _l("Scope 2: purchased electricity and heat"),
    "process": _l("Process emissions"),
}
VERDICTS = {
    "meets": _l("Meets the national target"),
    "misses": _l("Misses the national target"),
    "no_target": _l("No national target applies"),
    "not_computable": _l("Not computable"),
}


@dataclass(frozen=True)
class ShareFigure:
    code: str
    name_zh: str
    name_en: str
    amount: float
    share: float  # 0-100 of the positive total

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh


@dataclass(frozen=True)
class IntensityFigure:
    value: float | None
    unit: str


@dataclass
class EnergyFigures:
    available: bool
    total_tce: float | None
    total_tco2e: float | None
    previous_total_tce: float | None
    previous_total_tco2e: float | None
    energy_intensity: IntensityFigure
    carbon_intensity: IntensityFigure
    carriers: list[ShareFigure] = field(default_factory=list)  # tce, largest first
    scopes: list[ShareFigure] = field(default_factory=list)  # tCO2e, largest first
    intensities: list[IntensityChange] = field(default_factory=list)  # with the year before


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def shares(amounts: Mapping[str, float], names: Mapping[str, tuple[str, str]]
           ) -> list[ShareFigure]:
    """Each amount with its share of the positive total, largest first."""
    total = sum(v for v in amounts.values() if v and v > 0)
    rows = []
    for code, amount in sorted(amounts.items(), key=lambda kv: -(kv[1] or 0)):
        share = (float(amount) / total * 100) if total and amount else 0.0
        zh, en = names.get(code, (code, code))
        rows.append(ShareFigure(code, zh, en, float(amount), max(0.0, min(100.0, share))))
    return rows


def _both(text: Any) -> tuple[str, str]:
    with force_locale("zh"):
        zh = str(text)
    with force_locale("en"):
        en = str(text)
    return zh, en


def energy_figures(results: Mapping[str, Any], previous: Mapping[str, Any] | None,
                   yoy: YearOnYear | None) -> EnergyFigures:
    """The summary of ``results`` (the contract's output), with the previous year's totals
    (``previous``: its output re-scored, or None) and the intensities year on year."""
    energy = results.get("energy") or {}
    emissions = results.get("emissions") or {}
    before_energy = (previous or {}).get("energy") or {}
    before_emissions = (previous or {}).get("emissions") or {}
    carriers = load_factor_tables().carriers
    carrier_names = {code: (c.name_zh, c.name_en) for code, c in carriers.items()}
    scope_names = {code: _both(label) for code, label in SCOPES.items()}
    indicators = results.get("indicators", {})

    def intensity(code: str) -> IntensityFigure:
        entry = indicators.get(code, {})
        return IntensityFigure(_number(entry.get("value")), str(entry.get("unit", "")))

    by_carrier = {k: float(v) for k, v in (energy.get("by_carrier") or {}).items()
                  if _number(v) is not None}
    by_scope = {k: float(emissions[k]) for k in SCOPES if _number(emissions.get(k))}
    return EnergyFigures(
        available=bool(energy or emissions),
        total_tce=_number(energy.get("total_tce")),
        total_tco2e=_number(emissions.get("total_tco2e")),
        previous_total_tce=_number(before_energy.get("total_tce")),
        previous_total_tco2e=_number(before_emissions.get("total_tco2e")),
        energy_intensity=intensity(ENERGY_INDICATOR),
        carbon_intensity=intensity(CARBON_INDICATOR),
        carriers=shares(by_carrier, carrier_names),
        scopes=shares(by_scope, scope_names),
        intensities=[] if yoy is None else [yoy.energy_intensity, yoy.carbon_intensity],
    )


def verdict_label(change: IntensityChange) -> str:
    return str(VERDICTS.get(change.verdict, change.verdict))


def target_name(change: IntensityChange, lang: str) -> str | None:
    if change.target is None:
        return None
    return change.target.name_en if lang == "en" else change.target.name_zh


# -- the year before ---------------------------------------------------------------------
def year_figures(document: Mapping[str, Any]) -> dict[str, Any]:
    """A contract input document in the shape ``compare_with_previous`` reads."""
    inputs = document.get("inputs") or {}
    year: dict[str, Any] = {"year": document.get("year")}
    for key in ("energy", "process_emissions"):
        if document.get(key):
            year[key] = document[key]
    for key in ("output_value", "energy_tce", "emissions_tco2e"):
        if inputs.get(key) is not None:
            year[key] = inputs[key]
    return year


def energy_year_on_year(document: Mapping[str, Any], year: int) -> YearOnYear | None:
    """The energy and carbon intensities of ``document`` against the previous finalised
    year's, with the national targets (None without a previous year, or when the
    calculator cannot read either year)."""
    previous = queries.previous_finalised_revision(year)
    if previous is None:
        return None
    try:
        return compare_with_previous(year_figures(document), year_figures(previous.document),
                                     options=document.get("options") or {},
                                     province=document.get("province"))
    except (InvalidInput, ValueError, ArithmeticError):
        return None  # an old revision the calculator no longer reads: no comparison
