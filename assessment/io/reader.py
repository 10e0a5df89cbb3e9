"""Reading a filled workbook into an import plan, cell by cell.

The file is checked by content first (a zip holding a spreadsheet's main part, no macros,
bounded uncompressed size), then read with formulas left as formulas: a cell holding one is
refused, because a file saved by a tool that does not calculate carries no value for it and
the import would silently read a blank.

Every text cell the export writes that starts with ``'`` or a character a spreadsheet
would run (``= + - @``, tab, carriage return) is written with a leading ``'``
(``assessment.io.cells``); the reader removes one leading ``'`` from every text cell, so the
app's own export re-imports to the same values. Numbers that are not finite or beyond
±10^15 and texts holding NUL or longer than their limit (``tenants.limits``) are problems
of their cell, like any other wrong value.
"""

from __future__ import annotations

import contextlib
import io
import math
import unicodedata
import zipfile
from typing import Any

from flask_babel import gettext as _
from openpyxl import load_workbook

from assessment.assessments.models import AnswerState
from assessment.io import layout as L
from assessment.io.cells import restore_text
from assessment.io.plan import ImportPlan
from assessment.questionnaire.fields import input_field
from assessment.questionnaire.kinds import CellWords
from assessment.questionnaire.numbers import ParseError, parse_number
from indicators import Framework
from indicators.energy import load_factor_tables
from tenants.limits import text_problem
from tenants.safejson import MAX_MAGNITUDE

XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MAX_UNCOMPRESSED = 40 * 1024 * 1024
MAX_ROWS = 2000
_COLUMNS = "ABCDEFGHI"


class NotAWorkbook(ValueError):
    pass


