"""Branding: a logo, a brand colour and a footer text on every report a tenant issues.

Consultancies brand the reports they issue for their clients; associations their cohort
reports. An enterprise's own report carries ChainGauge's default look.
"""

from __future__ import annotations

import base64
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import lazy_gettext as _l

from assessment.reports import queries
from assessment.reports.logos import LogoRejected, clean_logo, clean_svg
from assessment.reports.models import DEFAULT_BRAND_COLOUR, TenantBranding
from tenants.billing import entitlements
from tenants.context import system_scope
from tenants.db import db
from tenants.errors import Conflict, FieldErrors, Forbidden
from tenants.models import Membership, Role, Tenant, TenantKind, User
from tenants.types import utcnow

log = logging.getLogger(__name__)

BRAND_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")  # the only form that may reach CSS
FOOTER_MAX = 200

LOGO_MESSAGES = {
    "empty": _l("The logo file is empty."),
    "too_large": _l("The logo is too large: at most 512 KB and 2000 × 2000 pixels."),
    "type": _l("The logo must be a PNG, JPEG or SVG image."),
    "svg": _l("This SVG file cannot be read safely. Export it again as plain SVG or PNG."),
    "svg_complex": _l("The logo is too complex to draw: at most 4000 shapes, including the "
                      "copies that <use> elements make, and no copies of copies without end. "
                      "Simplify it or upload a PNG."),
}


@dataclass(frozen=True)
class ReportBranding:
    """What a report template needs; never carries raw user markup."""

    issuer_name: str
    logo_data_url: str | None
    brand_colour: str
    footer_text: str


def save_branding(tenant: Tenant, membership: Membership, user: User, *,
                  logo: bytes | None = None, remove_logo: bool = False,
                  brand_colour: str = DEFAULT_BRAND_COLOUR, footer_text: str = "",
                  expected_version: int | None = None) -> TenantBranding:
    if Role(membership.role) not in (Role.owner, Role.admin):
        raise Forbidden(_l("Only owners and administrators change the branding."))
    if tenant.kind == TenantKind.enterprise:
        raise Forbidden(_l("Branding is for consultancies and associations."))
    entitlements.require(tenant, "branding")
    errors: dict[str, object] = {}
    if not BRAND_COLOUR.match(brand_colour or ""):
        errors["brand_colour"] = _l("Enter a colour as #RRGGBB, for example #0F5C8C.")
    footer = " ".join(footer_text.split())
    if len(footer) > FOOTER_MAX or any(unicodedata.category(c) == "Cc" for c in footer):
        errors["footer_text"] = _l("The footer is one line of at most 200 characters.")
    cleaned = None
    if logo:
        try:
            cleaned = clean_logo(logo)
        except LogoRejected as rejected:
            errors["logo"] = LOGO_MESSAGES[rejected.reason]
    if errors:
        raise FieldErrors(errors)
    row = queries.branding()
    if row is not None and expected_version is not None and row.version != expected_version:
        raise Conflict(_l("Someone else changed the branding after you opened it. Reload the "
                          "page to see their changes."))
    if row is None:
        row = TenantBranding()
        db.session.add(row)
    else:
        row.version += 1
    if cleaned is not None:
        row.logo, row.logo_media_type = cleaned.content, cleaned.media_type
    elif remove_logo:
        row.logo, row.logo_media_type = None, None
    row.brand_colour = brand_colour.lower()
    row.footer_text = footer
    row.updated_by_id = user.id
    row.updated_at = utcnow()
    db.session.flush()
    return row


def report_branding(issuer: Tenant) -> ReportBranding:
    """The branding of the tenant issuing a report (read across tenants: system scope)."""
    with system_scope(db.session, "report branding of the issuing tenant"):
        row = queries.branding_of(issuer.id)
    if row is None or not entitlements.may(issuer, "branding"):
        return ReportBranding(issuer.name, None, DEFAULT_BRAND_COLOUR, "")
    logo = None
    if row.logo and row.logo_media_type:
        logo = stored_logo_data_url(row.logo, row.logo_media_type)
    return ReportBranding(issuer.name, logo, row.brand_colour, row.footer_text)


@lru_cache(maxsize=64)
def stored_logo_data_url(content: bytes, media_type: str) -> str | None:
    """A stored logo as a data URL, its SVG cleaned again under today's rules.

    Logos stored before the sanitiser bounded ``<use>`` copies (or under any older rule) must
    not reach the renderer as they are: an SVG is cleaned again here (a few milliseconds,
    cached by content) and one that is now refused is left out of the report, which renders
    without a logo, rather than hang it. PNGs were re-encoded and bounded on upload.
    """
    if media_type == "image/svg+xml":
        try:
            content = clean_svg(content)
        except LogoRejected as rejected:
            log.warning("stored logo refused at render time; the report has no logo",
                        extra={"reason": rejected.reason})
            return None
    elif media_type != "image/png":
        return None
    return f"data:{media_type};base64,{base64.b64encode(content).decode()}"

