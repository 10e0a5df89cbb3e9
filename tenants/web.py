"""Web plumbing shared by every package's blueprints: tenant URLs, roles, error pages."""

from __future__ import annotations

import functools
import io
import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    render_template,
    request,
    send_file,
)
from flask_babel import gettext as _
from flask_login import current_user, user_logged_in, user_logged_out
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from tenants import queries
from tenants.context import set_tenant, set_user
from tenants.db import db
from tenants.errors import DomainError, FieldErrors, Forbidden, NotFound
from tenants.extensions import login_manager
from tenants.language import reader_language
from tenants.limits import NUL, TextRefused, install_flush_guard, nul_message
from tenants.linked import enter_linked_enterprise
from tenants.models import LinkGrant, Role, Tenant, TenantKind
from tenants.safejson import JsonRefused, SafeJSONProvider

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


def register_request_scope(app: Flask) -> None:
    """Put the signed-in user in the session's scope at the start of every request: on
    PostgreSQL a user may read their own memberships (the tenant switcher, the membership
    check in ``tenant_blueprint``) before any tenant is chosen. Sign-in and sign-out in the
    middle of a request update it through Flask-Login's signals."""

    @app.before_request
    def _user_in_request_scope() -> None:
        if request.endpoint != "static" and current_user.is_authenticated:
            set_user(db.session, current_user.id)


@user_logged_in.connect
def _user_in_scope(_app: Flask, user: Any, **_extra: Any) -> None:
    set_user(db.session, user.id)


@user_logged_out.connect
def _user_out_of_scope(_app: Flask, user: Any = None, **_extra: Any) -> None:
    set_user(db.session, None)


Kinds = Iterable[TenantKind] | None
Roles = Iterable[Role] | None


@dataclass(frozen=True)
class Access:
    """Who may use a route; ``None`` leaves a part to the blueprint's declaration.

    - ``kinds``: the kinds of tenant whose own data the route serves; another kind gets a
      404 (the route does not exist for it).
    - ``roles``: the member roles that may use it; another role gets a 403.
    - ``grant``: what a link must grant for a URL that names a linked enterprise
      (``enterprise_id``): the request enters it through ``tenants.linked`` (404 without
      such a link). A URL naming an enterprise on a route with no grant is a 404. ``kinds``
      does not apply to such a URL: the data served is the entered enterprise's.
    """

    kinds: frozenset[TenantKind] | None = None
    roles: frozenset[Role] | None = None
    grant: LinkGrant | None = None

    @classmethod
    def of(cls, kinds: Kinds = None, roles: Roles = None, grant: LinkGrant | None = None
           ) -> Access:
        return cls(frozenset(kinds) if kinds is not None else None,
                   frozenset(roles) if roles is not None else None, grant)

    def over(self, blueprint: Access) -> Access:
        """This route's declaration, with the blueprint's for what it leaves out."""
        return Access(self.kinds if self.kinds is not None else blueprint.kinds,
                      self.roles if self.roles is not None else blueprint.roles,
                      self.grant if self.grant is not None else blueprint.grant)

    def refusal(self, tenant: Tenant, role: Role, view_args: dict[str, Any]) -> int | None:
        """404 or 403 when this request may not use the route, else None. Enters a linked
        enterprise named by the URL as a side effect (or refuses it with a 404)."""
        enterprise_id = view_args.get("enterprise_id")
        if enterprise_id is not None:
            if self.grant is None:
                return 404
            enter_linked_enterprise(enterprise_id, self.grant)
        elif self.kinds is not None and TenantKind(tenant.kind) not in self.kinds:
            return 404
        if self.roles is not None and role not in self.roles:
            return 403
        return None


_ACCESS = "_tenant_access"


def access(*, kinds: Kinds = None, roles: Roles = None, grant: LinkGrant | None = None
           ) -> Callable[[F], F]:
    """Declare who may use this view of a :func:`tenant_blueprint` (see :class:`Access`);
    what it leaves out, the blueprint's declaration decides. The check runs before the view,
    in the blueprint; a view declared so but reached without that check refuses to run."""
    declared = Access.of(kinds, roles, grant)

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not g.get("tenant_access_checked"):
                raise RuntimeError(f"{view.__name__} declares access but is not on a "
                                   "tenant blueprint")
            return view(*args, **kwargs)

        setattr(wrapper, _ACCESS, declared)
        return wrapper  # type: ignore[return-value]

    return decorator


def requires_role(*roles: Role) -> Callable[[F], F]:
    """Refuse (403) a member whose role is not among ``roles``: ``access(roles=roles)``."""
    return access(roles=roles)


