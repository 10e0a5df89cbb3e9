"""Validation of the energy part of an evaluate document.

Every problem is collected (never only the first) and names its key, e.g. ``energy[2].unit``,
``process_emissions[0].gas``, ``options.gwp_set`` or ``previous_year.output_value``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from indicators.energy.loader import load_factor_tables
from indicators.energy.tables import GRID_BASES, FactorTables, is_number
from indicators.problems import MAX_NUMBER, Problem, shown, too_large

# Input vocabulary of the evaluate document (not coefficients).
ENTRY_KEYS = frozenset({"carrier", "quantity", "unit", "kgce_per_unit", "source"})
PROCESS_KEYS = frozenset({"gas", "tonnes"})
# Where purchased electricity comes from. Certified (绿证 / 绿电交易) and on-site renewable
# electricity count as zero scope 2 (market-based method) and as non-fossil energy.
ELECTRICITY_SOURCES = ("grid", "renewable_onsite", "green_certificate")
RENEWABLE_SOURCES = frozenset({"renewable_onsite", "green_certificate"})
ELECTRICITY_BASES = ("calorific", "equivalent")
# The option keys this package reads from the document's "options" object; other keys
# belong to other parts of the evaluation and are left to them.
OPTION_KEYS = frozenset({"gwp_set", "electricity_basis", "grid_series",
                         "electricity_equivalent_kgce_per_kwh", "grid_factor_basis", "totals"})
# options.totals: which figure stands when a total is given next to a list that computes it.
TOTALS = ("given", "computed")
PREVIOUS_YEAR_KEYS = frozenset({"year", "output_value", "energy_tce", "energy",
                                "emissions_tco2e", "process_emissions"})


_shown = shown


def _problem(key: str, code: str, zh: str, en: str, **params: Any) -> Problem:
    return Problem(key, code, zh, en, params)


def _required(key: str) -> Problem:
    return _problem(key, "required", "必填项缺失", "is required")


def _unknown_key(key: str, allowed: frozenset[str]) -> Problem:
    names = ", ".join(sorted(allowed))
    return _problem(key, "unknown_key", f"未知字段（允许：{names}）",
                    f"unknown key (allowed: {names})")


def _number_problem(key: str, value: Any, *, positive: bool) -> Problem | None:
    """None when ``value`` is a finite number that is >= 0 (or > 0 when ``positive``) and
    not beyond MAX_NUMBER."""
    kind = type(value)
    # The common case first, in two comparisons (this runs for every number of every entry).
    if (kind is int or kind is float) and 0 < value <= MAX_NUMBER:
        return None
    if not is_number(value) or (isinstance(value, float) and not math.isfinite(value)):
        return _problem(key, "not_a_number", "必须是数字", "must be a number",
                        value=_shown(value))
    if too_large(value):
        return _problem(key, "too_large", f"数值过大，无法计算（绝对值不能超过 {MAX_NUMBER:.0e}）",
                        f"is too large to compute with (at most {MAX_NUMBER:.0e} in magnitude)")
    if positive and value <= 0:
        return _problem(key, "not_positive", "必须大于 0", "must be greater than 0", value=value)
    if value < 0:
        return _problem(key, "negative", "不能为负数", "must not be negative", value=value)
    return None


def _check_number(problems: list[Problem], key: str, value: Any, *, positive: bool = False
                  ) -> None:
    problem = _number_problem(key, value, positive=positive)
    if problem is not None:
        problems.append(problem)


def _validate_province(province: Any, options: Any, tables: FactorTables,
                       problems: list[Problem]) -> None:
    if province is not None and (not isinstance(province, str)
                                 or province not in tables.provinces):
        problems.append(_problem(
            "province", "unknown_province",
            "未知的省级行政区划代码（应为 GB/T 2260 六位代码，如云南 530000）",
            "unknown province code (a GB/T 2260 six-digit code such as 530000 for Yunnan)",
            value=shown(province)))
    basis = options.get("grid_factor_basis") if isinstance(options, Mapping) else None
    if basis in ("province", "region") and province is None:
        problems.append(_problem(
            "options.grid_factor_basis", "province_required",
            "按省级或区域电网因子计算时须给出企业所在省份",
            "a provincial or regional grid factor needs the document's province"))


def _validate_options(options: Any, tables: FactorTables, problems: list[Problem]) -> None:
    if options is None:
        return
    if not isinstance(options, Mapping):
        problems.append(_problem("options", "not_an_object", "必须是对象", "must be an object"))
        return
    choices: dict[str, tuple[str, ...]] = {
        "gwp_set": tables.gwp_sets,
        "electricity_basis": ELECTRICITY_BASES,
        "grid_series": tuple(tables.grid),
        "grid_factor_basis": GRID_BASES,
        "totals": TOTALS,
    }
    for name, allowed in choices.items():
        if name in options and (not isinstance(options[name], str)
                                or options[name] not in allowed):
            listed = ", ".join(allowed)
            problems.append(_problem(f"options.{name}", "bad_option",
                                     f"取值无效（可选：{listed}）", f"must be one of {listed}",
                                     value=_shown(options[name])))
    if "electricity_equivalent_kgce_per_kwh" in options:
        _check_number(problems, "options.electricity_equivalent_kgce_per_kwh",
                      options["electricity_equivalent_kgce_per_kwh"], positive=True)


def _validate_entries(energy: Any, prefix: str, options: Mapping[str, Any], tables: FactorTables,
                      problems: list[Problem]) -> None:
    if energy is None:
        return
    if not isinstance(energy, list):
        problems.append(_problem(prefix, "not_a_list", "必须是列表", "must be a list"))
        return
    equivalent = options.get("electricity_basis") == "equivalent"
    needs_equivalent_value = False
    for index, entry in enumerate(energy):
        where = f"{prefix}[{index}]"
        if not isinstance(entry, Mapping):
            problems.append(_problem(where, "not_an_object", "必须是对象", "must be an object"))
            continue
        for key in entry:
            if key not in ENTRY_KEYS:
                problems.append(_unknown_key(f"{where}.{key}", ENTRY_KEYS))
        code = entry.get("carrier")
        carrier = tables.carriers.get(code) if isinstance(code, str) else None
        if code is None:
            problems.append(_required(f"{where}.carrier"))
        elif carrier is None:
            problems.append(_problem(f"{where}.carrier", "unknown_carrier",
                                     f"未知能源品种：{_shown(code)}",
                                     f"unknown energy carrier: {_shown(code)}",
                                     value=_shown(code)))
        unit = entry.get("unit")
        unit_code = tables.unit_code(unit) if isinstance(unit, str) else None
        if unit is None:
            problems.append(_required(f"{where}.unit"))
        elif unit_code is None:
            problems.append(_problem(f"{where}.unit", "unknown_unit",
                                     f"未知计量单位：{_shown(unit)}",
                                     f"unknown unit: {_shown(unit)}", value=_shown(unit)))
        elif carrier is not None and unit_code not in carrier.units:
            allowed = ", ".join(sorted(carrier.units))
            problems.append(_problem(
                f"{where}.unit", "unit_not_allowed",
                f"{carrier.name_zh}不能使用单位 {unit}（可用：{allowed}）",
                f"unit {unit} is not allowed for {carrier.name_en.lower()} (allowed: {allowed})",
                value=unit))
        if "quantity" not in entry:
            problems.append(_required(f"{where}.quantity"))
        else:
            _check_number(problems, f"{where}.quantity", entry["quantity"])
        if "kgce_per_unit" in entry:
            _check_number(problems, f"{where}.kgce_per_unit", entry["kgce_per_unit"],
                          positive=True)
        elif carrier is not None and unit_code in carrier.units_requiring_kgce_per_unit:
            problems.append(_problem(
                f"{where}.kgce_per_unit", "kgce_per_unit_required",
                f"以 {unit} 计量的{carrier.name_zh}没有固定折标系数，请填写该条记录的折标系数"
                f"（kgce/{unit}）",
                f"{carrier.name_en} in {unit} has no fixed coefficient: give this entry's own "
                f"standard-coal coefficient (kgce per {unit})"))
        is_electricity = carrier is not None and carrier.is_grid_electricity
        if "source" in entry:
            if carrier is not None and not is_electricity:
                problems.append(_problem(f"{where}.source", "not_allowed",
                                         "只有电力可以填写来源（电网、自发可再生、绿证）",
                                         "only electricity takes a source "
                                         "(grid, on-site renewable, green certificate)"))
            elif entry["source"] not in ELECTRICITY_SOURCES:
                listed = ", ".join(ELECTRICITY_SOURCES)
                problems.append(_problem(f"{where}.source", "bad_value",
                                         f"取值无效（可选：{listed}）", f"must be one of {listed}",
                                         value=_shown(entry["source"])))
        if equivalent and is_electricity and "kgce_per_unit" not in entry:
            needs_equivalent_value = True
    if needs_equivalent_value and "electricity_equivalent_kgce_per_kwh" not in options:
        problems.append(_problem(
            "options.electricity_equivalent_kgce_per_kwh", "required",
            "电力按等价值折算时须填写当年的电力等价值系数（kgce/kWh），"
            "或在每条电力记录中填写其折标系数",
            "the equivalent value of electricity has no fixed number: give this year's "
            "equivalent value (kgce/kWh), or a standard-coal coefficient on each electricity "
            "entry"))


def _validate_process(process_emissions: Any, prefix: str, tables: FactorTables,
                      problems: list[Problem], gwp_set: str | None = None) -> None:
    if process_emissions is None:
        return
    if not isinstance(process_emissions, list):
        problems.append(_problem(prefix, "not_a_list", "必须是列表", "must be a list"))
        return
    for index, entry in enumerate(process_emissions):
        where = f"{prefix}[{index}]"
        if not isinstance(entry, Mapping):
            problems.append(_problem(where, "not_an_object", "必须是对象", "must be an object"))
            continue
        for key in entry:
            if key not in PROCESS_KEYS:
                problems.append(_unknown_key(f"{where}.{key}", PROCESS_KEYS))
        gas = entry.get("gas")
        if gas is None:
            problems.append(_required(f"{where}.gas"))
        elif not isinstance(gas, str) or gas not in tables.gases:
            shown_gas = shown(gas)
            problems.append(_problem(f"{where}.gas", "unknown_gas", f"未知温室气体：{shown_gas}",
                                     f"unknown greenhouse gas: {shown_gas}", value=shown_gas))
        elif gwp_set in tables.gwp_sets and gwp_set not in tables.gases[gas].gwp:
            problems.append(_problem(
                f"{where}.gas", "no_gwp_in_set",
                f"IPCC {gwp_set} 未给出 {gas} 的全球变暖潜势，请选择其他版本的全球变暖潜势",
                f"IPCC {gwp_set} gives no global warming potential for {gas}: choose another "
                "set of global warming potentials", value=gas))
        if "tonnes" not in entry:
            problems.append(_required(f"{where}.tonnes"))
        else:
            _check_number(problems, f"{where}.tonnes", entry["tonnes"])


def _validate_previous_year(previous: Any, options: Mapping[str, Any], tables: FactorTables,
                            problems: list[Problem]) -> None:
    prefix = "previous_year"
    if not isinstance(previous, Mapping):
        problems.append(_problem(prefix, "not_an_object", "必须是对象", "must be an object"))
        return
    for key in previous:
        if key not in PREVIOUS_YEAR_KEYS:
            problems.append(_unknown_key(f"{prefix}.{key}", PREVIOUS_YEAR_KEYS))
    year = previous.get("year")
    if year is None:
        problems.append(_required(f"{prefix}.year"))
    elif not isinstance(year, int) or isinstance(year, bool):
        problems.append(_problem(f"{prefix}.year", "not_a_year", "必须是年份（整数）",
                                 "must be a year (a whole number)", value=year))
    if "output_value" not in previous:
        problems.append(_required(f"{prefix}.output_value"))
    else:
        _check_number(problems, f"{prefix}.output_value", previous["output_value"])
    has_list = "energy" in previous
    if has_list == ("energy_tce" in previous):
        problems.append(_problem(f"{prefix}.energy_tce", "one_of",
                                 "上一年度须填写综合能耗（tce）或能源消费清单，二者只填其一",
                                 "for the previous year give either the energy consumption "
                                 "(tce) or the list of energy used, not both"))
    if "energy_tce" in previous:
        _check_number(problems, f"{prefix}.energy_tce", previous["energy_tce"])
    if "emissions_tco2e" in previous:
        if has_list:
            problems.append(_problem(f"{prefix}.emissions_tco2e", "one_of",
                                     "排放量已由上一年度的能源消费清单计算，不能再填写排放量",
                                     "the previous year's emissions are computed from its list "
                                     "of energy used: do not also give them (tCO2e)"))
        _check_number(problems, f"{prefix}.emissions_tco2e", previous["emissions_tco2e"])
    if "process_emissions" in previous and not has_list:
        problems.append(_problem(f"{prefix}.process_emissions", "not_allowed",
                                 "只有填写能源消费清单时才能填写工艺过程排放",
                                 "process emissions are only read together with a list of "
                                 "energy used"))
    _validate_entries(previous.get("energy"), f"{prefix}.energy", options, tables, problems)
    gwp_set = options.get("gwp_set", tables.default_gwp_set)
    _validate_process(previous.get("process_emissions"), f"{prefix}.process_emissions", tables,
                      problems, gwp_set if isinstance(gwp_set, str) else None)


def validate_energy(energy: Any, process_emissions: Any, options: Any,
                    previous_year: Any = None, *, tables: FactorTables | None = None,
                    province: Any = None) -> list[Problem]:
    """Every problem of the energy list, process emissions, energy options and previous year.

    ``None`` for a list or for options means absent (nothing to check). An empty result
    means calculate_energy will accept the same arguments.
    """
    tables = tables or load_factor_tables()
    problems: list[Problem] = []
    _validate_options(options, tables, problems)
    read_options: Mapping[str, Any] = options if isinstance(options, Mapping) else {}
    _validate_province(province, read_options, tables, problems)
    gwp_set = read_options.get("gwp_set", tables.default_gwp_set)
    _validate_entries(energy, "energy", read_options, tables, problems)
    _validate_process(process_emissions, "process_emissions", tables, problems,
                      gwp_set if isinstance(gwp_set, str) else None)
    if previous_year is not None:
        _validate_previous_year(previous_year, read_options, tables, problems)
    return problems
