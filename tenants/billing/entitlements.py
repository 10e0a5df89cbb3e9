"""The one place that answers "may this tenant do X" and "how much of Y is left".

Services call :func:`require` / :func:`require_capacity` before they change anything;
templates may call :func:`may` to hide a button, but the service is what enforces. A refusal
(:class:`EntitlementRequired`) says what is needed and links to the billing page.

What a tenant may use right now is computed on read from its ``BillingAccount`` and the
clock (:func:`standing`), so that "7 days after a failed payment" and "at the end of the
period" need no job to become true. Pass ``now`` to ask about another moment.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, has_request_context, render_template, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from tenants.billing import queries
from tenants.billing.config import billing_enabled
from tenants.billing.models import LIVE_STATUSES, TERMINAL_STATUSES, BillingAccount
from tenants.billing.plans import FREE, Plan, catalogue
from tenants.context import current_tenant_id, system_scope
from tenants.db import db
from tenants.errors import Forbidden
from tenants.models import LinkKind, LinkStatus, Tenant, TenantKind
from tenants.types import utcnow

FEATURE_LABELS: dict[str, Any] = {
    "pdf_reports": _l("PDF reports"),
    "full_benchmarks": _l("Full peer benchmarks"),
    "evidence_storage": _l("Evidence storage"),
    "dashboards": _l("Member dashboards"),
    "cohort_reports": _l("Cohort reports"),
    "bulk_reports": _l("Bulk reports"),
    "branding": _l("Your own branding"),
}
LIMIT_LABELS: dict[str, Any] = {
    "users": _l("users"),
    "assessments_per_year": _l("assessments a year"),
    "member_seats": _l("member seats"),
    "client_seats": _l("client seats"),
}


class EntitlementRequired(Forbidden):
    """The tenant's plan does not include this; ``upgrade_url`` is where to change that."""

    def __init__(self, message: Any, upgrade_url: str, field: str | None = None) -> None:
        super().__init__(message, field)
        self.upgrade_url = upgrade_url


@dataclass(frozen=True)
class Standing:
    """What a tenant's plan allows right now, and why."""

    billing_enabled: bool
    plan: Plan  # the plan whose features and limits apply now
    subscribed: Plan  # the plan the subscription names (may differ: grace over, ended)
    # self_hosted | free | active | trialing | canceling | grace | grace_expired | ended
    # | incomplete
    state: str
    account: BillingAccount | None

    @property
    def quantity(self) -> int | None:
        return self.account.quantity if self.account else None


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: Any = None  # a lazy, translatable sentence when refused
    upgrade_url: str | None = None

    def __bool__(self) -> bool:
        return self.allowed


# -- the tenant's standing ------------------------------------------------------------------
def standing(tenant: Tenant, now: datetime | None = None) -> Standing:
    plans = catalogue()
    free = plans.get(FREE)
    if not billing_enabled():
        return Standing(False, free, free, "self_hosted", None)
    now = now or utcnow()
    account = queries.account(tenant.id)
    if account is None or account.stripe_subscription_id is None or account.plan == FREE:
        return Standing(True, free, free, "free", account)
    subscribed = plans.get(account.plan)
    status = account.status or ""
    if status in TERMINAL_STATUSES:
        state = "ended"
    elif status not in LIVE_STATUSES:
        state = "incomplete"  # never paid for (incomplete) or paused: nothing to grant
    elif (account.cancel_at_period_end and account.current_period_end is not None
          and now >= account.current_period_end):
        # Stripe ends the subscription at this moment; do not wait for its webhook.
        state = "ended"
    elif account.grace_until is not None:
        state = "grace" if now < account.grace_until else "grace_expired"
    elif account.cancel_at_period_end:
        state = "canceling"
    else:
        # active or trialing; or past_due with no grace left open, which means a payment
        # newer than the failure arrived before Stripe's own status update did.
        state = "trialing" if status == "trialing" else "active"
    granted = state in ("active", "trialing", "canceling", "grace")
    return Standing(True, subscribed if granted else free, subscribed, state, account)


def upgrade_url(tenant: Tenant) -> str:
    if has_request_context():
        return url_for("billing.page", slug=tenant.slug)
    return f"/t/{tenant.slug}/billing/"


def _locale() -> str:
    locale = get_locale() if has_request_context() else None
    return str(locale) if locale else "zh_CN"


def _plan_names(plans: list[Plan]) -> str:
    locale = _locale()
    return "、".join(p.name(locale) for p in plans) if locale.startswith("zh") else \
        ", ".join(p.name(locale) for p in plans)


# -- features -------------------------------------------------------------------------------
def may(tenant: Tenant, feature: str, now: datetime | None = None) -> Decision:
    """May ``tenant`` use ``feature`` now? A refusal carries its reason and an upgrade link."""
    if feature not in catalogue().features:
        raise ValueError(f"unknown feature {feature!r}")
    current = standing(tenant, now)
    if not current.billing_enabled or feature in current.plan.features:
        return Decision(True)
    offering = catalogue().plans_with(feature, str(tenant.kind)) or \
        catalogue().plans_with(feature)
    reason = _l("%(feature)s is not included in your plan (%(plan)s). It comes with "
                "%(plans)s; upgrade on the billing page.",
                feature=FEATURE_LABELS[feature], plan=current.plan.name(_locale()),
                plans=_plan_names(offering))
    if current.state == "grace_expired":
        reason = _l("Your last payment failed and the 7-day grace period is over, so your "
                    "organisation is back on the Free plan. Update your payment details on "
                    "the billing page to use %(feature)s again.",
                    feature=FEATURE_LABELS[feature])
    return Decision(False, reason, upgrade_url(tenant))


