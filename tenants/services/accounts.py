"""Sign-up, sign-in, e-mail verification and password reset."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import col

from tenants import queries
from tenants.context import system_scope
from tenants.db import db
from tenants.errors import DomainError
from tenants.mail import send_mail
from tenants.models import Membership, Role, Tenant, TenantKind, User
from tenants.security import (
    MIN_PASSWORD_LENGTH,
    TokenInvalid,
    burn_verification_time,
    hash_password,
    password_fingerprint,
    sign,
    slugify,
    unsign,
    verify_password,
)
from tenants.services import audit, sessions
from tenants.types import utcnow

VERIFY_PURPOSE = "verify-email"
RESET_PURPOSE = "reset-password"
VERIFY_MAX_AGE = 7 * 24 * 3600
RESET_MAX_AGE = 3600

RESERVED_SLUGS = frozenset({"admin", "api", "static", "login", "logout", "signup", "t", "www"})


def check_password_strength(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _l("Password must be at least %(n)d characters.", n=MIN_PASSWORD_LENGTH), field
        )


def unique_slug(name: str, requested: str | None = None) -> str:
    if requested:
        slug = slugify(requested)
        if not slug or slug in RESERVED_SLUGS or slug != requested.strip().lower():
            raise DomainError(
                _l("Use lower-case letters, digits and hyphens only."), "slug"
            )
        if queries.slug_taken(slug):
            raise DomainError(_l("This address is already taken."), "slug")
        return slug
    base = slugify(name) or "org"
    if base in RESERVED_SLUGS:
        base = f"{base}-org"
    slug = base
    while queries.slug_taken(slug):
        slug = f"{base}-{secrets.token_hex(2)}"
    return slug


def create_user(email: str, password: str, name: str = "", locale: str | None = None) -> User:
    email = email.strip().lower()
    check_password_strength(password)
    if queries.user_by_email(email) is not None:
        raise DomainError(_l("An account with this e-mail already exists."), "email")
    user = User(email=email, name=name.strip(), password_hash=hash_password(password),
                locale=locale)
    db.session.add(user)
    db.session.flush()
    return user


def create_tenant(
    owner: User, name: str, kind: TenantKind, slug: str | None = None, locale: str = "zh_CN"
) -> Tenant:
    name = name.strip()
    if not name:
        raise DomainError(_l("Enter the organisation's name."), "organisation")
    tenant = Tenant(kind=kind, name=name, slug=unique_slug(name, slug), locale=locale)
    db.session.add(tenant)
    db.session.flush()
    # The new tenant's first member: no scope of the caller's covers it yet (PostgreSQL's
    # policies admit a membership only in its tenant's scope), so it is written, and flushed,
    # in a logged system scope.
    with system_scope(db.session, "the owner membership of a new tenant"):
        db.session.add(Membership(tenant_id=tenant.id, user_id=owner.id, role=Role.owner))
        audit.record("tenant.created", tenant_id=tenant.id, subject=tenant.slug,
                     actor_user_id=owner.id, kind=kind)
        db.session.flush()
    return tenant


def sign_up(
    email: str,
    password: str,
    name: str,
    organisation: str,
    kind: TenantKind,
    slug: str | None = None,
    locale: str = "zh_CN",
) -> tuple[User, Tenant] | None:
    """A new, unconfirmed user and the first tenant they own, with a verification e-mail;
    or, if the address already has an account, nothing but an e-mail telling its owner.

    The caller answers both the same way, so sign-up does not tell who has an account; the
    checks of the form's other fields run in both cases, and the password is hashed in both
    (the slow part), so the two take about the same time.
    """
    email = email.strip().lower()
    check_password_strength(password)
    existing = queries.user_by_email(email)
    if existing is None:
        user = create_user(email, password, name, locale)
        tenant = create_tenant(user, organisation, kind, slug, locale)
        audit.record("user.signed_up", tenant_id=tenant.id, subject=user.email,
                     actor_user_id=user.id)
        send_verification(user)
        return user, tenant
    if not organisation.strip():
        raise DomainError(_l("Enter the organisation's name."), "organisation")
    unique_slug(organisation, slug)  # the same refusals as for a new address
    hash_password(password)  # the same work as for a new address, then discarded
    if existing.is_active:
        _mail(existing, "mail/signup_existing.txt",
              _l("Someone tried to create an account with your address"),
              login_link=url_for("auth.login", _external=True),
              reset_link=url_for("auth.forgot_password", _external=True))
    audit.record("user.signup_existing", subject=existing.email, actor_user_id=existing.id)
    return None


def _mail(user: User, template: str, subject: Any, **context: object) -> None:
    """``subject`` is a lazy string, rendered in the recipient's language with the body."""
    with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
        body = render_template(template, user=user, **context)
        send_mail(user.email, str(subject), body)


