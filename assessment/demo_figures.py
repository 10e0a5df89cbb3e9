"""Synthetic, plausible answers for the demo enterprises (pure: no Flask, no database).

The figures are invented. They are shaped so that benchmarks show something: larger firms
are more digital and better organised, electronics and automotive more digital than textiles
or food, steel, cement and chemicals far more energy-intensive than assembly, and every
enterprise improves a little from one year to the next. A seeded generator makes every run
produce the same numbers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from indicators.energy import load_factor_tables

# Maturity offset by industry (GB/T 4754 division): how digital and organised it tends to be.
INDUSTRY_MATURITY = {"C13": -0.05, "C17": -0.10, "C26": 0.0, "C30": -0.08, "C31": 0.02,
                     "C33": -0.04, "C34": 0.02, "C35": 0.04, "C36": 0.10, "C38": 0.06,
                     "C39": 0.12}
SIZE_MATURITY = {"large": 0.68, "medium": 0.50, "small": 0.34, "micro": 0.20}
# Comprehensive energy per output value, tce per 10,000 CNY (low, high).
ENERGY_INTENSITY = {"C13": (0.04, 0.10), "C17": (0.08, 0.18), "C26": (0.30, 0.75),
                    "C30": (0.60, 1.20), "C31": (0.80, 1.50), "C33": (0.04, 0.09),
                    "C34": (0.02, 0.05), "C35": (0.02, 0.05), "C36": (0.02, 0.04),
                    "C38": (0.015, 0.035), "C39": (0.01, 0.03)}
# How the energy splits across carriers (share of tce), and the unit each is reported in.
ENERGY_MIX = {
    "C31": {"coke": 0.50, "raw_coal": 0.15, "electricity": 0.25, "natural_gas": 0.10},
    "C30": {"raw_coal": 0.50, "electricity": 0.25, "natural_gas": 0.20, "diesel": 0.05},
    "C26": {"natural_gas": 0.40, "electricity": 0.30, "heat": 0.20, "raw_coal": 0.10},
    "C17": {"electricity": 0.60, "natural_gas": 0.20, "heat": 0.20},
    "C13": {"electricity": 0.40, "natural_gas": 0.40, "diesel": 0.10, "lpg": 0.10},
}
DEFAULT_MIX = {"electricity": 0.75, "natural_gas": 0.20, "diesel": 0.05}
REPORT_UNIT = {"electricity": ("kWh", 1), "natural_gas": ("m3", 1), "heat": ("GJ", 1000),
               "raw_coal": ("t", 1000), "coke": ("t", 1000), "diesel": ("t", 1000),
               "lpg": ("t", 1000)}
PROCESS_GAS = {"C30": ("CO2", 0.45), "C31": ("CO2", 0.12), "C26": ("N2O", 0.0004)}
AREAS = ("procurement", "sales", "production", "warehousing", "settlement", "quality",
         "transport", "demand_planning", "after_sales", "rd_design")
RESOURCES = ("production_capacity", "warehousing", "transport_infrastructure", "rd_design",
             "testing", "information_systems", "chain_data", "after_sales")
MAY_BE_UNKNOWN = ("recycled_material_input", "customers_sharing_carbon", "security_incidents",
                  "overseas_logistics_share", "training_participations")
LEVEL_CODES = ("collaboration.organization", "digital.strategy", "global.rule_participation",
               "resilience.supply_control", "resilience.production_control",
               "resilience.logistics_control", "resilience.risk_warning")


@dataclass(frozen=True)
class DemoAnswers:
    values: dict[str, Any]
    unknown: tuple[str, ...]
    not_applicable: dict[str, str]  # code → reason


def _money(x: float) -> float:
    return round(x, 2)


def _share(rng: random.Random, total: int, rate: float) -> int:
    return max(0, min(total, round(total * max(0.0, min(1.0, rate + rng.uniform(-0.03, 0.03))))))


def maturity(rng: random.Random, division: str, size: str, year_step: int) -> float:
    base = SIZE_MATURITY[size] + INDUSTRY_MATURITY.get(division, 0.0)
    return max(0.05, min(0.95, base + rng.uniform(-0.15, 0.15) + 0.03 * year_step))


def _level(rng: random.Random, m: float) -> int:
    return max(1, min(5, round(1 + 4 * m + rng.uniform(-0.7, 0.7))))


def _energy(rng: random.Random, division: str, output_value: float
            ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    low, high = ENERGY_INTENSITY.get(division, (0.02, 0.05))
    tce = output_value * rng.uniform(low, high)
    carriers = load_factor_tables().carriers
    entries = []
    for code, share in ENERGY_MIX.get(division, DEFAULT_MIX).items():
        unit, base_per_unit = REPORT_UNIT[code]
        kgce_per_unit = float(carriers[code].kgce_per_base_unit) * base_per_unit
        quantity = tce * share * rng.uniform(0.9, 1.1) * 1000 / kgce_per_unit
        entries.append({"carrier": code, "quantity": round(quantity, 1 if unit == "t" else 0),
                        "unit": unit})
    process = []
    if division in PROCESS_GAS:
        gas, per_tce = PROCESS_GAS[division]
        process.append({"gas": gas, "tonnes": round(tce * per_tce * rng.uniform(0.8, 1.2), 3)})
    return entries, process


def demo_answers(seed: str, division: str, size: str, employees: int, revenue: float,
                 export_oriented: bool, year_step: int) -> DemoAnswers:
    """One enterprise's answers for one year (``year_step`` 0, 1, 2 … as years pass)."""
    rng = random.Random(f"{seed}:{year_step}")  # noqa: S311 - invented figures, not secrets
    m = maturity(rng, division, size, year_step)
    revenue = revenue * (1 + 0.05 * year_step) * rng.uniform(0.95, 1.05)
    v: dict[str, Any] = {code: _level(rng, m) for code in LEVEL_CODES}
    v["online_business_areas"] = list(AREAS[:max(1, min(10, round(10 * m + rng.uniform(-2, 2))))])
    partners = {"large": 800, "medium": 220, "small": 60, "micro": 15}[size]
    v["partners_total"] = int(partners * rng.uniform(0.6, 1.5))
    v["partners_online_active"] = _share(rng, v["partners_total"], 0.1 + 0.8 * m)
    v["resource_sharing"] = {r: (round(rng.uniform(0, 60 * m), 1) if rng.random() < 0.3 + 0.5 * m
                                 else None) for r in RESOURCES}
    produced = int(revenue * rng.uniform(2, 40))
    v["units_produced"] = produced
    v["units_sold"] = int(produced * rng.uniform(0.92, 1.04))
    v["units_output"] = produced
    v["units_qualified"] = _share(rng, produced, 0.95 + 0.045 * m)
    v["operating_revenue"] = _money(revenue)
    cost = revenue * rng.uniform(0.70, 0.86)
    v["operating_cost"] = _money(cost)
    v["period_expenses"] = _money(revenue * rng.uniform(0.06, 0.14))
    v["outbound_amount"] = _money(cost * rng.uniform(0.9, 1.1))
    v["average_inventory"] = _money(v["outbound_amount"] / (3 + 9 * m + rng.uniform(-1, 1)))
    deliveries = int({"large": 12000, "medium": 3000, "small": 800, "micro": 150}[size]
                     * rng.uniform(0.6, 1.4))
    v["deliveries_total"] = deliveries
    v["deliveries_on_time"] = _share(rng, deliveries, 0.84 + 0.14 * m)
    v["payments_due"] = _money(cost * 0.6)
    v["payments_on_time"] = _money(v["payments_due"] * min(1.0, 0.80 + 0.19 * m))
    v["digital_investment"] = _money(revenue * (0.002 + 0.02 * m) * rng.uniform(0.8, 1.2))
    v["orders_total"] = int(deliveries * rng.uniform(0.5, 1.2))
    v["orders_online"] = _share(rng, v["orders_total"], 0.2 + 0.75 * m)
    v["it_investment"] = _money(revenue * (0.005 + 0.012 * m))
    v["security_investment"] = _money(v["it_investment"] * (0.05 + 0.15 * m))
    v["security_incidents"] = max(0, round(rng.uniform(0, 5) * (1 - m)))
    output_value = revenue * rng.uniform(0.95, 1.10)
    v["output_value"] = _money(output_value)
    v["energy"], v["process_emissions"] = _energy(rng, division, output_value)
    v["product_sales"] = _money(revenue * rng.uniform(0.85, 0.98))
    v["green_product_sales"] = _money(v["product_sales"] * rng.uniform(0, 0.35 * m))
    v["purchases_total"] = _money(cost * rng.uniform(0.5, 0.7))
    v["green_purchases"] = _money(v["purchases_total"] * rng.uniform(0.02, 0.25 * m + 0.02))
    v["raw_material_input"] = _money(revenue * rng.uniform(0.5, 3))
    recycled = (0.1, 0.35) if division in ("C31", "C33") else (0.0, 0.1)
    v["recycled_material_input"] = _money(v["raw_material_input"] * rng.uniform(*recycled))
    v["suppliers_active"] = int(v["partners_total"] * rng.uniform(0.5, 0.8))
    v["customers_active"] = max(1, v["partners_total"] - v["suppliers_active"])
    v["suppliers_sharing_carbon"] = _share(rng, v["suppliers_active"], 0.25 * m)
    v["customers_sharing_carbon"] = _share(rng, v["customers_active"], 0.2 * m)
    not_applicable: dict[str, str] = {}
    if export_oriented:
        v["overseas_revenue"] = _money(revenue * rng.uniform(0.08, 0.45))
        v["overseas_procurement_share"] = round(rng.uniform(2, 30), 1)
        v["overseas_logistics_share"] = round(rng.uniform(2, 25), 1)
        if size == "large":
            v["overseas_rd_share"] = round(rng.uniform(0, 15), 1)
            v["overseas_capacity_share"] = round(rng.uniform(0, 20), 1)
    else:
        v["overseas_revenue"] = _money(revenue * rng.uniform(0, 0.03))
        not_applicable["global.footprint"] = "无境外研发、产能、采购或物流布局（示例）"
    v["total_staff"] = employees
    v["scm_staff"] = max(1, int(employees * rng.uniform(0.03, 0.10)))
    v["training_participations"] = int(v["scm_staff"] * rng.uniform(1, 2 + 4 * m))
    v["trainings_held"] = max(1, int(rng.uniform(2, 40) * m))
    v["scm_hires"] = int(v["scm_staff"] * rng.uniform(0.02, 0.15))
    v["scm_internal_promotions"] = int(v["scm_staff"] * rng.uniform(0.01, 0.08))
    unknown = tuple(k for k in MAY_BE_UNKNOWN if rng.random() < 0.12)
    for key in unknown:
        v.pop(key, None)
    if size == "micro" and rng.random() < 0.5:
        not_applicable["collaboration.resource_sharing_index"] = \
            "企业规模小，不拥有可对外开放的要素资源（示例）"
        v.pop("resource_sharing")
    return DemoAnswers(v, unknown, not_applicable)
