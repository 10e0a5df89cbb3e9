"""Writes the database decides: the one way a versioned row, a state or a first row is
written when two requests can race on it.

Reading a row, comparing its version in Python and then writing it is not enough: on
PostgreSQL two requests read the same version at the same instant and both write, and one
change silently disappears. So:

- :func:`update_or_conflict` issues ``UPDATE ... SET <changes> WHERE <key> AND <what the
  writer saw>`` (``version = :seen``, ``state IN (:allowed)``) and looks at the row count.
  On PostgreSQL the second of two concurrent writers waits for the first one's row lock,
  then re-checks its condition against the committed row and matches nothing; it gets the
  caller's conflict with the row as the winner left it.
- :func:`insert_or_conflict` inserts a first row (the first answer of a field, the first
  state of an indicator) against its unique key inside a savepoint; a concurrent writer that
  inserted the same key first is a conflict, never an ``IntegrityError``, and the
  transaction stays usable.

SQLite serialises writers (every transaction begins IMMEDIATE), so there the condition
always holds once the Python check has passed; the same code is correct on both.

These functions change and flush; the request commits.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import inspect, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from tenants.db import db
from tenants.types import TenantScoped

Row = TypeVar("Row", bound=TenantScoped)


def update_or_conflict(row: Row, seen: Mapping[str, Any], changes: Mapping[str, Any],
                       conflict: Callable[[Row | None], Exception]) -> None:
    """Write ``changes`` to ``row`` only if the stored row still holds what the writer saw.

    ``seen`` maps a column to the value the writer based its change on, or to a collection
    of allowed values (``{"state": (State.draft, State.returned)}``). When the stored row no
    longer matches, nothing is written and ``conflict(current)`` is raised, ``current``
    being the row as it is now (None when it is gone).

    ``row`` must carry no unflushed changes of its own: they would be flushed
    unconditionally before this statement.
    """
    model = type(row)
    columns = inspect(model).columns
    conditions = [columns["tenant_id"] == row.tenant_id, columns["id"] == row.id]
    for name, value in seen.items():
        column = columns[name]
        if isinstance(value, Collection) and not isinstance(value, str):
            conditions.append(column.in_(list(value)))
        else:
            conditions.append(column == value)
    result = db.session.execute(
        update(model).where(*conditions).values(dict(changes)),
        execution_options={"synchronize_session": False},
    )
    if getattr(result, "rowcount", 0) != 1:
        raise conflict(_reload(row))
    for name, value in changes.items():
        set_committed_value(row, name, value)  # what the database now holds; nothing to flush


def insert_or_conflict(rows: Sequence[Row], find: Callable[[], Row | None],
                       conflict: Callable[[Row | None], Exception]) -> None:
    """Insert ``rows``, each the first of its kind under its table's unique key (the first
    answer of a field, the first state of an indicator). When a concurrent writer inserted
    one of those keys first, raise ``conflict(theirs)`` (``find`` reads that row) with none
    of ``rows`` written and the transaction still usable."""
    try:
        with db.session.begin_nested():  # the savepoint: a duplicate undoes only these rows
            db.session.add_all(rows)
    except IntegrityError:
        theirs = find()
        if theirs is None:  # not a unique key taken meanwhile: some other broken rule
            raise
        db.session.refresh(theirs)  # the winner's committed row, not a stale copy
        raise conflict(theirs) from None


def _reload(row: Row) -> Row | None:
    """The row as it is stored now, read again (the winner has committed by now)."""
    identity = {"tenant_id": row.tenant_id, "id": row.id}
    return db.session.get(type(row), identity, populate_existing=True)
