"""Sign-up, sign-in and out, e-mail verification, password reset, invitations."""

from __future__ import annotations

import uuid

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tenants import localtime, queries, signin
from tenants.errors import DomainError
from tenants.extensions import db, limiter
from tenants.forms import (
    ActionForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    SignupForm,
    TimezoneForm,
)
from tenants.models import TenantKind, UserSession
from tenants.security import TokenExpired, TokenInvalid
from tenants.services import accounts, memberships, sessions
from tenants.throttle import (
    account_key,
    account_throttle,
    known_accounts,
    remember_known_account,
)
from tenants.web import form_error, local_path

bp = Blueprint("auth", __name__)


def _safe_next(default: str = "/") -> str:
    return local_path(request.args.get("next") or request.form.get("next")) or default


def _failed_login(response: Response) -> bool:
    return response.status_code == 401


def _check_your_mail(email: str) -> str:
    """The one answer to a sign-up, whether the address was new or already had an account:
    what happened is told only to the address's owner, by e-mail."""
    return render_template(
        "auth/message.html", title=_("Check your e-mail"),
        message=_("We have sent a message to %(email)s. Open the link in it to confirm your "
                  "address and go to your organisation's pages. The link works for seven "
                  "days.", email=email.strip().lower()))


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> Response | str | tuple[str, int]:
    form = SignupForm()
    if request.method == "GET":
        form.invitation.data = request.args.get("invitation", "")
    invitation_token = form.invitation.data or ""
    invited = None
    if invitation_token:
        try:
            invited = memberships.find_invitation(invitation_token)
        except DomainError as error:
            flash(str(error.message), "error")
            invitation_token = ""
        if invited and request.method == "GET":
            form.email.data = invited[0].email
    if form.validate_on_submit():
        if not invited and not (form.organisation.data or "").strip():
            form.organisation.errors = [_("Enter the organisation's name.")]
        else:
            try:
                locale = str(get_locale() or current_app.config["DEFAULT_LOCALE"])
                if invited:
                    user = accounts.create_user(form.email.data or "", form.password.data or "",
                                                form.name.data or "", locale)
                    tenant = memberships.accept_invitation(invitation_token, user)
                    signin.sign_in(user, remember=False)
                    flash(_("Welcome to ChainGauge."), "success")
                    return redirect(f"/t/{tenant.slug}/")
                accounts.sign_up(
                    form.email.data or "", form.password.data or "", form.name.data or "",
                    form.organisation.data or "", TenantKind(form.kind.data),
                    form.slug.data or None, locale,
                )
                return _check_your_mail(form.email.data or "")
            except DomainError as error:
                form_error(form, error)
    status = 422 if request.method == "POST" else 200
    return render_template("auth/signup.html", form=form, invited=invited), status


# -- sign-in: per-IP limit (Flask-Limiter), per-account slow-down (tenants.throttle) --------
def _wait_message(seconds: int) -> str:
    return _("Too many failed sign-ins for this address. Try again in %(seconds)d seconds.",
             seconds=seconds)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"],
               deduct_when=_failed_login)
def login() -> Response | str | tuple[str, int, dict[str, str]] | tuple[str, int]:
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next())
    form = LoginForm()
    if form.validate_on_submit():
        key = account_key(form.email.data or "")
        throttle = account_throttle()
        known_browser = key in known_accounts()
        wait = 0 if known_browser else throttle.wait(key)
        if wait:
            # Answered at once, the password unchecked: the same for any address.
            flash(_wait_message(wait), "error")
            return (render_template("auth/login.html", form=form), 429,
                    {"Retry-After": str(wait)})
        user = accounts.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            throttle.succeeded(key)
            signin.sign_in(user, remember=bool(form.remember.data))
            response = redirect(_safe_next())
            remember_known_account(response, key)
            return response
        wait = throttle.failed(key)
        flash(_("The e-mail or password is wrong."), "error")
        if wait:
            flash(_wait_message(wait), "error")
        db.keep_on_error()  # the 401 must keep the audit event and the failure count
        headers = {"Retry-After": str(wait)} if wait else {}
        return render_template("auth/login.html", form=form), 401, headers
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    ActionForm().validate_on_submit()  # CSRFProtect has already checked the token
    signin.sign_out()
    return redirect(url_for("auth.login"))


# -- the signed-in user's sessions -----------------------------------------------------------
@bp.route("/account/sessions")
@login_required
def user_sessions() -> str:
    return render_template("auth/sessions.html",
                           sessions=queries.live_sessions_of_user(current_user.id),
                           current_id=signin.current_session_id(), form=ActionForm(),
                           timezone_form=_timezone_form())


def _timezone_form() -> TimezoneForm:
    form = TimezoneForm()
    if not form.is_submitted():
        form.timezone.data = current_user.timezone or localtime.DEFAULT_TIMEZONE
    return form


