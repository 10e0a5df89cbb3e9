"""plans.yaml validation, and ``flask billing sync-plans`` (idempotent)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tenants.billing import cli
from tenants.billing.gateway import install_gateway
from tenants.billing.plans import PLANS_FILE, PlanFileError, catalogue, parse


def test_plans_as_documented():
    plans = catalogue()
    assert plans.currency == "cny"
    free, pro = plans.plans["free"], plans.plans["professional"]
    assert free.price is None and free.features == frozenset()
    assert free.limits["assessments_per_year"] == 1
    assert {"pdf_reports", "full_benchmarks", "evidence_storage"} <= pro.features
    assert pro.limits["users"] == 10
    assert plans.plans["association"].price.unit == "member_seat"
    assert plans.plans["consultancy"].price.unit == "client_seat"
    assert {"dashboards", "cohort_reports", "bulk_reports"} <= plans.plans["association"].features
    assert {"branding", "bulk_reports"} <= plans.plans["consultancy"].features
    # Derived frameworks are not sold until tenants can upload one (planned with campaigns).
    assert "derived_frameworks" not in plans.features


def _raw() -> dict[str, Any]:
    return yaml.safe_load(PLANS_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["plans"]["professional"]["features"].append("teleport"), "unknown features"),
    (lambda d: d["plans"]["professional"]["limits"].pop("users"), "limits must name"),
    (lambda d: d["plans"]["professional"].update(price=None), "needs a price"),
    (lambda d: d["plans"]["professional"]["price"].update(amount=-1), "positive"),
    (lambda d: d.update(currency="usd"), "cny"),
    (lambda d: d["plans"]["professional"]["limits"].update(users="quantity"), "per-seat"),
])
def test_broken_plan_files_are_refused(change, message):
    data = _raw()
    change(data)
    with pytest.raises(PlanFileError, match=message):
        parse(data)


class FakeCatalogue:
    def __init__(self) -> None:
        self.products: dict[str, dict[str, Any]] = {}
        self.prices: list[dict[str, Any]] = []
        self.writes = 0

    def get_product(self, product_id):
        return self.products.get(product_id)

    def create_product(self, product_id, name, metadata):
        self.writes += 1
        self.products[product_id] = {"id": product_id, "name": name, "metadata": metadata,
                                     "active": True}
        return self.products[product_id]

    def update_product(self, product_id, name, metadata):
        self.writes += 1
        self.products[product_id].update(name=name, metadata=metadata, active=True)
        return self.products[product_id]

    def find_price(self, lookup_key):
        return next((p for p in self.prices if p["lookup_key"] == lookup_key
                     and p["active"]), None)

    def create_price(self, *, product_id, lookup_key, unit_amount, currency, interval,
                     metadata):
        self.writes += 1
        for price in self.prices:  # transfer_lookup_key
            if price["lookup_key"] == lookup_key:
                price["lookup_key"] = None
        price = {"id": f"price_{len(self.prices)}", "product": product_id,
                 "lookup_key": lookup_key, "unit_amount": unit_amount, "currency": currency,
                 "recurring": {"interval": interval}, "metadata": metadata, "active": True}
        self.prices.append(price)
        return price

    def deactivate_price(self, price_id):
        self.writes += 1
        next(p for p in self.prices if p["id"] == price_id)["active"] = False


def test_sync_plans_creates_then_changes_nothing_then_replaces_a_changed_price():
    stripe = FakeCatalogue()
    first = cli.sync_plans(stripe, catalogue())
    assert "professional: product created" in first
    assert "professional: price chaingauge_professional_year created" in first
    assert stripe.find_price("chaingauge_professional_year")["unit_amount"] == 1280000
    writes = stripe.writes
    second = cli.sync_plans(stripe, catalogue())
    assert stripe.writes == writes
    assert all(line.endswith("unchanged") for line in second)
    data = _raw()
    data["plans"]["professional"]["price"]["amount"] = 13800
    third = cli.sync_plans(stripe, parse(data))
    assert "professional: price chaingauge_professional_year replaced" in third
    assert stripe.find_price("chaingauge_professional_year")["unit_amount"] == 1380000
    assert len([p for p in stripe.prices if p["active"]]) == len(catalogue().paid_plans())


def test_sync_plans_command(app, monkeypatch):
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["billing", "sync-plans"])
    assert refused.exit_code != 0 and "billing is off" in refused.output
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", "sk_test_sync")
    stripe = FakeCatalogue()
    install_gateway(app, stripe)
    try:
        assert runner.invoke(args=["billing", "sync-plans"]).exit_code == 0
        again = runner.invoke(args=["billing", "sync-plans"])
    finally:
        install_gateway(app, None)
    assert again.exit_code == 0
    assert "consultancy: price chaingauge_consultancy_year unchanged" in again.output