def require(tenant: Tenant, feature: str, now: datetime | None = None) -> None:
    """Raise :class:`EntitlementRequired` unless ``tenant`` may use ``feature``."""
    decision = may(tenant, feature, now)
    if not decision:
        raise EntitlementRequired(decision.reason, decision.upgrade_url or "")


# -- limits ---------------------------------------------------------------------------------
Counter = Callable[[Tenant], int]
_counters: dict[str, Counter] = {}


def register_counter(limit: str, counter: Counter) -> None:
    """Packages that own what a limit counts register how to count it (e.g. assessments)."""
    _counters[limit] = counter


def _in_tenant(tenant_id: uuid.UUID, count: Callable[[], int]) -> int:
    if current_tenant_id(db.session) == tenant_id:
        return count()
    with system_scope(db.session, "entitlement usage count"):
        return count()


def _count_users(tenant: Tenant) -> int:
    # Open invitations count: each one becomes a user when accepted. Memberships, like
    # invitations, are visible on PostgreSQL only in their tenant's scope.
    return _in_tenant(tenant.id, lambda: queries.member_count(tenant.id)
                      + queries.open_invitation_count(tenant.id))


def _count_links(kind: LinkKind) -> Counter:
    # links are visible only to their two sides (row-level security on PostgreSQL)
    return lambda tenant: _in_tenant(
        tenant.id, lambda: queries.link_count(tenant.id, kind, [LinkStatus.accepted]))


register_counter("users", _count_users)
register_counter("member_seats", _count_links(LinkKind.association_member))
register_counter("client_seats", _count_links(LinkKind.consultancy_client))


def usage(tenant: Tenant, limit: str) -> int:
    counter = _counters.get(limit)
    return counter(tenant) if counter else 0


def allowance(tenant: Tenant, limit: str, now: datetime | None = None) -> int | None:
    """How many of ``limit`` the plan allows now (None: no limit)."""
    if limit not in catalogue().limit_names:
        raise ValueError(f"unknown limit {limit!r}")
    current = standing(tenant, now)
    if not current.billing_enabled:
        return None
    return current.plan.limit(limit, current.quantity)


def remaining(tenant: Tenant, limit: str, now: datetime | None = None) -> int | None:
    """How many more of ``limit`` the tenant may add now (None: no limit)."""
    allowed = allowance(tenant, limit, now)
    if allowed is None:
        return None
    return max(allowed - usage(tenant, limit), 0)


def require_capacity(tenant: Tenant, limit: str, adding: int = 1,
                     now: datetime | None = None, field: str | None = None) -> None:
    """Raise :class:`EntitlementRequired` unless ``adding`` more of ``limit`` fit the plan."""
    left = remaining(tenant, limit, now)
    if left is None or left >= adding:
        return
    current = standing(tenant, now)
    allowed = current.plan.limit(limit, current.quantity) or 0
    if current.plan.limits.get(limit) == "quantity":
        message = _l("All %(n)d %(what)s you pay for are in use. Add seats on the billing "
                     "page.", n=allowed, what=LIMIT_LABELS[limit])
    else:
        message = _l("Your plan (%(plan)s) allows %(n)d %(what)s, and that is reached. "
                     "Upgrade on the billing page.", plan=current.plan.name(_locale()),
                     n=allowed, what=LIMIT_LABELS[limit])
    raise EntitlementRequired(message, upgrade_url(tenant), field)


def require_seat_for_link(source: Tenant, adding: int = 1) -> None:
    """Before an association or consultancy asks an enterprise to link: a seat must be free.

    Seats in use are the accepted links; a pending request holds a seat too, so that accepting
    it can never exceed what is paid for (the enterprise that accepts cannot buy seats).
    """
    limit = {TenantKind.association: "member_seats",
             TenantKind.consultancy: "client_seats"}.get(TenantKind(source.kind))
    if limit is None:
        return
    kind = LinkKind.association_member if limit == "member_seats" else \
        LinkKind.consultancy_client
    pending = _in_tenant(source.id,
                         lambda: queries.link_count(source.id, kind, [LinkStatus.pending]))
    require_capacity(source, limit, adding=pending + adding, field="enterprise")


def usage_table(tenant: Tenant, now: datetime | None = None
                ) -> list[tuple[str, Any, int, int | None]]:
    """(limit, label, used, allowed) for the limits that matter to this kind of tenant."""
    relevant = {"enterprise": ["users", "assessments_per_year"],
                "association": ["users", "member_seats"],
                "consultancy": ["users", "client_seats"]}.get(str(tenant.kind), ["users"])
    return [(name, LIMIT_LABELS[name], usage(tenant, name), allowance(tenant, name, now))
            for name in relevant]


# -- the refusal page -----------------------------------------------------------------------
def init_app(app: Flask) -> None:
    @app.errorhandler(EntitlementRequired)
    def _entitlement_required(error: EntitlementRequired) -> tuple[str, int]:
        return render_template("billing/required.html", message=str(error.message),
                               upgrade_url=error.upgrade_url), error.status_code
