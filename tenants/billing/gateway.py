"""Every call to Stripe goes through this small interface.

``StripeGateway`` talks to Stripe (or to a localstripe server: ``STRIPE_API_BASE``) with the
official ``stripe`` package; tests may install another implementation with
:func:`install_gateway`. Results are plain dicts and dataclasses, so that nothing outside
this module depends on the ``stripe`` package's object model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import stripe
from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from tenants.errors import DomainError

_EXTENSION_KEY = "chaingauge_billing_gateway"


class GatewayError(DomainError):
    """Stripe refused or could not be reached; nothing was changed on our side."""

    status_code = 502


@dataclass(frozen=True)
class InvoiceSummary:
    id: str
    number: str | None
    status: str | None
    amount_due: int  # fen
    amount_paid: int  # fen
    currency: str
    created: datetime
    hosted_invoice_url: str | None
    invoice_pdf: str | None

    @property
    def amount_yuan(self) -> float:
        return (self.amount_paid or self.amount_due) / 100


class BillingGateway(Protocol):
    def create_customer(self, *, tenant_id: str, email: str, name: str) -> str:
        """A new Stripe customer for the tenant; returns its id."""

    def create_checkout_session(
        self, *, customer_id: str, lookup_key: str, quantity: int,
        minimum_quantity: int | None, tenant_id: str, plan: str,
        success_url: str, cancel_url: str,
    ) -> str:
        """A Checkout Session in subscription mode; returns the URL to send the owner to.
        ``minimum_quantity`` set means the buyer may choose the number of seats."""

    def create_portal_session(self, *, customer_id: str, return_url: str) -> str:
        """A Customer Portal session; returns its URL."""

    def retrieve_subscription(self, subscription_id: str) -> dict[str, Any]:
        """The subscription as Stripe holds it now, as a plain dict."""

    def list_invoices(self, customer_id: str, limit: int = 12) -> list[InvoiceSummary]:
        """The customer's newest invoices."""


class CatalogueGateway(Protocol):
    """Products and prices, for ``flask billing sync-plans``."""

    def get_product(self, product_id: str) -> dict[str, Any] | None: ...

    def create_product(self, product_id: str, name: str, metadata: dict[str, str]
                       ) -> dict[str, Any]: ...

    def update_product(self, product_id: str, name: str, metadata: dict[str, str]
                       ) -> dict[str, Any]: ...

    def find_price(self, lookup_key: str) -> dict[str, Any] | None: ...

    def create_price(self, *, product_id: str, lookup_key: str, unit_amount: int,
                     currency: str, interval: str, metadata: dict[str, str]
                     ) -> dict[str, Any]: ...

    def deactivate_price(self, price_id: str) -> None: ...


def _plain(obj: Any) -> dict[str, Any]:
    if isinstance(obj, dict):
        return obj
    result: dict[str, Any] = obj.to_dict()
    return result


def _invoice(raw: dict[str, Any]) -> InvoiceSummary:
    return InvoiceSummary(
        id=raw["id"], number=raw.get("number"), status=raw.get("status"),
        amount_due=int(raw.get("amount_due") or 0), amount_paid=int(raw.get("amount_paid") or 0),
        currency=str(raw.get("currency") or "cny"),
        created=datetime.fromtimestamp(int(raw.get("created") or 0), UTC),
        hosted_invoice_url=raw.get("hosted_invoice_url"), invoice_pdf=raw.get("invoice_pdf"),
    )


