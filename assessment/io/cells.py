"""Text in spreadsheets the app writes (XLSX, CSV): never a formula, and back unchanged.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return before them) as a formula: an N/A reason of
``=HYPERLINK("https://evil.example", "Click")`` in the owner's own workbook would be a live
link. Every text cell the app writes is therefore

- stored as text (openpyxl ``data_type`` ``"s"``, never ``"f"``), and
- neutralised the usual way: a leading ``'`` is added to a text that starts with one of
  those characters, or with ``'`` itself (so that the rule can be reversed exactly).

The import reverses it (:func:`restore_text` removes one leading ``'``), so the app's own
export re-imports to the same values. A ``'`` typed at the start of a cell in Excel is not
stored in the cell (Excel keeps it as a "quote prefix" style), so removing it never loses
what a person typed.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralise(value: Any) -> Any:
    """``value`` as a spreadsheet cell may hold it without running it."""
    if isinstance(value, str) and value.startswith((*FORMULA_START, QUOTE)):
        return QUOTE + value
    return value


def storable(value: str) -> str:
    """``value`` without the control characters no workbook can hold. Input refuses them
    (``tenants.limits``); this keeps an export of older data from failing."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def restore_text(value: str) -> str:
    """The text :func:`neutralise` was given."""
    return value[1:] if value.startswith(QUOTE) else value


def text_cells_only(book: Workbook) -> None:
    """Neutralise every text cell of ``book`` and store it as text, never as a formula.

    Run on the finished workbook, so that no writer can forget a cell."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = neutralise(cell.value)
                    cell.data_type = "s"