def tenant_blueprint(name: str, import_name: str, url_prefix: str = "", *, kinds: Kinds = None,
                     roles: Roles = None, grant: LinkGrant | None = None,
                     template_folder: str | None = None) -> Blueprint:
    """A blueprint whose routes live under ``/t/<slug>/``, with who may use them declared.

    The slug selects the tenant; membership authorises. A signed-in user who is not a member
    gets a 404 whatever the slug, so tenants cannot be discovered by guessing. Then the
    blueprint's ``kinds``, ``roles`` and ``grant`` (see :class:`Access`), overridden per
    view by :func:`access`, decide; a refusal is answered by :func:`register_error_handlers`
    (an HTML page, or a problem document to an API client). ``template_folder``: templates
    kept in the feature's own folder (looked up after the app's ``templates/``).
    """
    bp = Blueprint(name, import_name, url_prefix=f"/t/<slug>{url_prefix}",
                   template_folder=template_folder)
    declared = Access.of(kinds, roles, grant)
    bp.tenant_access = declared  # type: ignore[attr-defined]

    @bp.url_value_preprocessor
    def _pull_tenant(_endpoint: str | None, values: dict[str, Any] | None) -> None:
        g.tenant_slug = (values or {}).pop("slug", None)

    @bp.before_request
    def _load_tenant() -> Response | None:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        tenant = queries.tenant_by_slug(g.tenant_slug or "")
        member = queries.membership(tenant.id, current_user.id) if tenant else None
        if tenant is None or member is None:
            abort(404)
        g.tenant = tenant
        g.membership = member
        set_tenant(db.session, tenant.id)
        view = current_app.view_functions.get(request.endpoint or "")
        route: Access = getattr(view, _ACCESS, Access())
        refusal = route.over(declared).refusal(tenant, Role(member.role),
                                               request.view_args or {})
        if refusal is not None:
            abort(refusal)
        g.tenant_access_checked = True
        return None

    @bp.url_defaults
    def _add_slug(_endpoint: str, values: dict[str, Any]) -> None:
        if "slug" not in values and g.get("tenant") is not None:
            values["slug"] = g.tenant.slug

    return bp


def current_tenant() -> Tenant:
    tenant: Tenant = g.tenant
    return tenant


def current_role() -> Role:
    return Role(g.membership.role)


def flash_error(error: DomainError) -> None:
    flash(str(error.message), "error")


def form_error(form: Any, error: DomainError) -> None:
    """Show a service's refusal next to the field(s) it names, or at the top of the form."""
    messages = error.errors if isinstance(error, FieldErrors) else {error.field: error.message}
    for name, message in messages.items():
        field = getattr(form, name, None) if name else None
        if field is not None:
            field.errors = [*list(field.errors), str(message)]
        else:
            flash(str(message), "error")


def abort_for_access(error: DomainError) -> None:
    """A refusal about access is answered with its status page: 403 for Forbidden, 404 for
    NotFound (which hides whether the object exists). Other refusals return."""
    if isinstance(error, Forbidden):
        abort(403)
    if isinstance(error, NotFound):
        abort(404)


def local_path(target: str | None, prefix: str = "/") -> str | None:
    """``target`` when it is a path of this site under ``prefix``, else None.

    Only same-site paths: an open redirect would make our pages a phishing tool. Browsers
    read "/\\host" as "//host" and drop tabs and newlines, so those are refused too.
    """
    if not target:
        return None
    parts = urlsplit(target)
    if (parts.scheme or parts.netloc or not target.startswith(prefix) or target.startswith("//")
            or "\\" in target or any(ord(c) < 32 or c == "\x7f" for c in target)):
        return None
    return target


def attachment(data: bytes, mimetype: str, filename: str) -> Response:
    """A download of ``data``; the file name may be Chinese (sent RFC 6266-encoded)."""
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                     download_name=filename)


_API_PATH = re.compile(r"^(?:/t/[^/]+)?/api/")
PROBLEM_JSON = "application/problem+json"


def wants_json() -> bool:
    """Whether this request is answered in JSON: a path under ``/api/`` (also a tenant's,
    ``/t/<slug>/api/``), or an ``Accept`` header that prefers JSON to HTML."""
    if _API_PATH.match(request.path):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json", PROBLEM_JSON])
    return best in ("application/json", PROBLEM_JSON)


def problem(code: int, title: str, detail: str) -> Response:
    """An RFC 9457 problem document; the title and detail are in the reader's language."""
    response = current_app.response_class(
        json.dumps({"type": "about:blank", "title": title, "status": code, "detail": detail},
                   ensure_ascii=False),
        status=code, mimetype=PROBLEM_JSON)
    response.headers["Content-Language"] = "en" if reader_language() == "en" else "zh-CN"
    return response


