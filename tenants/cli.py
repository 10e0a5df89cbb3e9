"""``flask db ...``: Alembic migrations, run as the schema owner."""

from __future__ import annotations

import os

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy.engine import make_url

from tenants.db import database_scope_key

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                              "migrations")

db_cli = AppGroup("db", help="Database migrations.")


def alembic_config(app: Flask | None = None) -> Config:
    app = app or current_app
    config = Config()
    config.set_main_option("script_location", MIGRATIONS_DIR)
    config.attributes["url"] = app.config["MIGRATION_DATABASE_URL"]
    grantees = []
    app_user = make_url(app.config["DATABASE_URL"]).username
    owner = make_url(app.config["MIGRATION_DATABASE_URL"]).username
    if app_user and app_user != owner:
        grantees.append(app_user)
    if app.config["DATABASE_SYSTEM_ROLE"]:
        grantees.append(app.config["DATABASE_SYSTEM_ROLE"])
    config.attributes["grantees"] = grantees
    # migrations/env.py installs it where only the owner reads it (tenants.rls)
    config.attributes["scope_key"] = database_scope_key(app.config)
    return config


def upgrade(app: Flask, revision: str = "head") -> None:
    command.upgrade(alembic_config(app), revision)


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Migrate the database to REVISION (default: the newest)."""
    upgrade(current_app, revision)


@db_cli.command("downgrade")
@click.argument("revision")
def downgrade_command(revision: str) -> None:
    command.downgrade(alembic_config(), revision)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate/--empty", default=True)
def revision_command(message: str, autogenerate: bool) -> None:
    """Write a new migration (compare the models with the database)."""
    command.revision(alembic_config(), message=message, autogenerate=autogenerate)


@db_cli.command("current")
def current_command() -> None:
    command.current(alembic_config(), verbose=True)


def register(app: Flask) -> None:
    app.cli.add_command(db_cli)
