"""Sign-up, sign-in and out, e-mail verification, password reset, invitations."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from tenants.errors import DomainError
from tenants.extensions import db, limiter
from tenants.forms import (
    ActionForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    SignupForm,
)
from tenants.models import TenantKind
from tenants.security import TokenExpired, TokenInvalid
from tenants.services import accounts, memberships
from tenants.web import form_error, local_path

bp = Blueprint("auth", __name__)


def _safe_next(default: str = "/") -> str:
    return local_path(request.args.get("next") or request.form.get("next")) or default


def _failed_login(response: Response) -> bool:
    return response.status_code == 401


def _login_account_key() -> str:
    return "login-account:" + (request.form.get("email") or "").strip().lower()


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
                else:
                    user, tenant = accounts.sign_up(
                        form.email.data or "", form.password.data or "", form.name.data or "",
                        form.organisation.data or "", TenantKind(form.kind.data),
                        form.slug.data or None, locale,
                    )
                login_user(user)
                flash(_("Welcome to ChainGauge. We sent you an e-mail to confirm your address."),
                      "success")
                return redirect(f"/t/{tenant.slug}/")
            except DomainError as error:
                form_error(form, error)
    status = 422 if request.method == "POST" else 200
    return render_template("auth/signup.html", form=form, invited=invited), status


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"],
               deduct_when=_failed_login)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"],
               key_func=_login_account_key, deduct_when=_failed_login)
def login() -> Response | str | tuple[str, int]:
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next())
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            session.clear()  # no fixation: a fresh session after sign-in
            login_user(user, remember=bool(form.remember.data))
            return redirect(_safe_next())
        flash(_("The e-mail or password is wrong."), "error")
        db.keep_on_error()  # the 401 must not roll back the auth.login_failed audit event
        return render_template("auth/login.html", form=form), 401
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    ActionForm().validate_on_submit()  # CSRFProtect has already checked the token
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/verify/<token>")
def verify_email(token: str) -> Response | tuple[str, int]:
    try:
        accounts.verify_email(token)
    except TokenExpired:
        return render_template("auth/message.html", title=_("Link expired"),
                               message=_("This confirmation link has expired. Sign in to get a "
                                         "new one.")), 400
    except TokenInvalid:
        return render_template("auth/message.html", title=_("Invalid link"),
                               message=_("This confirmation link is not valid.")), 400
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
            logout_user()
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
