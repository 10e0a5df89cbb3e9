"""Benchmark: evaluate 10,000 varied assessments in one process (target: < 2 s).

Usage: .venv/bin/python bench/evaluate.py [N] [--energy-share 0.0]

Documents are generated with a seeded RNG: random subsets of the inputs (so statuses vary:
ok, missing, not_computable, not_applicable), random levels, sub-counts within their totals.
Each assessment runs validation, formulas, scoring, aggregation and the contract output.
`--energy-share` sends that share of the documents through the energy calculator (an
`energy` list instead of `inputs.energy_tce`).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indicators import evaluate, load_framework

PAIRS = [
    ("partners_online_active", "partners_total"), ("deliveries_on_time", "deliveries_total"),
    ("units_qualified", "units_output"), ("payments_on_time", "payments_due"),
    ("orders_online", "orders_total"), ("security_investment", "it_investment"),
    ("green_product_sales", "product_sales"), ("green_purchases", "purchases_total"),
    ("recycled_material_input", "raw_material_input"),
    ("suppliers_sharing_carbon", "suppliers_active"),
    ("customers_sharing_carbon", "customers_active"), ("scm_staff", "total_staff"),
]
AREAS = ["rd_design", "demand_planning", "procurement", "production", "quality", "sales",
         "warehousing", "transport", "after_sales", "settlement"]
RESOURCES = ["production_capacity", "warehousing", "transport_infrastructure", "rd_design",
             "testing", "information_systems", "chain_data", "after_sales"]


def make_document(rng: random.Random, codes: list[str], levels: list[str],
                  energy_share: float) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    for sub, total in PAIRS:
        if rng.random() < 0.85:
            whole = rng.randint(0, 5000)
            inputs[total] = whole
            inputs[sub] = rng.randint(0, whole)
    revenue = round(rng.uniform(100, 100000), 2)
    inputs.update(
        operating_revenue=revenue, operating_cost=round(revenue * rng.uniform(0.6, 1.0), 2),
        period_expenses=round(revenue * rng.uniform(0.02, 0.15), 2),
        overseas_revenue=round(revenue * rng.uniform(0, 0.6), 2),
        digital_investment=round(revenue * rng.uniform(0, 0.05), 2),
        units_sold=rng.randint(0, 12000), units_produced=rng.randint(1, 10000),
        outbound_amount=round(rng.uniform(0, 50000), 2),
        average_inventory=round(rng.uniform(0, 10000), 2),
        output_value=round(rng.uniform(100, 100000), 2),
        emissions_tco2e=round(rng.uniform(0, 20000), 3),
        training_participations=rng.randint(0, 800), trainings_held=rng.randint(0, 40),
        scm_hires=rng.randint(0, 30), scm_internal_promotions=rng.randint(0, 30),
        security_incidents=rng.randint(0, 3),
        online_business_areas=rng.sample(AREAS, rng.randint(0, 10)),
        resource_sharing={r: (None if rng.random() < 0.3 else rng.randint(0, 100))
                          for r in rng.sample(RESOURCES, rng.randint(0, 8))},
        overseas_rd_share=rng.randint(0, 60), overseas_procurement_share=rng.randint(0, 60),
    )
    for code in levels:
        inputs[code] = rng.randint(1, 5)
    for name in rng.sample(sorted(inputs), rng.randint(0, 8)):  # leave some unanswered
        del inputs[name]
    doc: dict[str, Any] = {"framework": "scm-2024", "inputs": inputs, "year": 2023,
                           "not_applicable": rng.sample(codes, rng.randint(0, 2))}
    if rng.random() < energy_share:
        doc["energy"] = [{"carrier": "electricity", "quantity": rng.randint(1, 10**7),
                          "unit": "kWh"},
                         {"carrier": "natural_gas", "quantity": rng.randint(0, 10**6),
                          "unit": "m3"}]
    else:
        inputs["energy_tce"] = round(rng.uniform(0, 20000), 3)
    return doc


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=10_000)
    parser.add_argument("--energy-share", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=20240507)
    args = parser.parse_args()
    framework = load_framework("scm-2024")
    rng = random.Random(args.seed)
    codes = sorted(framework.indicators)
    levels = [c for c, i in framework.indicators.items() if i.qualitative]
    documents = [make_document(rng, codes, levels, args.energy_share) for _ in range(args.n)]
    evaluate(documents[0], framework=framework)  # warm the compiled plan and factor tables
    start = time.perf_counter()
    statuses: dict[str, int] = {}
    for doc in documents:
        out = evaluate(doc, framework=framework).to_contract()
        for entry in out["indicators"].values():
            statuses[entry["status"]] = statuses.get(entry["status"], 0) + 1
    seconds = time.perf_counter() - start
    print(f"{args.n} assessments in {seconds:.3f} s = {args.n / seconds:,.0f} assessments/s")
    print("indicator statuses:", dict(sorted(statuses.items())))


if __name__ == "__main__":
    main()
