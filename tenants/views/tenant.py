"""A tenant's own pages: home, members and invitations, links, audit log."""

from __future__ import annotations

import uuid

from flask import abort, flash, g, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from tenants import confirm, queries
from tenants.audit_labels import audit_label
from tenants.errors import DomainError
from tenants.forms import (
    GRANT_LABELS,
    ActionForm,
    InviteForm,
    LinkRequestForm,
    LinkResponseForm,
    RoleForm,
)
from tenants.models import LinkGrant, Role
from tenants.services import links, memberships
from tenants.web import (
    current_tenant,
    flash_error,
    form_error,
    home_panels,
    requires_role,
    tenant_blueprint,
)

bp = tenant_blueprint("tenant", __name__)

MANAGERS = (Role.owner, Role.admin)


@bp.route("/")
def home() -> str:
    tenant = current_tenant()
    session["last_tenant"] = tenant.slug
    return render_template("tenant/home.html",
                           panels=home_panels(tenant, g.membership))


@bp.route("/members")
def members() -> str:
    tenant = current_tenant()
    return render_template(
        "tenant/members.html",
        members=queries.members_of(tenant.id),
        invitations=queries.open_invitations(),
        invite_form=InviteForm(),
        role_form=RoleForm(),
        action_form=ActionForm(),
    )


@bp.route("/members/invite", methods=["POST"])
@requires_role(*MANAGERS)
def invite() -> Response | tuple[str, int]:
    tenant = current_tenant()
    form = InviteForm()
    if form.validate_on_submit():
        try:
            memberships.invite(tenant, current_user, form.email.data or "", Role(form.role.data))
        except DomainError as error:
            form_error(form, error)
        else:
            flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("tenant.members"))
    return render_template(
        "tenant/members.html",
        members=queries.members_of(tenant.id), invitations=queries.open_invitations(),
        invite_form=form, role_form=RoleForm(), action_form=ActionForm(),
    ), 422


@bp.route("/members/<uuid:user_id>/role", methods=["POST"])
@requires_role(*MANAGERS)
def change_role(user_id: uuid.UUID) -> Response:
    if queries.membership(current_tenant().id, user_id) is None:
        abort(404)  # before the form: an invalid form must not hide whose member this is
    form = RoleForm()
    if form.validate_on_submit():
        try:
            memberships.change_role(current_tenant(), current_user, user_id, Role(form.role.data))
        except DomainError as error:
            if error.status_code == 404:
                raise
            flash_error(error)
        else:
            flash(_("Role changed."), "success")
    return redirect(url_for("tenant.members"))


@bp.route("/members/<uuid:user_id>/remove", methods=["POST"])
@requires_role(*MANAGERS)
def remove_member(user_id: uuid.UUID) -> Response | tuple[str, int]:
    if ActionForm().validate_on_submit():
        if not confirm.confirmed():
            member = queries.membership(current_tenant().id, user_id)
            user = queries.user_by_id(user_id) if member is not None else None
            if user is None:
                abort(404)
            return confirm.ask(
                title=_("Remove member"), button=_("Remove member"), danger=True,
                cancel=url_for("tenant.members"),
                sentence=_("%(name)s will lose access to %(organisation)s at once; only a new "
                           "invitation can bring them back.", name=user.name or user.email,
                           organisation=current_tenant().name))
        try:
            memberships.remove_member(current_tenant(), current_user, user_id)
        except DomainError as error:
            if error.status_code == 404:
                raise
            flash_error(error)
        else:
            flash(_("Member removed."), "success")
    return redirect(url_for("tenant.members"))


@bp.route("/invitations/<uuid:invitation_id>/revoke", methods=["POST"])
@requires_role(*MANAGERS)
def revoke_invitation(invitation_id: uuid.UUID) -> Response:
    if ActionForm().validate_on_submit():
        memberships.revoke_invitation(current_tenant(), current_user, invitation_id)
        flash(_("Invitation withdrawn."), "success")
    return redirect(url_for("tenant.members"))


def _render_links(request_form: LinkRequestForm | None = None) -> str:
    tenant = current_tenant()
    return render_template(
        "tenant/links.html",
        outgoing=queries.outgoing_links(tenant.id),
        incoming=queries.incoming_links(tenant.id),
        request_form=request_form or LinkRequestForm(),
        response_form=LinkResponseForm(),
        action_form=ActionForm(),
        grant_labels=GRANT_LABELS,
        inviting=True,  # an enterprise invites its suppliers (customer_supplier links)
    )


@bp.route("/links")
def links_page() -> str:
    return _render_links()


@bp.route("/links/request", methods=["POST"])
@requires_role(*MANAGERS)
def request_link() -> Response | tuple[str, int]:
    form = LinkRequestForm()
    if form.validate_on_submit():
        try:
            links.request_link(current_tenant(), current_user, form.enterprise.data or "",
                               [LinkGrant(g) for g in form.grants.data or []])
        except DomainError as error:
            form_error(form, error)
        else:
            flash(_("Request sent. The enterprise must accept it."), "success")
            return redirect(url_for("tenant.links_page"))
    return _render_links(form), 422


@bp.route("/links/<uuid:link_id>/accept", methods=["POST"])
@requires_role(*MANAGERS)
def accept_link(link_id: uuid.UUID) -> Response:
    form = LinkResponseForm()
    if form.validate_on_submit():
        links.respond(current_tenant(), current_user, link_id, True, bool(form.may_be_named.data))
        flash(_("Link accepted."), "success")
    return redirect(url_for("tenant.links_page"))


@bp.route("/links/<uuid:link_id>/decline", methods=["POST"])
@requires_role(*MANAGERS)
def decline_link(link_id: uuid.UUID) -> Response:
    if ActionForm().validate_on_submit():
        links.respond(current_tenant(), current_user, link_id, False)
        flash(_("Link declined."), "success")
    return redirect(url_for("tenant.links_page"))


@bp.route("/links/<uuid:link_id>/revoke", methods=["POST"])
@requires_role(*MANAGERS)
def revoke_link(link_id: uuid.UUID) -> Response | tuple[str, int]:
    if ActionForm().validate_on_submit():
        if not confirm.confirmed():
            tenant = current_tenant()
            other = next((t for link, t in [*queries.outgoing_links(tenant.id),
                                            *queries.incoming_links(tenant.id)]
                          if link.id == link_id), None)
            if other is None:
                abort(404)
            return confirm.ask(
                title=_("End link"), button=_("End link"), danger=True,
                cancel=url_for("tenant.links_page"),
                sentence=_("The link with %(organisation)s ends now: nothing it granted can be "
                           "seen through it any more, and only a new link request, accepted "
                           "again, restores it.", organisation=other.name))
        links.revoke(current_tenant(), current_user, link_id)
        flash(_("Link ended."), "success")
    return redirect(url_for("tenant.links_page"))


@bp.route("/audit")
@requires_role(*MANAGERS)
def audit_log() -> str:
    return render_template("tenant/audit.html", events=queries.audit_events(current_tenant().id),
                           audit_label=audit_label)