def check_workbook(data: bytes) -> None:
    """Refuse anything but a plain .xlsx (by content, whatever its name says)."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise NotAWorkbook(_("This file is not an Excel workbook (.xlsx)."))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        if "[Content_Types].xml" not in names:
            raise NotAWorkbook(_("This file is not an Excel workbook (.xlsx)."))
        if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
            raise NotAWorkbook(_("This workbook is too large to import."))
        types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
        if XLSX_MAIN not in types:
            raise NotAWorkbook(_("This file is not an Excel workbook (.xlsx); macro-enabled "
                                 "and older .xls files are not accepted."))


def _text(value: Any) -> str:
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def _is_blank(value: Any) -> bool:
    return _text(value) == ""


class _Reader:
    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.plan = ImportPlan()
        self.seen: set[str] = set()
        self.parts: dict[str, list[tuple[str, Any, L.CellRef]]] = {}
        self.options: dict[str, Any] = {}
        self.option_rows = False
        self.entries: dict[str, list[tuple[dict[str, Any], dict[str, L.CellRef]]]] = {
            L.ENERGY_ROW: [], L.PROCESS_ROW: []}
        self.energy_sheet = False
        self.carrier_names: dict[str, str] = {}
        for carrier in load_factor_tables().carriers.values():
            for name in (carrier.code, carrier.name_zh, carrier.name_en):
                self.carrier_names[name.lower()] = carrier.code

    def cell(self, sheet: str, row: int, column: str) -> L.CellRef:
        return L.CellRef(sheet, row, column)

    def limited(self, text: str, limit: str, where: L.CellRef) -> str | None:
        """``text``, or None with a problem at ``where`` (NUL, or longer than its limit)."""
        problem = text_problem(limit, text, label=_("This cell"))
        if problem is None:
            return text
        self.plan.problem(problem, cell=where)
        return None

    # -- rows ---------------------------------------------------------------------------
    def read_sheet(self, title: str, rows: list[tuple[int, dict[str, Any]]], kind: str) -> None:
        for row_number, cells in rows:
            for column, (_value, is_formula) in cells.items():
                if is_formula:
                    self.plan.problem(_("Formulas are not accepted: type the value itself."),
                                      cell=self.cell(title, row_number, column))
            values = {column: value for column, (value, _f) in cells.items()}
            key = _text(values.get(L.KEY))
            if not key:
                continue
            if kind == L.README:
                self.read_meta(key, values)
            else:
                self.read_row(title, row_number, key, values)

    def read_meta(self, key: str, values: dict[str, Any]) -> None:
        if key == L.META_FRAMEWORK:
            self.plan.framework = _text(values.get("C"))
        elif key == L.META_ASSESSMENT:
            self.plan.source_assessment = _text(values.get("C"))

    def read_row(self, sheet: str, row: int, key: str, values: dict[str, Any]) -> None:
        here = self.cell(sheet, row, L.KEY)
        if key in (L.ENERGY_ROW, L.PROCESS_ROW):
            self.energy_sheet = True
            self.read_entry(sheet, row, key, values)
            return
        if key in self.seen:
            self.plan.problem(_("This row appears twice in the workbook."), cell=here)
            return
        self.seen.add(key)
        version = values.get(L.VERSION)
        version = version if type(version) is int else None
        if key.startswith(L.INDICATOR_PREFIX):
            self.read_indicator(sheet, row, key[len(L.INDICATOR_PREFIX):], values, version)
        elif key.startswith(L.OPTION_PREFIX):
            self.read_option(sheet, row, key[len(L.OPTION_PREFIX):], values)
        elif L.PART_SEP in key:
            parent, part = key.split(L.PART_SEP, 1)
            self.parts.setdefault(parent, []).append(
                (part, values.get(L.VALUE), self.cell(sheet, row, L.VALUE)))
        elif key in self.framework.inputs or key in self.framework.indicators:
            self.read_input(sheet, row, key, values, version)
        else:
            self.plan.problem(_("Unknown row key %(key)s: do not edit column A.", key=key),
                              cell=here)

    def read_indicator(self, sheet: str, row: int, code: str, values: dict[str, Any],
                       version: int | None) -> None:
        if code not in self.framework.indicators:
            self.plan.problem(_("Unknown indicator %(code)s.", code=code),
                              cell=self.cell(sheet, row, L.KEY))
            return
        flag_cell = self.cell(sheet, row, L.NOT_APPLICABLE)
        self.plan.cells[f"not_applicable:{code}"] = flag_cell
        self.plan.cells[f"na_reason:{code}"] = self.cell(sheet, row, L.NA_REASON)
        flag = self.yes_no(values.get(L.NOT_APPLICABLE), flag_cell)
        reason = self.limited(_text(values.get(L.NA_REASON)), "na_reason",
                              self.cell(sheet, row, L.NA_REASON))
        if reason is None:
            return  # refused: named once, not again as a missing reason
        self.plan.not_applicable[code] = (bool(flag), reason if flag else "")
        self.plan.na_versions[code] = version

    def yes_no(self, raw: Any, where: L.CellRef) -> bool | None:
        if raw is True or raw is False:
            return bool(raw)
        word = _text(raw).lower()
        if word == "":
            return None
        if word in L.YES_WORDS or word == _("Yes").lower():
            return True
        if word in L.NO_WORDS or word == _("No").lower():
            return False
        self.plan.problem(_("Write Yes or No."), cell=where)
        return None

    def read_state(self, sheet: str, row: int, raw: Any) -> str | None:
        word = _text(raw).lower()
        if word == "":
            return AnswerState.answered
        if word in L.UNKNOWN_WORDS or word == _("Unknown").lower():
            return AnswerState.unknown
        self.plan.problem(_("Leave this blank, or write Unknown."),
                          cell=self.cell(sheet, row, L.STATE))
        return None

    def read_input(self, sheet: str, row: int, key: str, values: dict[str, Any],
                   version: int | None) -> None:
        field = input_field(self.framework, key)
        value_cell = self.cell(sheet, row, L.VALUE)
        self.plan.cells[f"inputs.{key}"] = value_cell
        self.plan.cells[key] = value_cell
        self.plan.versions[key] = version
        state = self.read_state(sheet, row, values.get(L.STATE))
        if field.kind_class.in_parts:  # its value is in one row per part (``assemble``)
            self.plan.values[key] = (None, state or AnswerState.answered)
            return
        try:
            value = field.kind_class.read_cell(field, values.get(L.VALUE))
        except ParseError as error:
            self.plan.problem(error.message, cell=value_cell)
            return
        self.record(key, value, state, value_cell)

    def record(self, key: str, value: Any, state: str | None, value_cell: L.CellRef) -> None:
        if state is None:
            return
        if state == AnswerState.unknown and value is not None:
            self.plan.problem(_("Give a value or mark it unknown, not both."), cell=value_cell)
            return
        self.plan.values[key] = (value, state)

    def read_option(self, sheet: str, row: int, option: str, values: dict[str, Any]) -> None:
        self.option_rows = True
        where = self.cell(sheet, row, L.VALUE)
        self.plan.cells[f"options.{option}"] = where
        self.plan.cells["options"] = where
        raw = values.get(L.VALUE)
        if _is_blank(raw):
            return
        if option in L.NUMERIC_OPTIONS:
            try:
                raw = parse_number(raw, "decimal")
            except ParseError as error:
                self.plan.problem(error.message, cell=where)
                return
        else:
            raw = self.limited(_text(raw), "json_text", where)
            if raw is None:
                return
        self.options[option] = raw

    def read_entry(self, sheet: str, row: int, kind: str, values: dict[str, Any]) -> None:
        columns = L.ENERGY_COLUMNS if kind == L.ENERGY_ROW else L.PROCESS_COLUMNS
        entry: dict[str, Any] = {}
        cells: dict[str, L.CellRef] = {}
        for name, column in columns.items():
            cells[name] = self.cell(sheet, row, column)
            raw = values.get(column)
            if _is_blank(raw):
                continue
            if name in ("quantity", "kgce_per_unit", "tonnes"):
                with contextlib.suppress(ParseError):  # the engine names it then
                    raw = parse_number(raw, "decimal")
            elif name == "carrier":
                text = self.limited(_text(raw), "json_text", cells[name])
                raw = None if text is None else self.carrier_names.get(text.lower(), text)
            else:
                raw = self.limited(_text(raw), "json_text", cells[name])
            if raw is None:
                continue
            entry[name] = raw
        if entry:
            self.entries[kind].append((entry, cells))

    # -- assembling lists, maps and the energy sections -----------------------------------
    def finish(self) -> ImportPlan:
        for parent, parts in self.parts.items():
            self.assemble(parent, parts)
        if self.energy_sheet:
            for kind, entries in self.entries.items():
                for index, (_entry, cells) in enumerate(entries):
                    self.plan.cells[f"{kind}[{index}]"] = next(iter(cells.values()))
                    for name, where in cells.items():
                        self.plan.cells[f"{kind}[{index}].{name}"] = where
                self.plan.values[kind] = ([e for e, _c in entries] or None,
                                          AnswerState.answered)
        if self.option_rows:
            self.plan.values["options"] = (self.options or None, AnswerState.answered)
        return self.plan

    def words(self) -> CellWords:
        """The words a part's cell may hold, in both languages and the reader's."""
        return CellWords(yes={*L.YES_WORDS, _("Yes").lower()},
                         no={*L.NO_WORDS, _("No").lower()},
                         not_owned={*L.NOT_OWNED_WORDS, _("not owned").lower()})

    def assemble(self, key: str, parts: list[tuple[str, Any, L.CellRef]]) -> None:
        """A value given in one row per part (a list's choices, a grid's shares), read by
        the field's kind."""
        spec = self.framework.inputs.get(key)
        field = input_field(self.framework, key) if spec is not None else None
        if field is None or not field.kind_class.in_parts or key not in self.plan.values:
            for _part, _raw, where in parts:
                self.plan.problem(_("Unknown row key %(key)s: do not edit column A.", key=key),
                                  cell=where)
            return
        _value, state = self.plan.values[key]
        words = self.words()
        read: dict[str, Any] = {}
        filled = None
        for part, raw, where in parts:
            self.plan.cells[f"inputs.{key}.{part}"] = where
            if part not in field.allowed:
                self.plan.problem(_("Unknown row key %(key)s: do not edit column A.",
                                    key=f"{key}{L.PART_SEP}{part}"), cell=where)
                continue
            if _is_blank(raw):
                continue
            filled = filled or where
            try:
                read[part] = field.kind_class.read_part(field, part, raw, words)
            except ParseError as error:
                self.plan.problem(error.message, cell=where)
        value = None if filled is None else field.kind_class.from_parts(field, read)
        self.record(key, value, state, filled or self.plan.cells[key])


