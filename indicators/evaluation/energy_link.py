"""The bridge to the energy and carbon calculator (indicators.energy, another module's work).

The evaluate document's ``energy``, ``process_emissions``, ``options`` and ``previous_year``
belong to that calculator: it validates them and computes the totals. This module only
decides when to call it and what the indicators take from it.
"""

from __future__ import annotations

from typing import Any

from indicators.evaluation.validate import problem
from indicators.problems import Notice, Problem


def has_energy_part(document: dict[str, Any]) -> bool:
    return bool(document.get("energy")) or bool(document.get("process_emissions"))


def computes_energy(document: dict[str, Any]) -> bool:
    return bool(document.get("energy"))


def computes_emissions(document: dict[str, Any]) -> bool:
    return bool(document.get("energy")) or bool(document.get("process_emissions"))


def totals_problems(document: dict[str, Any]) -> list[Problem]:
    """A total given next to a list that computes it, unless options.totals says which
    stands: the output would otherwise contradict itself."""
    inputs = document.get("inputs")
    options = document.get("options")
    if not isinstance(inputs, dict):
        return []
    if isinstance(options, dict) and "totals" in options:
        return []
    problems = []
    if inputs.get("energy_tce") is not None and computes_energy(document):
        problems.append(problem(
            "inputs.energy_tce", "given_and_computed",
            "已填写能源消费清单，综合能耗可由清单计算：请删去其一，或说明以填写的总量还是计算值为准",
            "the energy list already computes the energy consumption: remove one of them, or "
            "state whether the given total or the computed one stands"))
    if inputs.get("emissions_tco2e") is not None and computes_emissions(document):
        problems.append(problem(
            "inputs.emissions_tco2e", "given_and_computed",
            "已填写能源消费清单或工艺过程排放，排放量可由其计算：请删去其一，"
            "或说明以填写的排放量还是计算值为准",
            "the energy list and process emissions already compute the emissions: remove one "
            "of them, or state whether the given total or the computed one stands"))
    return problems


def validate_energy_part(document: dict[str, Any]) -> list[Problem]:
    keys = ("energy", "process_emissions", "options", "previous_year", "province")
    if all(document.get(k) is None for k in keys):
        return []
    from indicators.energy import OPTION_KEYS, validate_energy

    options = document.get("options")
    problems: list[Problem] = []
    if isinstance(options, dict):
        # Option keys nobody reads are typos: report them rather than ignore them.
        for key in options:
            if key not in OPTION_KEYS:
                problems.append(
                    problem(f"options.{key}", "unknown_key", "未知的选项", "unknown option")
                )
    problems += validate_energy(
        document.get("energy"),
        document.get("process_emissions"),
        options,
        document.get("previous_year"),
        province=document.get("province"),
    )
    return problems + totals_problems(document)


def calculate(document: dict[str, Any]) -> Any:
    """The calculator's result for the document's energy list and process emissions.

    Only called after ``validate_energy_part`` found no problem in the same document, so the
    calculator does not validate the same lists a second time.
    """
    from indicators.energy import calculate_energy

    return calculate_energy(
        document.get("energy") or [],
        document.get("process_emissions") or [],
        document.get("year"),
        document.get("options") or {},
        validated=True,
        province=document.get("province"),
    )


_checker: Any = None


def plausibility_warnings(document: dict[str, Any], values: dict[str, Any], given: set[str],
                          energy_result: Any) -> list[Notice]:
    """Figures that are valid but look like a unit slip (see indicators.energy.plausibility)."""
    global _checker
    if _checker is None:  # resolved once: this runs for every evaluation
        from indicators.energy import load_factor_tables
        from indicators.energy.plausibility import check_plausibility

        tables = load_factor_tables()
        _checker = (check_plausibility, tables)
    check, tables = _checker
    return check(document, values, frozenset(given), energy_result, tables)


def year_on_year(document: dict[str, Any], inputs: dict[str, Any]) -> Any:
    """Year-on-year intensity change against the previous year, when one is given."""
    previous = document.get("previous_year")
    if not previous:
        return None
    from indicators.energy import compare_with_previous

    current = {
        key: document[key]
        for key in ("year", "energy", "process_emissions")
        if document.get(key) is not None
    }
    # ``inputs`` holds the figures that stand (given, or computed from the lists).
    for key in ("output_value", "energy_tce", "emissions_tco2e"):
        if inputs.get(key) is not None:
            current[key] = inputs[key]
    return compare_with_previous(current, previous, options=document.get("options") or {},
                                 province=document.get("province"))
