"""Billing configuration. With no Stripe secret key the product runs self-hosted: billing is
off and every feature is available (``make run`` and the demo never need a Stripe account).

CHAINGAUGE_STRIPE_SECRET_KEY      sk_live_... / sk_test_...; its presence turns billing on
CHAINGAUGE_STRIPE_WEBHOOK_SECRET  whsec_...; without it every webhook is refused
CHAINGAUGE_STRIPE_API_BASE        optional, e.g. a localstripe server for tests
"""

from __future__ import annotations

from flask import Flask, current_app

DEFAULTS = {
    "STRIPE_SECRET_KEY": None,
    "STRIPE_WEBHOOK_SECRET": None,
    "STRIPE_API_BASE": None,
    # Seconds a webhook's signed timestamp may differ from our clock (Stripe's default).
    "STRIPE_WEBHOOK_TOLERANCE": 300,
}


def init_app(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    from tenants.billing import cli, entitlements

    entitlements.init_app(app)  # the refusal page, with its upgrade link
    cli.register(app)


def billing_enabled(app: Flask | None = None) -> bool:
    app = app or current_app
    return bool(app.config.get("STRIPE_SECRET_KEY"))
