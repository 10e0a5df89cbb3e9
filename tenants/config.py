"""The platform's settings (one table) and the values derived from them at start-up.

Layering: these defaults → ``instance/config.py`` → ``CHAINGAUGE_*`` variables → the
mapping given to ``create_app``. ``docs/configuration.md`` lists every setting.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shlex
import sys
import tempfile
from typing import Any

from flask import Flask

from tenants.settings import INSTANCE, Setting
from tenants.settings import defaults as table_defaults

INSECURE_DEFAULT_SECRET = "dev-insecure-secret-change-me"  # noqa: S105 - refused in production

SETTINGS: tuple[Setting, ...] = (
    Setting("ENV", "development",
            "`development`, `testing` or `production`; production refuses a default or short "
            "`SECRET_KEY` and sets Secure cookies and HSTS"),
    Setting("SECRET_KEY", None,
            "signs sessions and e-mailed tokens; at least 32 random characters in production "
            "(the app refuses to start without it); outside production, when unset, a random "
            "key is made once in `instance/secret_key` (mode 0600) and reused"),
    Setting("DATABASE_URL", f"sqlite:///{INSTANCE}/chaingauge.db",
            "the app's connection (on PostgreSQL: a role that is neither owner nor "
            "superuser)"),
    Setting("MIGRATION_DATABASE_URL", None,
            "the schema owner's connection, used by `flask --app app db upgrade`; unset: "
            "`DATABASE_URL`"),
    Setting("DATABASE_SCOPE_KEY", None,
            "PostgreSQL: signs each transaction's tenant scope (see docs/architecture.md, "
            '"Tenancy and isolation"); `flask --app app db upgrade` installs it in the '
            "database. Unset: derived from `SECRET_KEY`. After changing it, or `SECRET_KEY` "
            "when it is not set, run `db upgrade` again before the app serves requests "
            "(until then every scoped query is refused)"),
    Setting("DATA_ENCRYPTION_KEY", None,
            "seals third parties' credentials at rest (group robots' webhook addresses and "
            "signing secrets). Unset: derived from `SECRET_KEY`; set it before rotating "
            "`SECRET_KEY`, or the robots must be entered again"),
    Setting("DATABASE_SYSTEM_ROLE", None,
            "a database role `db upgrade` grants the app's table privileges too (the tests' "
            "inspection role); no longer needed by the app (see below)"),
    Setting("REDIS_URL", None,
            "enables Redis-backed jobs (with `flask --app app jobs worker`), rate-limit "
            "storage and the sign-in slow-down counters (else kept in the database)"),
    Setting("JOBS_IMMEDIATE", None,
            "`true`: jobs run in-process; `false`: queued in Redis. Unset: in-process unless "
            "`REDIS_URL` is set"),
    Setting("JOBS_QUEUE_NAME", "chaingauge",
            "the job queue's name in Redis (its keys are `huey.*.<name>`): deployments that "
            "share one Redis database use different names"),
    Setting("LOGIN_LIMIT_PER_IP", "20 per 5 minutes",
            "failed sign-ins allowed per IP address (then 429)"),
    Setting("LOGIN_ACCOUNT_FREE_FAILURES", 5,
            "failed sign-ins per address before each attempt must wait (2 s, 4 s, 8 s, ...); "
            "never a lock-out"),
    Setting("LOGIN_ACCOUNT_MAX_DELAY", 900,
            "the longest wait between sign-in attempts on one address, in seconds"),
    Setting("REMEMBER_DAYS", 30,
            'how long a session, and "Keep me signed in", lasts without being used'),
    Setting("SESSION_RETENTION_DAYS", 30,
            "how long an ended session stays listed before housekeeping deletes it"),
    Setting("WEB_WORKERS", None,
            "how many web worker processes serve the app; when unset, read from "
            "`WEB_CONCURRENCY` or gunicorn's `-w`/`--workers` (command line or "
            "`GUNICORN_CMD_ARGS`). Outside development/testing, more than one worker without "
            "`REDIS_URL` is refused at start: in-memory limits would be counted per worker. "
            "Set it when the count is in a gunicorn config file"),
    Setting("MAIL_BACKEND", "console", "`console`, `file` (`MAIL_FILE_DIR`) or `smtp`"),
    Setting("MAIL_FILE_DIR", f"{INSTANCE}/mail", "where the `file` mail backend writes"),
    Setting("MAIL_FROM", "ChainGauge <no-reply@chaingauge.local>", "sender address"),
    Setting("SMTP_HOST", "localhost", "the SMTP server (`MAIL_BACKEND=smtp`)"),
    Setting("SMTP_PORT", 25, "the SMTP server's port"),
    Setting("SMTP_USERNAME", None, "the SMTP login; unset: none"),
    Setting("SMTP_PASSWORD", None, "the SMTP password"),
    Setting("SMTP_USE_TLS", True, "use STARTTLS with the SMTP server"),
    Setting("NOTIFY_ROBOT_EXTRA_ORIGINS", [],
            "origins (`https://host[:port]`, or `http://` for a local test listener) that "
            "group robot addresses may use besides the platforms' own hosts "
            "(qyapi.weixin.qq.com, oapi.dingtalk.com, open.feishu.cn, open.larksuite.com); "
            "a list, or one string separated by commas or spaces"),
    Setting("NOTIFY_ROBOT_TIMEOUT", 5,
            "seconds a group robot's server has to answer one message"),
    Setting("NOTIFY_MAX_ATTEMPTS", 5,
            "attempts to deliver one notification (e-mail or robot) before it is recorded as "
            "failed"),
    Setting("NOTIFY_RETRY_SECONDS", 60,
            "the wait before the first retry of a delivery; each further retry waits twice as "
            "long"),
    Setting("PUBLIC_URL", "http://localhost:5000",
            "the app's public address (e.g. `https://chaingauge.example.cn`) that links in "
            "messages sent by background jobs start with (notifications, campaign invitations "
            "and reminders, plan reminders); within a request the request's own address is "
            "used"),
    Setting("DEFAULT_LOCALE", "zh_CN", "the language when nothing else decides"),
    Setting("DEFAULT_TIMEZONE", "Asia/Shanghai",
            'the time zone pages show times in, unless a user chose another under "Your '
            'sessions" (times are stored in UTC)'),
    Setting("LANGUAGES", ["zh_CN", "en"], "the languages a reader can choose"),
    Setting("SESSION_COOKIE_HTTPONLY", True, "the session cookie is hidden from scripts"),
    Setting("SESSION_COOKIE_SAMESITE", "Lax", "SameSite of the session cookie"),
    Setting("SESSION_COOKIE_SECURE", None,
            "cookies over HTTPS only, and HSTS; unset: on, except when `ENV` is development "
            "or testing"),
    Setting("REMEMBER_COOKIE_HTTPONLY", True,
            'the "keep me signed in" cookie is hidden from scripts'),
    Setting("REMEMBER_COOKIE_SAMESITE", "Lax", 'SameSite of the "keep me signed in" cookie'),
    Setting("WTF_CSRF_TIME_LIMIT", None,
            "form tokens live as long as the session: a long questionnaire must not expire"),
    Setting("MAX_CONTENT_LENGTH", 25 * 1024 * 1024, "the largest request body, in bytes"),
    Setting("LOG_JSON", True, "log one JSON object per line (`false`: plain text)"),
    Setting("FILE_STORAGE", "local",
            "where evidence files and generated reports live (`tenants/storage.py`): `local` "
            "(`EVIDENCE_DIR`, `REPORTS_DIR`; one node) or `s3` (an S3-compatible object "
            "store shared by every node)"),
    Setting("EVIDENCE_DIR", None,
            "evidence storage outside the web root (local backend); unset: "
            "`instance/evidence`"),
    Setting("S3_BUCKET", None,
            "with `FILE_STORAGE=s3`: the bucket (areas are key prefixes `evidence/`, "
            "`reports/`). Credentials only from the environment: `AWS_ACCESS_KEY_ID`, "
            "`AWS_SECRET_ACCESS_KEY` (or an instance role)"),
    Setting("S3_ENDPOINT_URL", None, "the endpoint of a non-AWS store (MinIO, Ceph, OSS/COS)"),
    Setting("S3_REGION", None, "the object store's region"),
    Setting("STRIPE_SECRET_KEY", None,
            "`sk_live_...` / `sk_test_...`; its presence turns billing on. Without it "
            "billing is off and every feature is available (see docs/billing.md)"),
    Setting("STRIPE_WEBHOOK_SECRET", None, "`whsec_...`; without it every webhook is refused"),
    Setting("STRIPE_API_BASE", None, "another Stripe API address (e.g. localstripe in tests)"),
    Setting("STRIPE_WEBHOOK_TOLERANCE", 300,
            "seconds a webhook's signed timestamp may differ from our clock"),
)


class ConfigurationError(RuntimeError):
    pass


def defaults(instance_path: str) -> dict[str, Any]:
    return table_defaults(SETTINGS, instance_path)


def init_app(app: Flask) -> None:
    """Derive the values that depend on others, and refuse an unsafe production setup."""
    config = app.config
    if config["MIGRATION_DATABASE_URL"] is None:
        config["MIGRATION_DATABASE_URL"] = config["DATABASE_URL"]
    production = config["ENV"] == "production"
    if config["SESSION_COOKIE_SECURE"] is None:
        config["SESSION_COOKIE_SECURE"] = config["ENV"] not in ("development", "testing")
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    config["TESTING"] = config.get("TESTING") or config["ENV"] == "testing"
    secret = config.get("SECRET_KEY")
    if production and (not secret or secret == INSECURE_DEFAULT_SECRET or len(secret) < 32):
        raise ConfigurationError(
            "CHAINGAUGE_SECRET_KEY must be set to a random value of at least 32 characters "
            "in production"
        )
    if not secret or secret == INSECURE_DEFAULT_SECRET:
        config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    config["RATELIMIT_STORAGE_URI"] = config.get("REDIS_URL") or "memory://"
    workers = web_worker_count(config.get("WEB_WORKERS"))
    if (config["ENV"] not in ("development", "testing") and workers > 1
            and config["RATELIMIT_STORAGE_URI"].startswith("memory://")):
        raise ConfigurationError(
            f"{workers} web workers would each keep their own sign-in limits in memory: set "
            "CHAINGAUGE_REDIS_URL so that the limits are shared, or run one worker"
        )
    config["BABEL_DEFAULT_LOCALE"] = config["DEFAULT_LOCALE"]
    config["BABEL_TRANSLATION_DIRECTORIES"] = os.path.join(app.root_path, "translations")


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
