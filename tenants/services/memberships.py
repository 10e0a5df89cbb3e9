"""Members of a tenant: invitations, roles and removal."""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from tenants import queries
from tenants.billing import entitlements
from tenants.context import set_tenant, system_scope
from tenants.db import db
from tenants.errors import Conflict, DomainError, Forbidden, NotFound
from tenants.mail import send_mail
from tenants.models import Invitation, Membership, Role, Tenant, User
from tenants.notifications import EventKind, notify, register_event
from tenants.security import new_token, token_digest
from tenants.services import audit
from tenants.types import utcnow

INVITATION_LIFETIME = timedelta(days=7)

# In-app only: the e-mail with the invitation's link (a token) goes out anyway, and the
# token is never stored, so the notification points to that e-mail instead of linking.
MEMBER_INVITED = register_event(EventKind(
    "member.invited", _l("Invitations to join an organisation"),
    _l("You are invited to join %(name)s"),
    _l("%(inviter)s invited you. Accept with the link in the invitation e-mail sent to "
       "%(email)s; it is valid for %(days)s days."),
    email=False, robot=False))


def _require_manager(tenant: Tenant, actor: User) -> Membership:
    member = queries.membership(tenant.id, actor.id)
    if member is None:
        raise NotFound(_l("Not found."))
    if not Role(member.role).manages_members:
        raise Forbidden(_l("Only owners and administrators can manage members."))
    return member


def _check_role_grant(actor_role: Role, role: Role) -> None:
    if role == Role.owner and actor_role != Role.owner:
        raise Forbidden(_l("Only an owner can make someone an owner."), "role")


def invite(tenant: Tenant, actor: User, email: str, role: Role) -> tuple[Invitation, str]:
    """Create an invitation and mail its link; returns the invitation and its raw token."""
    actor_member = _require_manager(tenant, actor)
    _check_role_grant(Role(actor_member.role), role)
    email = email.strip().lower()
    existing = queries.user_by_email(email)
    if existing is not None and queries.membership(tenant.id, existing.id) is not None:
        raise Conflict(_l("This person is already a member."), "email")
    entitlements.require_capacity(tenant, "users", field="email")
    token = new_token()
    invitation = Invitation(
        tenant_id=tenant.id, email=email, role=role, token_hash=token_digest(token),
        invited_by_id=actor.id, expires_at=utcnow() + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    db.session.flush()
    link = url_for("auth.invitation", token=token, _external=True)
    locale = existing.locale if existing and existing.locale else tenant.locale
    with force_locale(locale or current_app.config["DEFAULT_LOCALE"]):
        body = render_template("mail/invitation.txt", tenant=tenant, inviter=actor, link=link,
                               role=role, days=INVITATION_LIFETIME.days)
        send_mail(email, str(_l("You are invited to join %(name)s", name=tenant.name)), body)
    audit.record("member.invited", tenant_id=tenant.id, subject=email, role=role)
    if existing is not None:
        notify(db.session, tenant_id=tenant.id, user_ids=[existing.id],
               event=MEMBER_INVITED.key,
               params={"name": tenant.name, "inviter": actor.name or actor.email,
                       "email": email, "days": INVITATION_LIFETIME.days})
    return invitation, token


def revoke_invitation(tenant: Tenant, actor: User, invitation_id: uuid.UUID) -> None:
    _require_manager(tenant, actor)
    invitation = queries.invitation(invitation_id)
    if invitation is None or invitation.accepted_at or invitation.revoked_at:
        raise NotFound(_l("Not found."))
    invitation.revoked_at = utcnow()
    audit.record("member.invitation_revoked", tenant_id=tenant.id, subject=invitation.email)
    db.session.flush()


class InvitationUnusable(DomainError):
    """Expired, revoked, already used or unknown."""


def find_invitation(token: str) -> tuple[Invitation, Tenant]:
    """The open invitation behind a raw token. The token is all we know, hence system scope."""
    with system_scope(db.session, "invitation lookup by token"):
        invitation = queries.invitation_by_token_hash(token_digest(token))
        if invitation is None or invitation.revoked_at is not None:
            raise InvitationUnusable(_l("This invitation link is not valid."))
        if invitation.accepted_at is not None:
            raise InvitationUnusable(_l("This invitation has already been used."))
        if invitation.expires_at < utcnow():
            raise InvitationUnusable(
                _l("This invitation has expired. Ask for a new one.")
            )
        tenant = queries.tenant_by_id(invitation.tenant_id)
        assert tenant is not None
        return invitation, tenant


def accept_invitation(token: str, user: User) -> Tenant:
    invitation, tenant = find_invitation(token)
    if invitation.email != user.email:
        raise Forbidden(
            _l("This invitation was sent to %(email)s. Sign in with that address.",
               email=invitation.email)
        )
    set_tenant(db.session, tenant.id)
    invitation = queries.invitation(invitation.id) or invitation
    invitation.accepted_at = utcnow()
    if queries.membership(tenant.id, user.id) is None:
        db.session.add(Membership(tenant_id=tenant.id, user_id=user.id, role=invitation.role))
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()  # the link in the invitation proved the address
    audit.record("member.joined", tenant_id=tenant.id, subject=user.email, role=invitation.role)
    db.session.flush()
    return tenant


def _target_membership(tenant: Tenant, user_id: uuid.UUID) -> Membership:
    member = queries.membership(tenant.id, user_id)
    if member is None:
        raise NotFound(_l("Not found."))
    return member


def change_role(tenant: Tenant, actor: User, user_id: uuid.UUID, role: Role) -> Membership:
    actor_member = _require_manager(tenant, actor)
    target = _target_membership(tenant, user_id)
    _check_role_grant(Role(actor_member.role), role)
    if target.role == Role.owner and Role(actor_member.role) != Role.owner:
        raise Forbidden(_l("Only an owner can change another owner's role."), "role")
    if target.role == Role.owner and role != Role.owner and queries.owner_count(tenant.id) <= 1:
        raise Conflict(_l("The last owner cannot be demoted. Make someone else an owner first."),
                       "role")
    old = target.role
    target.role = role
    user = queries.user_by_id(user_id)
    audit.record("member.role_changed", tenant_id=tenant.id,
                 subject=user.email if user else str(user_id), old=old, new=role)
    db.session.flush()
    return target


def remove_member(tenant: Tenant, actor: User, user_id: uuid.UUID) -> None:
    actor_member = _require_manager(tenant, actor)
    target = _target_membership(tenant, user_id)
    if target.role == Role.owner:
        if Role(actor_member.role) != Role.owner:
            raise Forbidden(_l("Only an owner can remove another owner."))
        if queries.owner_count(tenant.id) <= 1:
            raise Conflict(_l("The last owner cannot be removed."))
    user = queries.user_by_id(user_id)
    db.session.delete(target)
    audit.record("member.removed", tenant_id=tenant.id,
                 subject=user.email if user else str(user_id), role=target.role)
    db.session.flush()
