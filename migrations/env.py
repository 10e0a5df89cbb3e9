"""Alembic environment. Run through ``flask --app app db ...`` so that the URL and the roles
to grant come from the app's configuration."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text
from sqlmodel import SQLModel

from assessment.schema import import_all_models
from tenants.db import build_engine
from tenants.rls import install_scope_key
from tenants.types import UTCDateTime

import_all_models()

config = context.config
target_metadata = SQLModel.metadata


def _grant(connection, grantees: list[str]) -> None:
    """The app and system roles may read and write rows; they own nothing."""
    for role in grantees:
        quoted = '"' + role.replace('"', '""') + '"'
        connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {quoted}"))
        connection.execute(
            text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}")
        )
        connection.execute(
            text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}")
        )


def _render_item(type_: str, obj, autogen_context):
    """Render our column types so that migrations import nothing from SQLModel."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        autogen_context.imports.add("from tenants.types import UTCDateTime")
        return "UTCDateTime()"
    if type_ == "type" and type(obj).__name__ == "AutoString":
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def run_migrations_online() -> None:
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = build_engine(url)
    with engine.connect() as connection:
        _run(connection)
        connection.commit()
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
        if connection.dialect.name == "postgresql":
            _grant(connection, config.attributes.get("grantees", []))
            if config.attributes.get("scope_key"):
                install_scope_key(connection, config.attributes["scope_key"])


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run flask --app app db upgrade")
run_migrations_online()