def _cell_value(plan: ImportPlan, value: Any, where: L.CellRef) -> Any:
    """The cell's value as the reader uses it: text with the export's leading ``'`` removed;
    None, with a problem, for a number nobody can compute with (NaN, ±inf, beyond 10^15)."""
    if isinstance(value, str):
        return restore_text(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        plan.problem(_("Enter a number, for example 12.5."), cell=where)
        return None
    if abs(value) > MAX_MAGNITUDE:
        shown = repr(value) if isinstance(value, float) else f"{str(value)[:20]}…"
        plan.problem(_("The number %(value)s is too large (at most %(max)s).",
                       value=shown, max="10^15"), cell=where)
        return None
    return value


def _sheet_rows(plan: ImportPlan, sheet: Any, rows: list[tuple[int, dict[str, Any]]]) -> None:
    """Append the sheet's non-empty rows to ``rows`` (so that the caller knows how far it
    got when a cell cannot be parsed)."""
    for number, row in enumerate(sheet.iter_rows(max_row=MAX_ROWS, max_col=9), start=1):
        cells = {}
        for column, cell in zip(_COLUMNS, row, strict=False):
            value = _cell_value(plan, getattr(cell, "value", None),
                                L.CellRef(sheet.title, number, column))
            if value is not None:
                cells[column] = (value, getattr(cell, "data_type", None) == "f")
        if cells:
            rows.append((number, cells))


def read_workbook(data: bytes, framework: Framework) -> ImportPlan:
    """Every answer the workbook gives, and every cell that is wrong in itself."""
    check_workbook(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise NotAWorkbook(_("This workbook cannot be read: %(reason)s",
                             reason=type(error).__name__)) from None
    reader = _Reader(framework)
    sheets: list[tuple[str, list[tuple[int, dict[str, Any]]]]] = []
    try:
        for sheet in book.worksheets:
            rows: list[tuple[int, dict[str, Any]]] = []
            try:
                _sheet_rows(reader.plan, sheet, rows)
            except ValueError:  # openpyxl parses lazily: "NaN", "inf" in a number cell
                after = rows[-1][0] if rows else 0
                reader.plan.problem(_("A cell of this row (or of the next rows) holds a value "
                                      "that is not a number; type the number itself."),
                                    cell=L.CellRef(sheet.title, after + 1, ""))
            sheets.append((sheet.title, rows))
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise NotAWorkbook(_("This workbook cannot be read: %(reason)s",
                             reason=type(error).__name__)) from None
    finally:
        book.close()
    for title, rows in sheets:
        mark = _text(rows[0][1].get("A", (None, False))[0]) if rows and rows[0][0] == 1 \
            else ""
        if not mark.startswith(L.SHEET_MARK):
            continue  # a sheet the user added: not ours to read
        reader.read_sheet(title, rows[1:], mark[len(L.SHEET_MARK):])
    return reader.finish()