def register_error_handlers(app: Flask) -> None:
    """The one place a refusal becomes a response: an HTML page for a browser, a problem
    document (``application/problem+json``) for an API client (see :func:`wants_json`)."""

    def render(code: int, title: str, message: str) -> tuple[str, int] | Response:
        if wants_json():
            return problem(code, title, message)
        return render_template("errors/error.html", code=code, title=title,
                               message=message), code

    @app.errorhandler(404)
    def not_found(_e: HTTPException) -> tuple[str, int] | Response:
        return render(404, _("Page not found"),
                      _("The page does not exist, or you do not have access to it."))

    @app.errorhandler(403)
    def forbidden(_e: HTTPException) -> tuple[str, int] | Response:
        return render(403, _("Not allowed"),
                      _("Your role in this organisation does not allow this action."))

    @app.errorhandler(429)
    def too_many(_e: HTTPException) -> tuple[str, int] | Response:
        return render(429, _("Too many attempts"),
                      _("Too many attempts. Please wait a few minutes and try again."))

    @app.errorhandler(CSRFError)
    def csrf_failed(_e: CSRFError) -> tuple[str, int] | Response:
        return render(400, _("The form has expired"),
                      _("The form was sent without a valid security token. Reload the page "
                        "and try again."))

    @app.errorhandler(DomainError)
    def domain_error(e: DomainError) -> tuple[str, int] | Response:
        return render(e.status_code, _("Cannot do this"), str(e.message))

    @app.errorhandler(500)
    def server_error(_e: Exception) -> tuple[str, int] | Response:
        log.error("unhandled error on %s", request.path)
        return render(500, _("Something went wrong"),
                      _("An unexpected error occurred. It has been logged; please try again."))


# -- input guards -----------------------------------------------------------------------------
def _nul_field() -> str | None:
    """The name of the first form field, query parameter or uploaded file name holding NUL."""
    for source in (request.args, request.form):
        for name, value in source.items(multi=True):
            if NUL in name or NUL in value:
                return name.replace(NUL, "\\0")
    for name, upload in request.files.items(multi=True):
        if NUL in name or NUL in (upload.filename or ""):
            return name.replace(NUL, "\\0")
    return None


def upload_limit(max_bytes: int) -> Callable[[F], F]:
    """Refuse a request to this view whose body is larger than ``max_bytes`` (413), before
    anything reads it (the CSRF check parses the form first)."""

    def decorator(view: F) -> F:
        view._max_content_length = max_bytes  # type: ignore[attr-defined]
        return view

    return decorator


def register_input_guards(app: Flask) -> None:
    """Bad input is a 4xx naming the field, never a 500, on both databases.

    - Every JSON body goes through ``tenants.safejson`` (NaN, huge numbers, deep nesting, NUL).
    - NUL in a URL is a 404 (no tenant, object or page has one); NUL in any form field, query
      parameter or file name is a 400 naming the field, before any view or query runs
      (PostgreSQL cannot store NUL, and refuses it even in a WHERE clause).
    - Every flush checks string lengths and NUL (``tenants.limits.install_flush_guard``).
    - A text or JSON refusal raised anywhere answers in JSON to a JSON request.
    """
    app.json = SafeJSONProvider(app)
    install_flush_guard()

    def _limit_body() -> None:
        view = app.view_functions.get(request.endpoint or "")
        limit = getattr(view, "_max_content_length", None)
        if limit is not None:
            request.max_content_length = limit

    # Before the extensions' hooks: the CSRF check reads the body.
    app.before_request_funcs.setdefault(None, []).insert(0, _limit_body)

    @app.errorhandler(413)
    def too_large(_e: HTTPException) -> tuple[str, int]:
        # The body is not read: the page's own forms must not try to parse it again.
        request.form = ImmutableMultiDict()
        request.files = ImmutableMultiDict()
        limit = request.max_content_length or 0
        return render_template("errors/error.html", code=413, title=_("Cannot do this"),
                               message=_("The upload is larger than %(mb)d MB.",
                                         mb=max(1, limit // (1024 * 1024)))), 413

    @app.before_request
    def _refuse_nul() -> tuple[str, int] | None:
        if NUL in request.path:
            abort(404)
        field = _nul_field()
        if field is None:
            return None
        return render_template("errors/error.html", code=400, title=_("Cannot do this"),
                               message=nul_message(field)), 400

    def refused(error: DomainError) -> Any:
        if request.is_json:
            return jsonify(message=str(error.message),
                           errors={error.field or "": [str(error.message)]}), error.status_code
        return render_template("errors/error.html", code=error.status_code,
                               title=_("Cannot do this"),
                               message=str(error.message)), error.status_code

    app.register_error_handler(JsonRefused, refused)
    app.register_error_handler(TextRefused, refused)


# -- the tenant's overview page ------------------------------------------------------------
HomePanel = Callable[[Tenant, Any], "str | None"]
_home_panels: list[HomePanel] = []


def register_home_panel(panel: HomePanel) -> None:
    """Let a package add a section to the tenant's overview page.

    ``panel(tenant, membership)`` returns rendered HTML, or None to show nothing. The platform
    knows no assessments; the assessment package registers its panel from the app factory.
    """
    if panel not in _home_panels:
        _home_panels.append(panel)


def home_panels(tenant: Tenant, membership: Any) -> list[str]:
    rendered = (panel(tenant, membership) for panel in _home_panels)
    return [html for html in rendered if html]
