"""Row counts of every table, read across tenants: a refused request must leave them all
as they were (no partial write)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select
from sqlmodel import SQLModel

from tenants.context import system_scope
from tenants.extensions import db


def row_counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        with system_scope(db.session, "test inspection"):
            counts = {table.name: int(db.session.execute(
                select(func.count()).select_from(table)).scalar_one())
                for table in SQLModel.metadata.sorted_tables}
        db.rollback()
    return counts
