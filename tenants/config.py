"""Configuration defaults. Layering: these → instance/config.py → CHAINGAUGE_* variables."""

from __future__ import annotations

from typing import Any

INSECURE_DEFAULT_SECRET = "dev-insecure-secret-change-me"  # noqa: S105 - refused in production


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        # "development", "testing" or "production"
        "ENV": "development",
        # Unset outside production: a random key is made once in instance/secret_key.
        "SECRET_KEY": None,
        "DATABASE_URL": f"sqlite:///{instance_path}/chaingauge.db",
        # Migrations run as the schema owner; the app connects as a role that is neither
        # owner nor superuser (PostgreSQL). Defaults to DATABASE_URL.
        "MIGRATION_DATABASE_URL": None,
        # Signs each transaction's tenant scope on PostgreSQL (tenants.context); installed in
        # the database by `flask db upgrade`. Derived from SECRET_KEY when not set.
        "DATABASE_SCOPE_KEY": None,
        "REDIS_URL": None,
        "LOGIN_LIMIT_PER_IP": "20 per 5 minutes",
        # Per account: failures before the delays start (2 s, 4 s, ...), and the longest.
        "LOGIN_ACCOUNT_FREE_FAILURES": 5,
        "LOGIN_ACCOUNT_MAX_DELAY": 900,
        # How long "Keep me signed in" lasts without being used.
        "REMEMBER_DAYS": 30,
        # How many web worker processes serve the app (None: read WEB_CONCURRENCY or
        # gunicorn's --workers); more than one needs shared rate-limit storage (Redis).
        "WEB_WORKERS": None,
        "MAIL_BACKEND": "console",
        "MAIL_FILE_DIR": f"{instance_path}/mail",
        "MAIL_FROM": "ChainGauge <no-reply@chaingauge.local>",
        "SMTP_HOST": "localhost",
        "SMTP_PORT": 25,
        "DEFAULT_LOCALE": "zh_CN",
        "DEFAULT_TIMEZONE": "Asia/Shanghai",  # pages show times here unless a user chose
        "LANGUAGES": ["zh_CN", "en"],
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": None,  # derived from ENV when not set
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # tied to the session; a long questionnaire must not expire
        "MAX_CONTENT_LENGTH": 25 * 1024 * 1024,
        # An import that would clear more answers or declarations than this shows the
        # changes and waits for the user's confirmation (assessment.io.importer).
        "IMPORT_CONFIRM_CLEARS": 3,
        "LOG_JSON": True,
        "DEMO_PASSWORD": "chaingauge-demo",
        # Where evidence files and generated reports live (tenants/storage.py): "local"
        # (EVIDENCE_DIR / REPORT_DIR, default under the instance folder) or "s3", an
        # S3-compatible object store shared by every node; credentials from the AWS_*
        # environment variables only.
        "FILE_STORAGE": "local",
        "EVIDENCE_DIR": None,
        "S3_BUCKET": None,
        "S3_ENDPOINT_URL": None,
        "S3_REGION": None,
    }
