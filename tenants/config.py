"""Configuration defaults. Layering: these → instance/config.py → CHAINGAUGE_* variables."""

from __future__ import annotations

from typing import Any

INSECURE_DEFAULT_SECRET = "dev-insecure-secret-change-me"  # noqa: S105 - refused in production


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        # "development", "testing" or "production"
        "ENV": "development",
        "SECRET_KEY": INSECURE_DEFAULT_SECRET,
        "DATABASE_URL": f"sqlite:///{instance_path}/chaingauge.db",
        # Migrations run as the schema owner; the app connects as a role that is neither
        # owner nor superuser (PostgreSQL). Defaults to DATABASE_URL.
        "MIGRATION_DATABASE_URL": None,
        # A role with BYPASSRLS that the app role may SET ROLE to inside system_scope().
        "DATABASE_SYSTEM_ROLE": None,
        "REDIS_URL": None,
        "LOGIN_LIMIT_PER_IP": "20 per 5 minutes",
        "LOGIN_LIMIT_PER_ACCOUNT": "5 per 5 minutes",
        "MAIL_BACKEND": "console",
        "MAIL_FILE_DIR": f"{instance_path}/mail",
        "MAIL_FROM": "ChainGauge <no-reply@chaingauge.local>",
        "SMTP_HOST": "localhost",
        "SMTP_PORT": 25,
        "DEFAULT_LOCALE": "zh_CN",
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
    }