class StripeGateway:
    def __init__(self, secret_key: str, api_base: str | None = None) -> None:
        base = {"api": api_base} if api_base else None
        # No automatic retries: a request either completes within the page's request or
        # fails visibly; idempotency keys make a repeated click safe.
        self._client = stripe.StripeClient(secret_key, base_addresses=base,  # type: ignore[arg-type]
                                           max_network_retries=0)

    @property
    def v1(self) -> Any:
        return self._client.v1

    def _call(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except stripe.StripeError as error:
            current_app.logger.warning("stripe call failed: %s", error)
            raise GatewayError(_l("The payment provider could not be reached. "
                                  "Please try again in a moment.")) from error

    # -- BillingGateway ---------------------------------------------------------------
    def create_customer(self, *, tenant_id: str, email: str, name: str) -> str:
        customer = self._call(
            self.v1.customers.create,
            params={"email": email, "name": name, "metadata": {"tenant_id": tenant_id}},
            # a retried request (or a lost commit) finds the same customer, not a second one
            options={"idempotency_key": f"chaingauge-customer-{tenant_id}"},
        )
        return str(customer.id)

    def create_checkout_session(
        self, *, customer_id: str, lookup_key: str, quantity: int,
        minimum_quantity: int | None, tenant_id: str, plan: str,
        success_url: str, cancel_url: str,
    ) -> str:
        price = self.find_price(lookup_key)
        if price is None:
            raise GatewayError(_l("This plan is not available for purchase yet."))
        item: dict[str, Any] = {"price": price["id"], "quantity": quantity}
        if minimum_quantity is not None:
            item["adjustable_quantity"] = {"enabled": True, "minimum": minimum_quantity,
                                           "maximum": 10000}
        metadata = {"tenant_id": tenant_id, "plan": plan}
        session = self._call(self.v1.checkout.sessions.create, params={
            "mode": "subscription",
            "customer": customer_id,
            "client_reference_id": tenant_id,
            "line_items": [item],
            "metadata": metadata,
            "subscription_data": {"metadata": metadata},
            "success_url": success_url,
            "cancel_url": cancel_url,
        })
        return str(session.url)

    def create_portal_session(self, *, customer_id: str, return_url: str) -> str:
        session = self._call(self.v1.billing_portal.sessions.create,
                             params={"customer": customer_id, "return_url": return_url})
        return str(session.url)

    def retrieve_subscription(self, subscription_id: str) -> dict[str, Any]:
        return _plain(self._call(self.v1.subscriptions.retrieve, subscription_id))

    def list_invoices(self, customer_id: str, limit: int = 12) -> list[InvoiceSummary]:
        page = self._call(self.v1.invoices.list,
                          params={"customer": customer_id, "limit": limit})
        return [_invoice(_plain(raw)) for raw in page.data]

    # -- CatalogueGateway -------------------------------------------------------------
    def get_product(self, product_id: str) -> dict[str, Any] | None:
        try:
            return _plain(self.v1.products.retrieve(product_id))
        except stripe.InvalidRequestError as error:
            if error.http_status == 404:
                return None
            raise

    def create_product(self, product_id: str, name: str, metadata: dict[str, str]
                       ) -> dict[str, Any]:
        return _plain(self.v1.products.create(
            params={"id": product_id, "name": name, "metadata": metadata}))

    def update_product(self, product_id: str, name: str, metadata: dict[str, str]
                       ) -> dict[str, Any]:
        return _plain(self.v1.products.update(
            product_id, params={"name": name, "metadata": metadata, "active": True}))

    def find_price(self, lookup_key: str) -> dict[str, Any] | None:
        page = self._call(self.v1.prices.list,
                          params={"lookup_keys": [lookup_key], "active": True, "limit": 1})
        return _plain(page.data[0]) if page.data else None

    def create_price(self, *, product_id: str, lookup_key: str, unit_amount: int,
                     currency: str, interval: str, metadata: dict[str, str]
                     ) -> dict[str, Any]:
        return _plain(self.v1.prices.create(params={
            "product": product_id, "lookup_key": lookup_key, "unit_amount": unit_amount,
            "currency": currency, "recurring": {"interval": interval},
            "metadata": metadata,
            # prices cannot change in Stripe; a new one takes the key from the old one
            "transfer_lookup_key": True,
        }))

    def deactivate_price(self, price_id: str) -> None:
        self.v1.prices.update(price_id, params={"active": False})


def install_gateway(app: Flask, gateway: Any | None) -> None:
    """Use ``gateway`` instead of Stripe (tests, or None to go back to Stripe)."""
    if gateway is None:
        app.extensions.pop(_EXTENSION_KEY, None)
    else:
        app.extensions[_EXTENSION_KEY] = gateway


def _gateway() -> Any:
    installed = current_app.extensions.get(_EXTENSION_KEY)
    if installed is not None:
        return installed
    key = current_app.config.get("STRIPE_SECRET_KEY")
    if not key:
        raise RuntimeError("billing is off: no STRIPE_SECRET_KEY configured")
    return StripeGateway(key, current_app.config["STRIPE_API_BASE"])


def get_gateway() -> BillingGateway:
    """The gateway of the current app: an installed one, else Stripe with the app's keys."""
    gateway: BillingGateway = _gateway()
    return gateway


def catalogue_gateway() -> CatalogueGateway:
    gateway: CatalogueGateway = _gateway()
    return gateway
