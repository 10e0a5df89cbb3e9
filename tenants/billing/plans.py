"""The plans, loaded from ``plans.yaml`` and validated once.

A plan is data: the features it includes, its limits and its price. Nothing else in the
code names a plan's contents; entitlements read them from here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PLANS_FILE = Path(__file__).with_name("plans.yaml")
FREE = "free"
QUANTITY = "quantity"  # a limit equal to the number of seats bought
INTERVALS = ("month", "year")
UNITS = ("tenant", "member_seat", "client_seat")
TENANT_KINDS = ("enterprise", "association", "consultancy")


class PlanFileError(ValueError):
    """plans.yaml does not describe a valid set of plans."""


@dataclass(frozen=True)
class Price:
    amount: int  # whole yuan per unit per interval
    interval: str
    unit: str
    minimum_quantity: int = 1

    @property
    def unit_amount_fen(self) -> int:
        """Stripe counts CNY in fen (1/100 yuan)."""
        return self.amount * 100

    @property
    def per_seat(self) -> bool:
        return self.unit != "tenant"


@dataclass(frozen=True)
class Plan:
    key: str
    names: dict[str, str]
    tenant_kinds: tuple[str, ...]
    price: Price | None
    features: frozenset[str]
    limits: dict[str, int | str | None] = field(default_factory=dict)

    def name(self, locale: str = "zh_CN") -> str:
        """The plan's name for ``locale`` ("zh_CN", "zh_Hans_CN" as Babel spells it, "en")."""
        if locale.startswith("zh"):
            locale = "zh_CN"
        elif locale.startswith("en"):
            locale = "en"
        return self.names.get(locale) or self.names.get("en") or self.key

    @property
    def paid(self) -> bool:
        return self.price is not None

    @property
    def lookup_key(self) -> str:
        """The Stripe price's lookup key; it names the plan and its price terms, so that a
        changed price gets a new Stripe price (prices are immutable there)."""
        assert self.price is not None
        return f"chaingauge_{self.key}_{self.price.interval}"

    @property
    def product_id(self) -> str:
        return f"chaingauge_{self.key}"

    def limit(self, name: str, quantity: int | None = None) -> int | None:
        value = self.limits[name]
        if value == QUANTITY:
            return quantity or 0
        return value if value is None else int(value)


@dataclass(frozen=True)
class Catalogue:
    currency: str
    features: tuple[str, ...]
    limit_names: tuple[str, ...]
    plans: dict[str, Plan]

    def get(self, key: str | None) -> Plan:
        return self.plans.get(key or FREE) or self.plans[FREE]

    def paid_plans(self) -> list[Plan]:
        return [p for p in self.plans.values() if p.paid]

    def plans_with(self, feature: str, tenant_kind: str | None = None) -> list[Plan]:
        return [p for p in self.plans.values() if feature in p.features
                and (tenant_kind is None or tenant_kind in p.tenant_kinds)]

    def by_lookup_key(self, lookup_key: str) -> Plan | None:
        return next((p for p in self.paid_plans() if p.lookup_key == lookup_key), None)


def _fail(message: str) -> PlanFileError:
    return PlanFileError(f"{PLANS_FILE.name}: {message}")


def _price(key: str, raw: Any) -> Price | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _fail(f"plan {key}: price must be a mapping or null")
    amount, interval, unit = raw.get("amount"), raw.get("interval"), raw.get("unit")
    minimum = raw.get("minimum_quantity", 1)
    if not isinstance(amount, int) or amount <= 0:
        raise _fail(f"plan {key}: price.amount must be a positive whole number of yuan")
    if interval not in INTERVALS:
        raise _fail(f"plan {key}: price.interval must be one of {INTERVALS}")
    if unit not in UNITS:
        raise _fail(f"plan {key}: price.unit must be one of {UNITS}")
    if not isinstance(minimum, int) or minimum < 1:
        raise _fail(f"plan {key}: price.minimum_quantity must be a positive integer")
    return Price(amount, interval, unit, minimum)


def parse(data: Any) -> Catalogue:
    if not isinstance(data, dict):
        raise _fail("expected a mapping")
    currency = data.get("currency")
    if currency != "cny":
        raise _fail("currency must be cny")
    features = tuple(data.get("features") or ())
    limit_names = tuple(data.get("limits") or ())
    raw_plans = data.get("plans")
    if not isinstance(raw_plans, dict) or FREE not in raw_plans:
        raise _fail("plans must be a mapping that includes 'free'")
    plans: dict[str, Plan] = {}
    for key, raw in raw_plans.items():
        if not isinstance(raw, dict):
            raise _fail(f"plan {key}: expected a mapping")
        names = raw.get("name") or {}
        if not isinstance(names, dict) or not names.get("zh_CN") or not names.get("en"):
            raise _fail(f"plan {key}: name needs zh_CN and en")
        kinds = tuple(raw.get("tenant_kinds") or ())
        if not kinds or any(k not in TENANT_KINDS for k in kinds):
            raise _fail(f"plan {key}: tenant_kinds must name {TENANT_KINDS}")
        plan_features = frozenset(raw.get("features") or ())
        unknown = plan_features - set(features)
        if unknown:
            raise _fail(f"plan {key}: unknown features {sorted(unknown)}")
        limits = dict(raw.get("limits") or {})
        if set(limits) != set(limit_names):
            raise _fail(f"plan {key}: limits must name exactly {list(limit_names)}")
        for name, value in limits.items():
            if not (value is None or value == QUANTITY
                    or (isinstance(value, int) and value >= 0)):
                raise _fail(f"plan {key}: limit {name} must be a count, null or 'quantity'")
        price = _price(key, raw.get("price"))
        if key == FREE and price is not None:
            raise _fail("the free plan has no price")
        if key != FREE and price is None:
            raise _fail(f"plan {key}: a paid plan needs a price")
        if QUANTITY in limits.values() and (price is None or not price.per_seat):
            raise _fail(f"plan {key}: a 'quantity' limit needs a per-seat price")
        plans[key] = Plan(key, {str(k): str(v) for k, v in names.items()}, kinds, price,
                          plan_features, limits)
    return Catalogue(currency, features, limit_names, plans)


@functools.cache
def catalogue() -> Catalogue:
    with PLANS_FILE.open(encoding="utf-8") as handle:
        return parse(yaml.safe_load(handle))
