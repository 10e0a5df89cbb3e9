"""Billing: plans as data, Stripe behind a small gateway, webhooks, entitlements.

Stripe holds the money; ChainGauge holds an idempotent picture of each tenant's
subscription (``models.BillingAccount``), built only from signed webhooks, and answers
"may this tenant do X" in one place (``entitlements``). With no Stripe keys configured the
product runs self-hosted: billing is off and every feature is available.
"""

from __future__ import annotations

from tenants.billing.config import billing_enabled, init_app

__all__ = ["billing_enabled", "init_app"]
