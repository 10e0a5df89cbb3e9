"""Plausibility warnings: figures that are valid but look like a unit slip.

The ranges live in ``indicators/data/factors/plausibility.yaml`` with their reasoning; this
module only compares and words the warnings (zh and en), each naming the figure, the range it
left and the likely cause. Warnings never make a document invalid.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from indicators.energy.tables import Carrier, FactorTables, GridChoice, Unit, to_decimal
from indicators.problems import Notice

LEVEL_NAMES = {"province": ("省级", "provincial"), "region": ("区域", "regional"),
               "national": ("全国", "national")}


def _fmt(value: Decimal | float) -> str:
    """A figure as a reader sees it in a message: up to 6 significant digits."""
    figure = float(value)
    if figure != 0 and (abs(figure) >= 1e9 or abs(figure) < 1e-4):
        return f"{figure:.3e}"
    return f"{figure:,.6g}" if abs(figure) >= 1000 else f"{figure:.6g}"


Bound = Decimal | float | None


def _range_zh(low: Bound, high: Bound) -> str:
    if low is None:
        return f"不超过 {_fmt(high or 0)}"
    if high is None:
        return f"不低于 {_fmt(low)}"
    return f"{_fmt(low)}–{_fmt(high)}"


def _range_en(low: Bound, high: Bound) -> str:
    if low is None:
        return f"at most {_fmt(high or 0)}"
    if high is None:
        return f"at least {_fmt(low)}"
    return f"{_fmt(low)}-{_fmt(high)}"


def _sibling(tables: FactorTables, carrier: Carrier, unit: Unit, larger: bool) -> Unit | None:
    """The nearest unit of the carrier that is larger (or smaller) than ``unit``."""
    candidates = [tables.units[u] for u in carrier.units
                  if u in tables.units and tables.units[u].dimension == unit.dimension]
    if larger:
        bigger = [u for u in candidates if u.to_base > unit.to_base]
        return min(bigger, key=lambda u: u.to_base) if bigger else None
    smaller = [u for u in candidates if u.to_base < unit.to_base]
    return max(smaller, key=lambda u: u.to_base) if smaller else None


def _quantity_notice(tables: FactorTables, where: str, carrier: Carrier, unit: Unit,
                     per_output: float, low: Bound, high: Bound,
                     too_high: bool) -> Notice:
    base = tables.units[carrier.base_unit]
    figure_zh = (f"{carrier.name_zh}每万元产值 {_fmt(per_output)} {base.name_zh}，"
                 f"超出合理范围（{_range_zh(low, high)} {base.name_zh}/万元）")
    figure_en = (f"{carrier.name_en} of {_fmt(per_output)} {base.code} per 10,000 yuan of "
                 f"output is outside the plausible range ({_range_en(low, high)} "
                 f"{base.code} per 10,000 yuan)")
    other = _sibling(tables, carrier, unit, larger=not too_high)
    if too_high:
        if other is not None:
            cause_zh = f"疑似把以{other.name_zh}计的数量按{unit.name_zh}填写"
            cause_en = f"looks like {other.code} entered as {unit.code}"
        else:
            cause_zh = "数量可能多了几位，或产值可能填写过小（应以万元计）"
            cause_en = "the quantity may have extra digits, or the output value is too small"
    else:
        if other is not None:
            cause_zh = (f"疑似把以{other.name_zh}计的数量按{unit.name_zh}填写，"
                        "或产值以元而非万元填写")
            cause_en = (f"looks like {other.code} entered as {unit.code}, or the output value "
                        "given in yuan instead of 10,000 yuan")
        else:
            cause_zh = "产值可能以元而非万元填写"
            cause_en = "the output value may be given in yuan instead of 10,000 yuan"
    code = "quantity_too_high" if too_high else "quantity_too_low"
    return Notice(f"{where}.quantity", code, f"{figure_zh}：{cause_zh}。",
                  f"{figure_en}: {cause_en}.",
                  params={"value": float(per_output), "low": low, "high": high})


def _power_of_ten(ratio: Decimal) -> int | None:
    """k when ratio is within a factor of 2 of 10^k (|k| >= 3), else None."""
    if ratio <= 0:
        return None
    exponent = round(ratio.log10())
    if abs(exponent) < 3:
        return None
    return int(exponent) if abs(ratio.log10() - exponent) < Decimal("0.3") else None


def _override_notice(tables: FactorTables, where: str, carrier: Carrier, unit: Unit,
                     given: Decimal, plaus: Mapping[str, Any]) -> Notice | None:
    default = carrier.kgce_per_unit(unit.code)
    key = f"{where}.kgce_per_unit"
    if default is None:  # steam in tonnes: no default, a range of its heat per tonne
        low, high = plaus["steam_kgce_per_t"]["low"], plaus["steam_kgce_per_t"]["high"]
        if low <= given <= high:
            return None
        return Notice(
            key, "coefficient_out_of_range",
            f"每吨{carrier.name_zh}的折标系数 {_fmt(given)} kgce/t 超出合理范围"
            f"（{_range_zh(low, high)}）：蒸汽每吨约含 2.7–3.5 GJ 热量，疑似单位填错"
            "（如按 tce/t 或 kgce/GJ 填写）。",
            f"The coefficient of {_fmt(given)} kgce per tonne of {carrier.name_en.lower()} is "
            f"outside the plausible range ({_range_en(low, high)}): a tonne of steam holds "
            "about 2.7-3.5 GJ, so the unit looks wrong (tce/t or kgce/GJ entered as kgce/t).",
            params={"value": float(given), "low": low, "high": high})
    ratio = given / default
    bounds = plaus["override"]
    if bounds["low_ratio"] <= ratio <= bounds["high_ratio"]:
        return None
    if carrier.is_grid_electricity:
        # An electricity entry's own coefficient is usually its equivalent value (等价值).
        equivalent = plaus["electricity_equivalent"]
        if equivalent["low"] <= given / unit.to_base <= equivalent["high"]:
            return None
    power = _power_of_ten(ratio)
    if power is not None and power > 0:
        cause_zh = f"疑似把每 10^{power} {unit.name_zh}的系数当作每{unit.name_zh}的系数填写"
        cause_en = (f"looks like a coefficient per 10^{power} {unit.code} given per "
                    f"{unit.code}")
    elif power is not None:
        cause_zh = f"疑似按比{unit.name_zh}小 10^{-power} 倍的单位给出的系数"
        cause_en = (f"looks like a coefficient per a unit 10^{-power} times smaller given per "
                    f"{unit.code}")
    else:
        cause_zh = "与默认值相差一倍以上，请核对热值化验结果"
        cause_en = ("more than twice or less than half the default: check the measured "
                    "calorific value")
    return Notice(
        key, "coefficient_far_from_default",
        f"{carrier.name_zh}的折标系数 {_fmt(given)} kgce/{unit.name_zh} 是默认值 "
        f"{_fmt(default)} 的 {_fmt(ratio)} 倍：{cause_zh}。",
        f"The coefficient of {_fmt(given)} kgce/{unit.code} for {carrier.name_en.lower()} is "
        f"{_fmt(ratio)} times its default of {_fmt(default)}: {cause_en}.",
        params={"value": float(given), "default": float(default), "ratio": float(ratio)})


def _intensity_notice(name: str, value: float, bounds: Mapping[str, Bound],
                      key: str, given_directly: bool) -> Notice | None:
    low, high = bounds.get("low"), bounds.get("high")
    if (low is None or value >= low) and (high is None or value <= high):
        return None
    too_low = low is not None and value < low
    if name == "energy_intensity":
        label_zh, label_en, unit = "单位产值综合能耗", "Energy intensity", "tce/万元"
        unit_en = "tce per 10,000 yuan"
        high_zh = ("综合能耗疑似以千克标准煤按吨标准煤填写" if given_directly
                   else "能源消费清单中可能有数量单位填错（见其他提示）")
        high_en = ("looks like kgce entered as tce" if given_directly
                   else "an entry of the energy list may carry the wrong unit (see the other "
                   "warnings)")
    elif name == "carbon_intensity":
        label_zh, label_en, unit = "单位产值碳排放", "Carbon intensity", "tCO2e/万元"
        unit_en = "tCO2e per 10,000 yuan"
        high_zh = ("排放量疑似以千克按吨填写" if given_directly
                   else "能源消费清单或工艺排放中可能有数量单位填错（见其他提示）")
        high_en = ("looks like kg CO2e entered as tonnes" if given_directly
                   else "an entry of the energy list or process emissions may carry the wrong "
                   "unit (see the other warnings)")
    else:
        return None
    if too_low:
        cause_zh, cause_en = ("产值疑似以元而非万元填写",
                              "looks like the output value in yuan instead of 10,000 yuan")
        key = "inputs.output_value"
    else:
        cause_zh, cause_en = high_zh, high_en
    return Notice(
        key, f"{name}_too_{'low' if too_low else 'high'}",
        f"{label_zh} {_fmt(value)} {unit} 超出合理范围（{_range_zh(low, high)}）：{cause_zh}。",
        f"{label_en} of {_fmt(value)} {unit_en} is outside the plausible range "
        f"({_range_en(low, high)}): {cause_en}.",
        params={"value": float(value), "low": low, "high": high})


def check_plausibility(document: Mapping[str, Any], values: Mapping[str, Any],
                       given: frozenset[str], result: Any,
                       tables: FactorTables) -> list[Notice]:
    """Warnings for one validated document.

    ``values`` are the figures the indicators use (output_value, energy_tce, emissions_tco2e,
    given or computed); ``given`` names those of them the document gave directly; ``result``
    is the calculator's EnergyResult or None.
    """
    plaus = tables.plausibility
    notices: list[Notice] = []
    if result is not None:
        notices.extend(result.notices)
    first_own = len(notices)
    output_value = values.get("output_value")
    # Warnings need no exact arithmetic: floats keep these checks cheap.
    output = float(output_value) if output_value else 0.0
    energy = document.get("energy") or ()
    # (carrier, unit as written) → the range in the entry's own unit per 万元 (precomputed).
    per_unit = plaus["per_entry_unit"]
    has_electricity = False
    for index, entry in enumerate(energy):
        bounds = per_unit.get((entry["carrier"], entry["unit"]))
        if bounds is not None:
            has_electricity = has_electricity or bounds[2]
        if bounds is not None and output:
            quantity = float(entry["quantity"])
            low, high = bounds[0], bounds[1]
            too_high = high is not None and quantity > high * output
            too_low = low is not None and 0 < quantity < low * output
        else:
            too_high = too_low = False
        if not (too_high or too_low or "kgce_per_unit" in entry):
            continue
        carrier = tables.carriers[entry["carrier"]]
        unit = tables.units[tables.unit_code(entry["unit"]) or carrier.base_unit]
        if "kgce_per_unit" in entry:
            notice = _override_notice(tables, f"energy[{index}]", carrier, unit,
                                      to_decimal(entry["kgce_per_unit"]), plaus)
            if notice is not None:
                notices.append(notice)
        if output and (too_high or too_low):
            per_output = quantity * float(unit.to_base) / output
            base = plaus["per_output"][carrier.code]
            notices.append(_quantity_notice(tables, f"energy[{index}]", carrier, unit,
                                            per_output, base["low"], base["high"], too_high))
    intensities = plaus["intensities"]
    if output:
        high = intensities["process_emissions"]["high"]
        gwp_set = (document.get("options") or {}).get("gwp_set", tables.default_gwp_set)
        for index, entry in enumerate(document.get("process_emissions") or ()):
            gas = tables.gases[entry["gas"]]
            tco2e = float(entry["tonnes"]) * float(gas.gwp[gwp_set])
            if high is not None and tco2e / output > high:
                notices.append(Notice(
                    f"process_emissions[{index}].tonnes", "process_emissions_too_high",
                    f"{gas.name_zh}（{gas.code}）{_fmt(entry['tonnes'])} 吨折合 {_fmt(tco2e)} "
                    f"tCO2e，每万元产值 {_fmt(tco2e / output)} tCO2e，超出合理上限 {_fmt(high)}："
                    "疑似把以千克计的数量按吨填写。",
                    f"{_fmt(entry['tonnes'])} t of {gas.code} is {_fmt(tco2e)} tCO2e, "
                    f"{_fmt(tco2e / output)} tCO2e per 10,000 yuan of output, above the "
                    f"plausible {_fmt(high)}: looks like kg entered as tonnes.",
                    params={"value": tco2e / output, "high": high}))
        # A computed total that looks wrong because of an entry already warned about needs no
        # second warning; and a list without electricity is partial (every manufacturer uses
        # electricity), so its total is not held against the output value.
        entry_warned = len(notices) > first_own
        for name, figure in (("energy_intensity", "energy_tce"),
                             ("carbon_intensity", "emissions_tco2e")):
            value = values.get(figure)
            if value is None:
                continue
            direct = figure in given
            if not direct and (entry_warned or not has_electricity):
                continue
            intensity = float(value) / output
            bounds = intensities[name]
            low, high = bounds["low"], bounds["high"]
            too_low = low is not None and 0 < intensity < low
            if not too_low and (high is None or intensity <= high):
                continue
            key = f"inputs.{figure}" if direct else (
                "energy" if figure == "energy_tce" else "emissions")
            notice = _intensity_notice(name, intensity, bounds, key, direct)
            if notice is not None:
                notices.append(notice)
    energy_tce, emissions = values.get("energy_tce"), values.get("emissions_tco2e")
    if energy_tce and emissions and given & {"energy_tce", "emissions_tco2e"}:
        ratio = float(emissions) / float(energy_tce)
        bounds = plaus["emissions_per_energy"]
        low, high = bounds["low"], bounds["high"]
        if (low is not None and ratio < low) or (high is not None and ratio > high):
            key = ("inputs.emissions_tco2e" if "emissions_tco2e" in given
                   else "inputs.energy_tce")
            notices.append(Notice(
                key, "emissions_per_energy_out_of_range",
                f"每吨标准煤排放 {_fmt(ratio)} tCO2e，超出合理范围（{_range_zh(low, high)}）："
                "疑似综合能耗或排放量之一单位填错（如千克按吨、千克标准煤按吨标准煤）。",
                f"{_fmt(ratio)} tCO2e per tce is outside the plausible range "
                f"({_range_en(low, high)}): one of energy and emissions looks entered in the "
                "wrong unit (kg as tonnes, kgce as tce).",
                params={"value": ratio, "low": low, "high": high}))
    options = document.get("options") or {}
    equivalent = options.get("electricity_equivalent_kgce_per_kwh")
    if equivalent is not None:
        bounds = plaus["electricity_equivalent"]
        value = to_decimal(equivalent)
        if not bounds["low"] <= value <= bounds["high"]:
            notices.append(Notice(
                "options.electricity_equivalent_kgce_per_kwh", "coefficient_out_of_range",
                f"电力等价值 {_fmt(value)} kgce/kWh 超出合理范围"
                f"（{_range_zh(bounds['low'], bounds['high'])}，近年火电供电煤耗约 0.30）："
                "疑似以克标准煤/千瓦时填写。",
                f"The equivalent value of electricity of {_fmt(value)} kgce/kWh is outside the "
                f"plausible range ({_range_en(bounds['low'], bounds['high'])}; the thermal "
                "supply coal rate is about 0.30): looks like gce/kWh entered as kgce/kWh.",
                params={"value": float(value)}))
    return notices


def grid_fallback_notices(tables: FactorTables, series: str, choice: GridChoice,
                          province: str | None) -> list[Notice]:
    """Why the grid factor used is not the one asked for (another level or data year)."""
    factor = choice.factor
    place = tables.provinces.get(province) if province else None
    used_zh, used_en = LEVEL_NAMES[choice.level]
    asked_zh, asked_en = LEVEL_NAMES[choice.basis]
    area_zh = area_en = ""
    if choice.level == "province" and place is not None:
        area_zh, area_en = f"{place.name_zh} ", f"{place.name_en}, "
    elif choice.level == "region" and factor.area is not None \
            and factor.area in tables.regions:
        region = tables.regions[factor.area]
        area_zh, area_en = f"{region.name_zh}区域 ", f"{region.name_en}, "
    value = _fmt(factor.kg_co2_per_kwh)
    parts_zh, parts_en = [], []
    if choice.level != choice.basis:
        where_zh = place.name_zh if place is not None else "所在地"
        where_en = place.name_en if place is not None else "the enterprise's location"
        parts_zh.append(f"未收录{where_zh}的{asked_zh}电网排放因子，改用{used_zh}因子")
        parts_en.append(f"no {asked_en} grid factor is held for {where_en}; the {used_en} "
                        "factor is used")
    if choice.year_fallback:
        year = choice.reporting_year
        if year is None:
            parts_zh.append(f"文件未给出报告年度，采用最新数据年份 {factor.data_year}")
            parts_en.append(f"the document gives no reporting year; data year "
                            f"{factor.data_year} is used")
        elif factor.data_year < year and choice.level == "national":
            parts_zh.append(f"{year} 年尚无已发布的因子，采用此前最近的 {factor.data_year} 年数据")
            parts_en.append(f"no factor is published for {year}; the latest earlier data year, "
                            f"{factor.data_year}, is used")
        elif factor.data_year < year:
            # Provincial and regional series are held only for the years whose publication
            # we could source: a later year may be published yet not held here.
            parts_zh.append(f"未收录 {year} 年的{used_zh}因子，采用此前最近的 "
                            f"{factor.data_year} 年数据")
            parts_en.append(f"no {used_en} factor for {year} is held; the latest earlier data "
                            f"year, {factor.data_year}, is used")
        else:
            parts_zh.append(f"{year} 年早于首次发布的因子，采用最早的 {factor.data_year} 年数据")
            parts_en.append(f"{year} precedes the first published factor; the earliest data "
                            f"year, {factor.data_year}, is used")
    key = "year" if choice.level == choice.basis else "province"
    return [Notice(
        key, "grid_factor_fallback",
        f"外购电力排放因子：{'；'.join(parts_zh)}（{area_zh}{factor.data_year} 年 {value} "
        "tCO2/MWh）。",
        f"Grid factor for purchased electricity: {'; '.join(parts_en)} ({area_en}"
        f"{factor.data_year}: {value} tCO2/MWh).",
        params={"series": series, "data_year": factor.data_year, "level": choice.level})]

