"""ChainGauge composition root: ``create_app`` wires config, extensions and blueprints.

Nothing imports this module; packages reach each other through their own public functions.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import secrets
import shlex
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, g, request, session
from flask_login import current_user
from werkzeug.wsgi import ClosingIterator

from assessment import cli as assessment_cli
from assessment import demo as assessment_demo
from assessment import home as assessment_home
from assessment import wording
from assessment.benchmarks import cli as benchmark_cli
from assessment.dashboard import views as dashboard_views
from assessment.evidence import views as evidence_views
from assessment.io import views as io_views
from assessment.profiles import views as profile_views
from assessment.questionnaire import views as questionnaire_views
from assessment.questionnaire.labels import state_label
from assessment.reports import cli as report_cli
from assessment.reports import report_views
from assessment.reports import views as branding_views
from assessment.results import views as results_views
from assessment.review import views as review_views
from assessment.units import unit_label
from tenants import billing, jobs, mail, signin, storage, throttle
from tenants import cli as tenants_cli
from tenants.billing import views as billing_views
from tenants.config import INSECURE_DEFAULT_SECRET, defaults
from tenants.extensions import babel, csrf, db, limiter, login_manager
from tenants.views import auth, core, tenant
from tenants.web import register_error_handlers, register_input_guards, register_request_scope

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class ConfigurationError(RuntimeError):
    pass


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True,
                static_folder="static", template_folder="templates")
    _load_config(app, config)
    _configure_logging(app)
    _init_extensions(app)
    _register_blueprints(app)
    register_error_handlers(app)
    register_request_scope(app)
    register_input_guards(app)
    _install_request_hooks(app)
    tenants_cli.register(app)
    assessment_home.register()
    # Units in the reader's language, also inside imported macros (they see only globals).
    app.jinja_env.globals["unit_label"] = unit_label
    app.jinja_env.globals["state_label"] = state_label
    wording.register(app)  # words, not codes: industry_name, province_name, ...
    assessment_cli.register(app)
    assessment_demo.register(app)
    benchmark_cli.register(app)
    report_cli.register(app)
    return app


def _load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("CHAINGAUGE")
    if overrides:
        app.config.from_mapping(overrides)
    if app.config["MIGRATION_DATABASE_URL"] is None:
        app.config["MIGRATION_DATABASE_URL"] = app.config["DATABASE_URL"]
    production = app.config["ENV"] == "production"
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.config["SESSION_COOKIE_SECURE"] = app.config["ENV"] not in ("development", "testing")
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    app.config["TESTING"] = app.config.get("TESTING") or app.config["ENV"] == "testing"
    secret = app.config.get("SECRET_KEY")
    if production and (not secret or secret == INSECURE_DEFAULT_SECRET or len(secret) < 32):
        raise ConfigurationError(
            "CHAINGAUGE_SECRET_KEY must be set to a random value of at least 32 characters "
            "in production"
        )
    if not secret or secret == INSECURE_DEFAULT_SECRET:
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"
    workers = web_worker_count(app.config.get("WEB_WORKERS"))
    if (app.config["ENV"] not in ("development", "testing") and workers > 1
            and app.config["RATELIMIT_STORAGE_URI"].startswith("memory://")):
        raise ConfigurationError(
            f"{workers} web workers would each keep their own sign-in limits in memory: set "
            "CHAINGAUGE_REDIS_URL so that the limits are shared, or run one worker"
        )
    app.config["BABEL_DEFAULT_LOCALE"] = app.config["DEFAULT_LOCALE"]
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = os.path.join(app.root_path, "translations")


SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret


def instance_secret_key(instance_path: str) -> str:
    """The key in ``instance/secret_key``, made (random, mode 0600) on first start.

    Outside production only: a development server must not sign sessions with a key that is
    public in the repository. Written to a private temporary file and hard-linked into
    place, so two workers starting at once end up with the same, complete key.
    """
    path = os.path.join(instance_path, SECRET_KEY_FILE)
    if not os.path.exists(path):
        fd, temporary = tempfile.mkstemp(dir=instance_path, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w") as handle:  # mkstemp creates it with mode 0600
                handle.write(secrets.token_urlsafe(48))
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    with open(path) as handle:
        key = handle.read().strip()
    if len(key) < 32:
        raise ConfigurationError(f"{path} holds no usable secret key: delete it to make one")
    return key


_WORKERS_OPTION = re.compile(r"^(?:-w|--workers)=?(\d*)$")


def web_worker_count(configured: Any = None) -> int:
    """How many web worker processes serve this app: ``WEB_WORKERS`` if configured, else
    the largest of ``WEB_CONCURRENCY`` (gunicorn's own default for ``--workers``) and a
    ``-w``/``--workers`` option on gunicorn's command line or in ``GUNICORN_CMD_ARGS``.
    A worker process inherits the master's command line, so this works inside it."""
    if configured not in (None, ""):
        return int(configured)
    counts = [1]
    if os.environ.get("WEB_CONCURRENCY", "").strip().isdigit():
        counts.append(int(os.environ["WEB_CONCURRENCY"]))
    if "gunicorn" in os.path.basename(sys.argv[0] if sys.argv else ""):
        arguments = [*sys.argv[1:], *shlex.split(os.environ.get("GUNICORN_CMD_ARGS", ""))]
        for index, argument in enumerate(arguments):
            match = _WORKERS_OPTION.match(argument)
            if match is None:
                continue
            value = match.group(1) or (arguments[index + 1] if index + 1 < len(arguments)
                                       else "")
            if value.isdigit():
                counts.append(int(value))
    return max(counts)


class _JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key in ("reason", "tenant", "user", "status", "duration_ms", "path", "method"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        from flask import has_request_context

        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


def _configure_logging(app: Flask) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if app.config["LOG_JSON"]:
        handler.setFormatter(_JSONFormatter())
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger("chaingauge")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    root.propagate = False
    for name in ("tenants", "assessment", "app"):
        logging.getLogger(name).parent = root


def _select_locale() -> str:
    from flask import current_app

    languages: list[str] = current_app.config["LANGUAGES"]
    if current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    chosen = session.get("locale")
    if chosen in languages:
        return str(chosen)
    best = request.accept_languages.best_match(["zh_CN", "zh", "en"])
    if best == "en":
        return "en"
    return str(current_app.config["DEFAULT_LOCALE"])


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page explains itself
    signin.init_app(app)
    throttle.init_app(app)
    jobs.init_app(app)
    mail.init_app(app)
    storage.init_app(app)
    billing.init_app(app)


def _register_blueprints(app: Flask) -> None:
    app.register_blueprint(core.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(tenant.bp)
    for assessment_blueprint in (profile_views.bp, questionnaire_views.bp, evidence_views.bp,
                                 review_views.bp, results_views.bp, io_views.bp, io_views.linked_bp,
                                 branding_views.bp, dashboard_views.bp, report_views.bp):
        app.register_blueprint(assessment_blueprint)
    app.register_blueprint(billing_views.bp)
    app.register_blueprint(billing_views.webhook_bp)


_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)


def _install_request_hooks(app: Flask) -> None:
    def _start_request() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    # First of all before-request hooks: the extensions' hooks (CSRF, rate limits) may answer
    # the request themselves, and their responses need a request id too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)

    @app.after_request
    def _finish_request(response: Any) -> Any:
        response.headers["X-Request-ID"] = g.get("request_id", "")
        response.headers.setdefault("Content-Security-Policy", _CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.wsgi_app = AccessLog(app.wsgi_app, app.static_url_path)  # type: ignore[method-assign]


class AccessLog:
    """WSGI middleware: one access-log line per request, written when the server closes the
    response, so the duration covers everything the request did: the commit, after-commit
    work (e-mails, jobs run in-process), teardown and streaming the body."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], static_prefix: str | None):
        self.wsgi_app = wsgi_app
        self.static_prefix = (static_prefix or "/static").rstrip("/") + "/"
        self.log = logging.getLogger("chaingauge.access")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        started = time.perf_counter()
        seen: dict[str, Any] = {"status": 500, "request_id": None}

        def capture(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            seen["status"] = int(status.split(" ", 1)[0])
            seen["request_id"] = next((v for k, v in headers if k.lower() == "x-request-id"),
                                      None)
            return start_response(status, headers, *exc_info)

        def write() -> None:
            path = environ.get("PATH_INFO", "")
            if path.startswith(self.static_prefix):
                return
            self.log.info("request", extra={
                "method": environ.get("REQUEST_METHOD"), "path": path,
                "status": seen["status"], "request_id": seen["request_id"],
                "duration_ms": round((time.perf_counter() - started) * 1000, 1)})

        try:
            body = self.wsgi_app(environ, capture)
        except BaseException:
            write()
            raise
        return ClosingIterator(body, [write])