@bp.route("/account/timezone", methods=["POST"])
@login_required
def set_timezone() -> Response | tuple[str, int]:
    form = TimezoneForm()
    if form.validate_on_submit():
        try:
            accounts.set_timezone(current_user, form.timezone.data or "")
        except DomainError as error:
            form_error(form, error)
        else:
            flash(_("Time zone saved: times are now shown in it."), "success")
            return redirect(url_for("auth.user_sessions"))
    return render_template("auth/sessions.html",
                           sessions=queries.live_sessions_of_user(current_user.id),
                           current_id=signin.current_session_id(), form=ActionForm(),
                           timezone_form=form), 422


def _own_live_session(session_id: uuid.UUID) -> UserSession:
    record = next((s for s in queries.live_sessions_of_user(current_user.id)
                   if s.id == session_id), None)
    if record is None:
        abort(404)  # ended already, or someone else's: the same answer
    return record


@bp.route("/account/sessions/<uuid:session_id>/end", methods=["GET", "POST"])
@login_required
def end_session(session_id: uuid.UUID) -> Response | str:
    record = _own_live_session(session_id)
    current = record.id == signin.current_session_id()
    form = ActionForm()
    if request.method == "GET" or not form.validate_on_submit():
        return render_template("auth/end_session.html", record=record, current=current,
                               form=form)
    if current:
        signin.sign_out(reason="ended_by_user")
        flash(_("This session has ended. Sign in again to continue."), "success")
        return redirect(url_for("auth.login"))
    sessions.end(current_user.id, record.id, reason="ended_by_user")
    flash(_("The session has ended: that device is signed out."), "success")
    return redirect(url_for("auth.user_sessions"))


@bp.route("/account/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions() -> Response:
    ActionForm().validate_on_submit()  # CSRFProtect has already checked the token
    count = sessions.end_all(current_user.id, keep=signin.current_session_id(),
                             reason="ended_by_user")
    flash(ngettext("%(num)d other session has ended.", "%(num)d other sessions have ended.",
                   count), "success")
    return redirect(url_for("auth.user_sessions"))


@bp.route("/verify/<token>")
def verify_email(token: str) -> Response | tuple[str, int]:
    try:
        user, newly_verified = accounts.verify_email(token)
    except TokenExpired:
        return render_template("auth/message.html", title=_("Link expired"),
                               message=_("This confirmation link has expired. Sign in to get a "
                                         "new one.")), 400
    except TokenInvalid:
        return render_template("auth/message.html", title=_("Invalid link"),
                               message=_("This confirmation link is not valid.")), 400
    if newly_verified and not current_user.is_authenticated:
        # The first confirmation of a new sign-up opens the account: the link reached its
        # owner. Later clicks on the same link only confirm.
        signin.sign_in(user, remember=False)
        flash(_("Welcome to ChainGauge. Your e-mail address is confirmed."), "success")
    else:
        flash(_("Your e-mail address is confirmed."), "success")
    return redirect("/")


@bp.route("/verify/resend", methods=["POST"])
@login_required
@limiter.limit("5 per hour")
def resend_verification() -> Response:
    ActionForm().validate_on_submit()
    accounts.send_verification(current_user)
    flash(_("We sent you a new confirmation e-mail."), "success")
    return redirect(request.referrer or "/")


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password() -> Response | str:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data or "")
        # The same answer whether or not the account exists: no account enumeration.
        return render_template("auth/message.html", title=_("Check your e-mail"),
                               message=_("If an account exists for this address, we have sent "
                                         "a link to reset its password. The link works for "
                                         "one hour."))
    return render_template("auth/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | str | tuple[str, int]:
    try:
        accounts.user_for_reset_token(token)
    except TokenExpired:
        return render_template("auth/message.html", title=_("Link expired"),
                               message=_("This reset link has expired. Ask for a new one.")), 400
    except TokenInvalid:
        return render_template("auth/message.html", title=_("Invalid link"),
                               message=_("This reset link is not valid or was already used.")), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(token, form.password.data or "")
        except DomainError as error:
            form_error(form, error)
        else:
            signin.sign_out(reason="password_changed")  # the reset ended every session
            flash(_("Your password has been changed. Sign in with the new password."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str) -> Response | str | tuple[str, int]:
    try:
        invitation, tenant = memberships.find_invitation(token)
    except DomainError as error:
        return render_template("auth/message.html", title=_("Invitation"),
                               message=str(error.message)), 400
    form = ActionForm()
    status = 200
    if current_user.is_authenticated and form.validate_on_submit():
        try:
            memberships.accept_invitation(token, current_user)
        except DomainError as error:
            flash(str(error.message), "error")
            status = error.status_code  # a refusal is not a 200, and rolls back
        else:
            flash(_("You have joined %(name)s.", name=tenant.name), "success")
            return redirect(f"/t/{tenant.slug}/")
    # Not "tenant": base.html reads that name as the tenant whose pages are open.
    return render_template("auth/invitation.html", invitation=invitation,
                           inviting_tenant=tenant, form=form, token=token), status
