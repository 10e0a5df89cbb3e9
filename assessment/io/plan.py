"""What an uploaded file asks for, before anything is checked against the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assessment.io.layout import CellRef


@dataclass(frozen=True)
class ImportProblem:
    """One bad cell (``cell``) or one bad key of a JSON document (``key``)."""

    message: str
    cell: CellRef | None = None
    key: str | None = None


@dataclass(frozen=True)
class Change:
    """One answer or declaration an import changes, in the reader's words."""

    key: str  # the answer key, or "not_applicable:<indicator>"
    label: str
    old: str
    new: str
    clears: bool  # a value or declaration is removed


@dataclass
class ImportPlan:
    """Answer values and not-applicable flags as the file gives them.

    ``values``: answer key → (value, state) for every key the file covers (None: blank).
    ``cells``: a document path the engine may name (``inputs.units_sold``, ``energy[2].unit``,
    ``not_applicable:lean.inventory_turnover``) → the cell it came from.
    ``versions``: the answer versions the file was exported with, when it was exported from
    the same assessment (then a field changed since by someone else is detected).
    """

    values: dict[str, tuple[Any, str]] = field(default_factory=dict)
    not_applicable: dict[str, tuple[bool, str]] = field(default_factory=dict)
    cells: dict[str, CellRef] = field(default_factory=dict)
    versions: dict[str, int | None] = field(default_factory=dict)
    na_versions: dict[str, int | None] = field(default_factory=dict)
    problems: list[ImportProblem] = field(default_factory=list)
    framework: str | None = None
    source_assessment: str | None = None
    source: str = "xlsx"  # or "json"

    def problem(self, message: Any, path: str | None = None, cell: CellRef | None = None
                ) -> None:
        where = cell if cell is not None else (self.cells.get(path) if path else None)
        self.problems.append(ImportProblem(str(message), where, None if where else path))