def send_verification(user: User) -> None:
    token = sign(VERIFY_PURPOSE, {"uid": str(user.id), "email": user.email})
    link = url_for("auth.verify_email", token=token, _external=True)
    _mail(user, "mail/verify_email.txt", _l("Confirm your e-mail address"), link=link)


def verify_email(token: str) -> tuple[User, bool]:
    """The user the link confirms, and whether this was the first confirmation."""
    data = unsign(VERIFY_PURPOSE, token, VERIFY_MAX_AGE)
    user = queries.user_by_id(uuid.UUID(data["uid"]))
    if user is None or user.email != data["email"] or not user.is_active:
        raise TokenInvalid(VERIFY_PURPOSE)
    if user.email_verified_at is not None:
        return user, False
    # Compare-and-set: of two clicks at once, one confirms (and may sign in).
    confirmed = db.session.execute(
        update(User).where(col(User.id) == user.id, col(User.email_verified_at).is_(None))
        .values(email_verified_at=utcnow()).execution_options(synchronize_session="fetch")
    ).rowcount == 1  # type: ignore[attr-defined]
    if confirmed:
        audit.record("user.email_verified", subject=user.email, actor_user_id=user.id)
    db.session.flush()
    return user, confirmed


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None; both outcomes are audited."""
    user = queries.user_by_email(email)
    if user is None:
        burn_verification_time(password)
        audit.record("auth.login_failed", subject=email.strip().lower()[:200], reason="unknown")
        return None
    if not user.is_active or not verify_password(user.password_hash, password):
        audit.record("auth.login_failed", subject=user.email, actor_user_id=user.id,
                     reason="inactive" if not user.is_active else "password")
        return None
    if user.email_verified_at is None:
        # Answered like a wrong password: otherwise signing up with someone's address and
        # then signing in would tell whether the address had an account. The owner gets a
        # new link (which signs them in).
        send_verification(user)
        audit.record("auth.login_failed", subject=user.email, actor_user_id=user.id,
                     reason="unverified")
        return None
    audit.record("auth.login", subject=user.email, actor_user_id=user.id)
    return user


def request_password_reset(email: str) -> None:
    """Mail a reset link if the account exists; the caller says the same thing either way."""
    user = queries.user_by_email(email)
    if user is None or not user.is_active:
        return
    fingerprint = password_fingerprint(user.password_hash)
    token = sign(RESET_PURPOSE, {"uid": str(user.id), "fp": fingerprint})
    link = url_for("auth.reset_password", token=token, _external=True)
    _mail(user, "mail/reset_password.txt", _l("Reset your password"), link=link,
          minutes=RESET_MAX_AGE // 60)
    audit.record("auth.reset_requested", subject=user.email, actor_user_id=user.id)


def user_for_reset_token(token: str) -> User:
    data = unsign(RESET_PURPOSE, token, RESET_MAX_AGE)
    user = queries.user_by_id(uuid.UUID(data["uid"]))
    if user is None or password_fingerprint(user.password_hash) != data.get("fp"):
        raise TokenInvalid(RESET_PURPOSE)  # already used: the password has changed since
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    change_password(user, new_password)
    audit.record("auth.password_reset", subject=user.email, actor_user_id=user.id)
    return user


def change_password(user: User, new_password: str,
                    keep_session: uuid.UUID | None = None) -> None:
    """Set a new password and end every session of the user but ``keep_session`` (the
    browser changing it, if it is signed in as the user)."""
    check_password_strength(new_password)
    user.password_hash = hash_password(new_password)
    db.session.flush()
    sessions.end_all(user.id, keep=keep_session, reason="password_changed")


def set_timezone(user: User, timezone: str) -> None:
    """The user's time zone for pages (an IANA name the settings offer)."""
    from tenants.localtime import KNOWN

    if timezone not in KNOWN:
        raise DomainError(_l("Choose a time zone from the list."), "timezone")
    user.timezone = timezone
    db.session.flush()


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()
