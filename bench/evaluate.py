"""Benchmark: evaluate 10,000 varied assessments in one process (target: < 2 s).

Usage: .venv/bin/python bench/evaluate.py [N] [--energy-share 0.7] [--process-share 0.2]

Documents are generated with a seeded RNG: random subsets of the inputs (so statuses vary:
ok, missing, not_computable, not_applicable), random levels, sub-counts within their totals.
Each assessment runs validation, formulas, scoring, aggregation and the contract output.

The default mix is meant to look like real assessments, most of which report energy:
`--energy-share` (70 %) of the documents carry an `energy` list of 1-6 carrier entries
(coal, coke, natural gas, diesel, grid electricity and green certificates, heat, steam; some
with their own `kgce_per_unit`, units in English or Chinese) that the energy calculator turns
into `energy_tce` and `emissions_tco2e`; the others give `inputs.energy_tce` directly.
`--process-share` (20 %) of the documents carry `process_emissions` (one or two gases).
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


# (carrier, units, quantity range, kgce_per_unit override range or None): plausible entries.
CARRIERS: list[tuple[str, tuple[str, ...], tuple[int, int], tuple[float, float] | None]] = [
    ("raw_coal", ("t", "吨"), (10, 200_000), (0.55, 0.75)),
    ("cleaned_coal", ("t",), (10, 50_000), None),
    ("coke", ("t",), (10, 80_000), None),
    ("natural_gas", ("m3", "10^4 m3", "万立方米"), (100, 5_000_000), None),
    ("diesel", ("t", "kg"), (1, 5_000), None),
    ("gasoline", ("t",), (1, 2_000), None),
    ("lpg", ("kg", "t"), (10, 500_000), None),
    ("electricity", ("kWh", "MWh", "万千瓦时", "度"), (1_000, 50_000_000), None),
    ("heat", ("GJ", "MJ"), (100, 2_000_000), None),
    ("steam", ("GJ",), (100, 1_000_000), None),
]
GASES = ["CO2", "CH4", "N2O", "SF6", "HFC-134a", "CF4"]


def energy_list(rng: random.Random) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for carrier, units, (low, high), override in rng.sample(CARRIERS, rng.randint(1, 6)):
        entry: dict[str, Any] = {"carrier": carrier, "unit": rng.choice(units),
                                 "quantity": (rng.randint(low, high) if rng.random() < 0.5
                                              else round(rng.uniform(low, high), 2))}
        if carrier == "natural_gas" and rng.random() < 0.3:  # own calorific value
            per_m3 = round(rng.uniform(1.1, 1.33), 4)
            entry["kgce_per_unit"] = per_m3 * (1 if entry["unit"] == "m3" else 10_000)
        elif override is not None and rng.random() < 0.3:
            entry["kgce_per_unit"] = round(rng.uniform(*override) * 1000, 1)
        elif carrier == "steam" and rng.random() < 0.2:  # steam in tonnes needs kgce
            entry.update(unit="t", quantity=rng.randint(100, 200_000),
                         kgce_per_unit=round(rng.uniform(100, 130), 2))
        entries.append(entry)
        if carrier == "electricity" and rng.random() < 0.3:  # green certificates
            entries.append({"carrier": "electricity", "unit": "MWh", "source":
                            rng.choice(["green_certificate", "renewable_onsite"]),
                            "quantity": rng.randint(1, 20_000)})
    return entries


def make_document(rng: random.Random, codes: list[str], levels: list[str],
                  energy_share: float, process_share: float) -> dict[str, Any]:
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
        doc["energy"] = energy_list(rng)
        inputs.pop("emissions_tco2e", None)  # computed from the list
        if rng.random() < 0.1:
            doc["options"] = rng.choice([{"gwp_set": "AR6"}, {"grid_series": "fossil_only"}])
    else:
        inputs["energy_tce"] = round(rng.uniform(0, 20000), 3)
    if rng.random() < process_share:
        doc["process_emissions"] = [{"gas": gas, "tonnes": round(rng.uniform(0, 500), 3)}
                                    for gas in rng.sample(GASES, rng.randint(1, 2))]
        # Process emissions compute the emissions: a given total beside them would be
        # refused (the contract's totals rule).
        inputs.pop("emissions_tco2e", None)
    return doc


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=10_000)
    parser.add_argument("--energy-share", type=float, default=0.7)
    parser.add_argument("--process-share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=20240507)
    args = parser.parse_args()
    framework = load_framework("scm-2024")
    rng = random.Random(args.seed)
    codes = sorted(framework.indicators)
    levels = [c for c, i in framework.indicators.items() if i.qualitative]
    documents = [make_document(rng, codes, levels, args.energy_share, args.process_share)
                 for _ in range(args.n)]
    # Warm the compiled plan and the factor tables (loaded once per process).
    for doc in documents[:50]:
        evaluate(doc, framework=framework)
    start, cpu_start = time.perf_counter(), time.process_time()
    statuses: dict[str, int] = {}
    with_energy = 0
    for doc in documents:
        out = evaluate(doc, framework=framework).to_contract()
        for entry in out["indicators"].values():
            statuses[entry["status"]] = statuses.get(entry["status"], 0) + 1
        with_energy += "energy" in doc
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    print(f"{args.n} assessments in {seconds:.3f} s = {args.n / seconds:,.0f} assessments/s"
          f" (CPU time of this process {cpu:.3f} s; more wall time means other load)")
    with_process = sum("process_emissions" in doc for doc in documents)
    print(f"with an energy list: {with_energy}, with process emissions: {with_process}")
    print("indicator statuses:", dict(sorted(statuses.items())))


if __name__ == "__main__":
    main()
