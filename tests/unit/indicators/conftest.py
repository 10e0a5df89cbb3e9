"""Small factories for the indicator tests: input documents and frameworks."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from indicators import evaluate, load_framework
from indicators.framework.model import Framework

# One complete, plausible enterprise: every indicator of scm-2024 computes.
FULL_INPUTS: dict[str, Any] = {
    "collaboration.organization": 3,
    "online_business_areas": ["procurement", "production", "sales", "warehousing"],
    "partners_online_active": 40, "partners_total": 100,
    "resource_sharing": {"warehousing": 40, "testing": 20, "chain_data": None},
    "units_sold": 980, "units_produced": 1000,
    "operating_cost": 8000, "period_expenses": 1000, "operating_revenue": 10000,
    "outbound_amount": 6000, "average_inventory": 1000,
    "deliveries_on_time": 965, "deliveries_total": 1000,
    "units_qualified": 990, "units_output": 1000,
    "payments_on_time": 900, "payments_due": 1000,
    "digital.strategy": 2, "digital_investment": 100,
    "orders_online": 800, "orders_total": 1000,
    "security_investment": 50, "it_investment": 1000, "security_incidents": 1,
    "energy_tce": 500, "emissions_tco2e": 1200, "output_value": 10000,
    "green_product_sales": 1000, "product_sales": 9000,
    "green_purchases": 500, "purchases_total": 5000,
    "recycled_material_input": 100, "raw_material_input": 1000,
    "suppliers_sharing_carbon": 5, "customers_sharing_carbon": 5,
    "suppliers_active": 80, "customers_active": 20,
    "overseas_revenue": 1000,
    "overseas_rd_share": 5, "overseas_capacity_share": 10,
    "overseas_procurement_share": 20, "overseas_logistics_share": 5,
    "global.rule_participation": 1,
    "resilience.supply_control": 3, "resilience.production_control": 3,
    "resilience.logistics_control": 2, "resilience.risk_warning": 4,
    "scm_staff": 50, "total_staff": 1000,
    "training_participations": 100, "trainings_held": 6,
    "scm_hires": 3, "scm_internal_promotions": 2,
}


@pytest.fixture
def document() -> Callable[..., dict[str, Any]]:
    """document(**inputs, not_applicable=[...]) -> an input document."""

    def build(not_applicable: list[str] | None = None, **inputs: Any) -> dict[str, Any]:
        doc: dict[str, Any] = {"framework": "scm-2024", "inputs": inputs}
        if not_applicable is not None:
            doc["not_applicable"] = not_applicable
        return doc

    return build


@pytest.fixture
def full_document() -> Callable[..., dict[str, Any]]:
    """full_document(**overrides) -> the complete enterprise with some inputs changed."""

    def build(**overrides: Any) -> dict[str, Any]:
        inputs = {**FULL_INPUTS, **overrides}
        given = {k: v for k, v in inputs.items() if v is not None}
        return {"framework": "scm-2024", "inputs": given}

    return build


@pytest.fixture
def indicator() -> Callable[..., dict[str, Any]]:
    """indicator(code, **inputs) -> that indicator's contract output."""

    def run(code: str, **inputs: Any) -> dict[str, Any]:
        # Pinned to 1.0.0: these tests check that version's bands (2.0.0 has its own tests).
        out = evaluate({"inputs": inputs}, framework=load_framework("scm-2024", "1.0.0"))
        out = out.to_contract()
        return out["indicators"][code]  # type: ignore[no-any-return]

    return run


@pytest.fixture
def derived_file(tmp_path: Path) -> Callable[[str], Path]:
    """derived_file(yaml_text) -> path of a derived framework file in a temp dir."""

    def write(text: str, name: str = "derived.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def scm() -> Framework:
    """Version 1.0.0, whose bands these tests check (2.0.0: test_calibrated_scoring.py)."""
    return load_framework("scm-2024", "1.0.0")


@pytest.fixture
def json_file(tmp_path: Path) -> Callable[[Any], Path]:
    def write(data: Any, name: str = "doc.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return write
