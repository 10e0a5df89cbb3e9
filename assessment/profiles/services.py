"""Saving the enterprise profile: validated field by field, size class derived, versioned."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from assessment.profiles import hooks, queries
from assessment.profiles.models import EnterpriseProfile
from assessment.profiles.rules import province, size_class, uscc_problem
from indicators.catalogue.industries import find_division
from tenants.db import db
from tenants.errors import Conflict, FieldErrors, Forbidden
from tenants.models import Membership, Role, User
from tenants.types import utcnow

USCC_MESSAGES = {
    "length": _l("A unified social credit code has 18 characters."),
    "characters": _l("A unified social credit code uses digits and upper-case letters except "
                     "I, O, Z, S and V."),
    "check": _l("The last character does not match: check the code for a typing error."),
}


class ProfileInvalid(FieldErrors):
    """Every field error of the profile at once: {field: message}."""


@dataclass(frozen=True)
class ProfileData:
    legal_name: str
    credit_code: str
    industry_division: str
    employees: Any
    revenue_wan: Any
    province: str
    export_oriented: bool = False
    chain_leader: bool = False
    benchmark_opt_in: bool = False


def _clean(data: ProfileData) -> tuple[dict[str, Any], dict[str, Any]]:
    errors: dict[str, Any] = {}
    clean: dict[str, Any] = {}
    name = (data.legal_name or "").strip()
    if not name:
        errors["legal_name"] = _l("Enter the enterprise's legal name.")
    clean["legal_name"] = name
    code = (data.credit_code or "").strip().upper()
    problem = uscc_problem(code)
    if problem:
        errors["credit_code"] = USCC_MESSAGES[problem]
    clean["credit_code"] = code
    division = find_division(data.industry_division or "")
    if division is None or not 13 <= int(division.code[1:]) <= 43:
        errors["industry_division"] = _l("Choose a manufacturing division (C13 to C43).")
    else:
        clean["industry_division"] = division.code
    try:
        employees = int(str(data.employees).strip())
        if employees < 0:
            raise ValueError
        clean["employees"] = employees
    except (TypeError, ValueError):
        errors["employees"] = _l("Enter the number of employees as a whole number, 0 or more.")
    try:
        revenue = Decimal(str(data.revenue_wan).strip())
        if not revenue.is_finite() or revenue < 0:
            raise InvalidOperation
        clean["revenue_wan"] = revenue.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors["revenue_wan"] = _l("Enter the operating revenue in 10,000 CNY, 0 or more.")
    if province(data.province or "") is None:
        errors["province"] = _l("Choose a province.")
    clean["province"] = data.province
    clean["export_oriented"] = bool(data.export_oriented)
    clean["chain_leader"] = bool(data.chain_leader)
    clean["benchmark_opt_in"] = bool(data.benchmark_opt_in)
    return clean, errors


def clean_profile(data: ProfileData) -> dict[str, Any]:
    """The profile's column values from ``data`` (the size class derived), or
    :class:`ProfileInvalid` with every field's error (the demo loader writes them in bulk)."""
    clean, errors = _clean(data)
    if errors:
        raise ProfileInvalid(errors)
    clean["size_class"] = size_class(clean["employees"], clean["revenue_wan"]).code
    return clean


def save_profile(membership: Membership, user: User, data: ProfileData,
                 expected_version: int | None = None) -> EnterpriseProfile:
    if Role(membership.role) not in (Role.owner, Role.admin):
        raise Forbidden(_l("Only owners and administrators edit the profile."))
    clean = clean_profile(data)
    profile = queries.profile()
    if profile is not None and expected_version is not None and \
            expected_version != profile.version:
        raise Conflict(_l("Someone else changed the profile after you opened it. Reload the "
                          "page to see their changes."))
    if profile is None:
        profile = EnterpriseProfile(**clean, updated_by_id=user.id)
        db.session.add(profile)
    else:
        opt_in_changed = profile.benchmark_opt_in != clean["benchmark_opt_in"]
        for key, value in clean.items():
            setattr(profile, key, value)
        if opt_in_changed:
            hooks.opt_in_changed(profile.tenant_id, clean["benchmark_opt_in"])
        profile.version += 1
        profile.updated_by_id = user.id
        profile.updated_at = utcnow()
    db.session.flush()
    return profile


def join_benchmark_pool(membership: Membership, user: User) -> bool:
    """Opt the current enterprise in to the platform's anonymous benchmark pool (asked at its
    first finalisation). Decided by the database: one conditional UPDATE; True when this
    call changed it, False when it was already in or there is no profile."""
    if Role(membership.role) not in (Role.owner, Role.admin):
        raise Forbidden(_l("Only owners and administrators edit the profile."))
    profile = queries.profile()
    if profile is None:
        return False
    table = EnterpriseProfile.__table__  # type: ignore[attr-defined]
    result = db.session.execute(
        sa.update(table)
        .where(table.c.tenant_id == profile.tenant_id, table.c.benchmark_opt_in == sa.false())
        .values(benchmark_opt_in=True, version=table.c.version + 1, updated_by_id=user.id,
                updated_at=utcnow())
    )
    db.session.expire(profile)
    joined = bool(getattr(result, "rowcount", 0))
    if joined:
        hooks.opt_in_changed(profile.tenant_id, True)
    return joined
