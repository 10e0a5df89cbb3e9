"""``flask --app app billing sync-plans``: create or update the Stripe products and prices
that match plans.yaml. Safe to run again: it finds products by their fixed id and prices by
their lookup key, and changes only what differs."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup

from tenants.billing.config import billing_enabled
from tenants.billing.gateway import CatalogueGateway, catalogue_gateway
from tenants.billing.plans import Catalogue, Plan, catalogue

billing_cli = AppGroup("billing", help="Subscriptions and plans (Stripe).")


def _product_metadata(plan: Plan) -> dict[str, str]:
    return {"chaingauge_plan": plan.key}


def _price_matches(price: dict[str, Any], plan: Plan, currency: str) -> bool:
    assert plan.price is not None
    recurring = price.get("recurring") or {}
    return (price.get("unit_amount") == plan.price.unit_amount_fen
            and str(price.get("currency")).lower() == currency
            and recurring.get("interval") == plan.price.interval
            and (price.get("metadata") or {}).get("chaingauge_plan") == plan.key)


def sync_plans(gateway: CatalogueGateway, plans: Catalogue) -> list[str]:
    """Bring Stripe in line with ``plans``; returns one line per change (or "unchanged")."""
    report = []
    for plan in plans.paid_plans():
        assert plan.price is not None
        name = f"ChainGauge {plan.name('en')} · {plan.name('zh_CN')}"
        metadata = _product_metadata(plan)
        product = gateway.get_product(plan.product_id)
        if product is None:
            gateway.create_product(plan.product_id, name, metadata)
            report.append(f"{plan.key}: product created")
        elif product.get("name") != name or (product.get("metadata") or {}) != metadata \
                or not product.get("active", True):
            gateway.update_product(plan.product_id, name, metadata)
            report.append(f"{plan.key}: product updated")
        price = gateway.find_price(plan.lookup_key)
        if price is not None and _price_matches(price, plan, plans.currency):
            report.append(f"{plan.key}: price {plan.lookup_key} unchanged")
            continue
        gateway.create_price(product_id=plan.product_id, lookup_key=plan.lookup_key,
                             unit_amount=plan.price.unit_amount_fen, currency=plans.currency,
                             interval=plan.price.interval, metadata=metadata)
        if price is not None:
            gateway.deactivate_price(price["id"])  # superseded; existing subscriptions keep it
            report.append(f"{plan.key}: price {plan.lookup_key} replaced")
        else:
            report.append(f"{plan.key}: price {plan.lookup_key} created")
    return report


@billing_cli.command("sync-plans")
def sync_plans_command() -> None:
    """Create or update the Stripe products and prices of plans.yaml (idempotent)."""
    if not billing_enabled():
        raise click.ClickException(
            "billing is off: set CHAINGAUGE_STRIPE_SECRET_KEY to sync plans with Stripe")
    for line in sync_plans(catalogue_gateway(), catalogue()):
        click.echo(line)


def register(app: Flask) -> None:
    app.cli.add_command(billing_cli)
