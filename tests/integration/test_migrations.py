"""The migrations build exactly the schema the models describe, from nothing."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlmodel import SQLModel

from assessment.schema import import_all_models
from tenants.cli import alembic_config
from tenants.extensions import db


def test_autogenerate_finds_no_difference_between_models_and_migrations(app):
    import_all_models()
    with app.app_context():
        connection = db.session.connection()
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == [], f"models and migrations differ: {differences}"


def test_there_is_one_head(app):
    script = ScriptDirectory.from_config(alembic_config(app))
    assert len(script.get_heads()) == 1


def test_upgrade_from_nothing_then_down_to_nothing_on_a_fresh_database(app, tmp_path):
    """Every downgrade works too (checked on a throwaway SQLite file)."""
    from alembic import command

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    config = alembic_config(app)
    config.attributes["url"] = url
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    engine = create_engine(url)
    with engine.connect() as connection:
        tables = {row[0] for row in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    engine.dispose()
    assert tables <= {"alembic_version"}
