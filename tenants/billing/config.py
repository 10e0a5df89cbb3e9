"""Billing configuration. With no Stripe secret key the product runs self-hosted: billing is
off and every feature is available (``make run`` and the demo never need a Stripe account).

CHAINGAUGE_STRIPE_SECRET_KEY      sk_live_... / sk_test_...; its presence turns billing on
CHAINGAUGE_STRIPE_WEBHOOK_SECRET  whsec_...; without it every webhook is refused
CHAINGAUGE_STRIPE_API_BASE        optional, e.g. a localstripe server for tests
"""

from __future__ import annotations

from flask import Flask, current_app


def init_app(app: Flask) -> None:
    # The STRIPE_* settings and their defaults are in the platform's table (tenants.config).
    from tenants.billing import cli, entitlements

    entitlements.init_app(app)  # the refusal page, with its upgrade link
    cli.register(app)


def billing_enabled(app: Flask | None = None) -> bool:
    app = app or current_app
    return bool(app.config.get("STRIPE_SECRET_KEY"))
