"""Pages: the signed-in user's notification centre and e-mail choices (``/notifications``),
and a tenant's group robots (``/t/<slug>/settings/notifications``, owners and admins)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tenants.db import db
from tenants.errors import DomainError, NotFound
from tenants.forms import ActionForm
from tenants.models import Role
from tenants.notifications import queries, services
from tenants.notifications.events import event_kinds, render
from tenants.notifications.forms import RobotForm
from tenants.notifications.models import RobotKind
from tenants.notifications.robots import KIND_LABELS, mask_secret, mask_url
from tenants.web import current_tenant, form_error, local_path, tenant_blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications",
               template_folder="templates")
channels_bp = tenant_blueprint("notification_channels", __name__, "/settings/notifications",
                               roles=[Role.owner, Role.admin], template_folder="templates")

def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


@bp.route("/")
@login_required
def index() -> str:
    page = _page_number()
    rows, total = queries.page_of(current_user.id, page)
    items = [(note, *render(note.event, note.params)) for note in rows]
    newest = rows[0].created_at.isoformat() if rows and page == 1 else ""
    return render_template("notifications/index.html", items=items, page=page, total=total,
                           pages=max(1, -(-total // queries.PAGE_SIZE)), newest=newest,
                           form=ActionForm())


@bp.route("/<uuid:notification_id>/open", methods=["POST"])
@login_required
def open_one(notification_id: uuid.UUID) -> Response:
    """Mark read, then go to the subject (a local path only)."""
    ActionForm().validate_on_submit()  # CSRFProtect has already checked the token
    try:
        services.mark_read(current_user.id, notification_id)
    except NotFound:
        abort(404)
    note = queries.notification_of(current_user.id, notification_id)
    target = local_path(note.url if note else None)
    return redirect(target or url_for("notifications.index"))


@bp.route("/<uuid:notification_id>/read", methods=["POST"])
@login_required
def read_one(notification_id: uuid.UUID) -> Response:
    ActionForm().validate_on_submit()
    try:
        services.mark_read(current_user.id, notification_id)
    except NotFound:
        abort(404)
    return redirect(url_for("notifications.index", page=_page_number()))


@bp.route("/read-all", methods=["POST"])
@login_required
def read_all() -> Response:
    ActionForm().validate_on_submit()
    up_to: datetime | None = None
    raw = request.form.get("up_to", "")
    if raw:
        try:
            up_to = datetime.fromisoformat(raw)
        except ValueError:
            abort(400)
        if up_to.tzinfo is None:  # the page writes an aware time; anything else is not ours
            abort(400)
    count = services.mark_all_read(current_user.id, up_to)
    flash(ngettext("%(num)d notification marked read.", "%(num)d notifications marked read.",
                   count), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> Response | str:
    kinds = [k for k in event_kinds() if k.email]
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        chosen = {k.key: request.form.get(f"email-{k.key}") == "on" for k in kinds}
        services.set_email_preferences(current_user, chosen)
        flash(_("Your choices are saved."), "success")
        return redirect(url_for("notifications.settings"))
    opted_out = queries.email_opt_outs(current_user.id)
    return render_template("notifications/settings.html", kinds=kinds, opted_out=opted_out,
                           form=form)


# -- a tenant's robots -------------------------------------------------------------------------
def _error_text(kind: str | None, detail: str | None) -> str:
    if kind == "timeout":
        return _("The robot's server did not answer in time.")
    if kind == "connection":
        return _("The robot's server could not be reached.")
    if kind == "status":
        return _("The robot's server refused the message (HTTP status %(status)s).",
                 status=detail or "")
    if kind == "platform":
        return _("The platform refused the message: %(reason)s", reason=detail or "")
    if kind == "address":
        return _("The robot's address is no longer allowed, or the robot was removed.")
    return ""


def _render_channels(add_form: RobotForm | None = None, status: int = 200
                     ) -> tuple[str, int]:
    tenant = current_tenant()
    robots = queries.robots_of(tenant.id)
    edit_forms = {}
    for robot in robots:
        # formdata=None: after a refused POST the other robots' forms show what is stored
        form = RobotForm(formdata=None, prefix=f"r{robot.id.hex[:8]}", data={
            "kind": robot.kind, "name": robot.name, "events": robot.events,
            "enabled": robot.enabled})
        edit_forms[robot.id] = form
    deliveries = queries.robot_deliveries(tenant.id)
    names = {r.id: r.name for r in robots}
    return render_template(
        "notifications/channels.html", robots=robots, edit_forms=edit_forms,
        add_form=add_form or RobotForm(), action_form=ActionForm(), mask_url=mask_url,
        mask_secret=mask_secret, kind_labels=KIND_LABELS, deliveries=deliveries,
        robot_names=names, error_text=_error_text,
        event_labels={k.key: k.label for k in event_kinds()}), status


@channels_bp.route("/")
def channels() -> tuple[str, int]:
    return _render_channels()


@channels_bp.route("/robots", methods=["POST"])
def add_robot() -> Response | tuple[str, int]:
    form = RobotForm()
    if form.validate_on_submit():
        try:
            services.add_robot(current_tenant(), kind=form.kind.data or "",
                               name=form.name.data or "", url=form.url.data or "",
                               secret=form.secret.data, events=form.events.data or [])
        except DomainError as error:
            form_error(form, error)
        else:
            flash(_("The robot is added."), "success")
            return redirect(url_for("notification_channels.channels"))
    return _render_channels(form, 422)


def _edit_form(robot_id: uuid.UUID) -> RobotForm:
    return RobotForm(prefix=f"r{robot_id.hex[:8]}")


@channels_bp.route("/robots/<uuid:robot_id>", methods=["POST"])
def update_robot(robot_id: uuid.UUID) -> Response | tuple[str, int]:
    form = _edit_form(robot_id)
    form.kind.data = form.kind.data or RobotKind.wecom.value  # the kind does not change
    if form.validate_on_submit():
        try:
            services.update_robot(current_tenant(), robot_id, name=form.name.data or "",
                                  url=form.url.data, secret=form.secret.data,
                                  events=form.events.data or [], enabled=bool(form.enabled.data))
        except NotFound:
            abort(404)
        except DomainError as error:
            flash(str(error.message), "error")
            return _render_channels(None, 422)
        flash(_("The robot is saved."), "success")
        return redirect(url_for("notification_channels.channels"))
    if not any(r.id == robot_id for r in queries.robots_of(current_tenant().id)):
        abort(404)
    flash(_("Check the robot's name and address."), "error")
    return _render_channels(None, 422)


@channels_bp.route("/robots/<uuid:robot_id>/remove", methods=["POST"])
def remove_robot(robot_id: uuid.UUID) -> Response:
    ActionForm().validate_on_submit()
    try:
        services.remove_robot(current_tenant(), robot_id)
    except NotFound:
        abort(404)
    flash(_("The robot is removed."), "success")
    return redirect(url_for("notification_channels.channels"))


@channels_bp.route("/robots/<uuid:robot_id>/test", methods=["POST"])
def test_robot(robot_id: uuid.UUID) -> Response:
    ActionForm().validate_on_submit()
    try:
        services.test_robot(current_tenant(), robot_id)
    except NotFound:
        abort(404)
    flash(_("A test message is on its way; a failure is listed below."), "success")
    return redirect(url_for("notification_channels.channels"))


def unread_for_header() -> dict[str, Any]:
    """The unread count the base layout shows beside the account links."""
    if not current_user.is_authenticated:
        return {"notifications_unread": 0}
    try:
        return {"notifications_unread": queries.unread_count(current_user.id)}
    except Exception:  # an error page must render even when the database cannot answer
        db.session.rollback()
        return {"notifications_unread": 0}
