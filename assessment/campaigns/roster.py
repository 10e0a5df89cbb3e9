"""Reading a participant list (XLSX or CSV): every bad cell, by row and column, or clean rows.

Pure: no database. The service adds what needs one (a credit code already in the campaign)
and applies the rows only when nothing at all is wrong (all or nothing).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from defusedxml.ElementTree import iterparse
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from assessment.profiles.rules import provinces, size_classes, uscc_problem
from indicators.catalogue.industries import find_division, list_divisions

MAX_ROWS = 10_000
MAX_BYTES = 8 * 1024 * 1024

# column key: header words accepted (compared without case, spaces or punctuation)
COLUMNS: dict[str, tuple[str, ...]] = {
    "company_name": ("企业名称", "公司名称", "单位名称", "company name", "company", "name"),
    "credit_code": ("统一社会信用代码", "信用代码", "credit code", "unified social credit code",
                    "uscc"),
    "contact_name": ("联系人", "联系人姓名", "contact name", "contact"),
    "email": ("电子邮箱", "邮箱", "电子邮件", "e-mail", "email"),
    "industry": ("行业", "行业大类", "industry"),
    "size": ("规模", "企业规模", "size"),
    "province": ("省份", "省", "所在省份", "province"),
}
REQUIRED = ("company_name", "credit_code", "contact_name", "email")
COLUMN_LABELS = {
    "company_name": _l("Company name"),
    "credit_code": _l("Unified social credit code"),
    "contact_name": _l("Contact name"),
    "email": _l("E-mail"),
    "industry": _l("Industry"),
    "size": _l("Size"),
    "province": _l("Province"),
}
LIMITS = {"company_name": 200, "contact_name": 120, "email": 254}
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
_FOLD = re.compile(r"[\s_\-:：*（）()]+")

USCC_MESSAGES = {
    "length": _l("A unified social credit code has 18 characters."),
    "characters": _l("A unified social credit code uses digits and upper-case letters except "
                     "I, O, Z, S and V."),
    "check": _l("The last character does not match: check the code for a typing error."),
}


@dataclass(frozen=True)
class Problem:
    row: int  # as the spreadsheet numbers it (the header is row 1); 0: the whole file
    column: str  # a key of COLUMNS, or "" for the whole row or file
    message: Any  # lazy string: rendered in the reader's language

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": str(self.message)}


@dataclass
class Roster:
    rows: list[dict[str, str]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # key -> the file's column letter


def _fold(text: str) -> str:
    return _FOLD.sub("", text).lower()


_HEADER_KEYS = {_fold(word): key for key, words in COLUMNS.items() for word in words}


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL_REF = re.compile(r"^([A-Z]+)")


def _column_index(ref: str) -> int:
    match = _CELL_REF.match(ref)
    index = 0
    for ch in match.group(1) if match else "A":
        index = index * 26 + ord(ch) - 64
    return index - 1


def _fast_xlsx(data: bytes) -> list[list[str]]:
    """The first sheet's cell texts, read straight from its XML (defusedxml's iterparse):
    several times faster than openpyxl for a list of thousands of rows. Raises on anything
    unusual; the caller then reads the file with openpyxl."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        names = book.namelist()
        sheets = sorted(n for n in names if n.startswith("xl/worksheets/sheet")
                        and n.endswith(".xml"))
        if "xl/worksheets/sheet1.xml" not in sheets:
            raise ValueError("no first sheet")
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            with book.open("xl/sharedStrings.xml") as stream:
                for _event, element in iterparse(stream):
                    if element.tag == f"{_NS}si":
                        shared.append("".join(t.text or "" for t in element.iter(f"{_NS}t")))
                        element.clear()
        table: list[list[str]] = []
        with book.open("xl/worksheets/sheet1.xml") as stream:
            for _event, element in iterparse(stream):
                if element.tag != f"{_NS}row":
                    continue
                row: list[str] = []
                for cell in element.iter(f"{_NS}c"):
                    kind = cell.get("t", "n")
                    if kind == "inlineStr":
                        text = "".join(t.text or "" for t in cell.iter(f"{_NS}t"))
                    else:
                        value = cell.find(f"{_NS}v")
                        text = value.text or "" if value is not None else ""
                        if kind == "s" and text:
                            text = shared[int(text)]
                        elif kind == "n" and text:
                            number = float(text)
                            text = _cell_text(number)
                    index = _column_index(cell.get("r", "")) if cell.get("r") else len(row)
                    row.extend([""] * (index - len(row) + 1))
                    row[index] = text.strip()
                number = int(element.get("r", len(table) + 1))
                while len(table) < number - 1:
                    table.append([])
                table.append(row)
                element.clear()
        return table


def _read_table(data: bytes, filename: str) -> list[list[str]]:
    """The file's cells as text, row by row; raises ValueError when it is neither a workbook
    nor a CSV file."""
    if data[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        try:
            return _fast_xlsx(data)
        except Exception:  # noqa: S110 - an unusual workbook: openpyxl reads it below
            pass
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ValueError("workbook") from exc
        sheet = book.worksheets[0]
        table = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
        return table
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("encoding")
    if "\x00" in text:
        raise ValueError("binary")
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]


@cache
def _names() -> dict[str, dict[str, str]]:
    """Folded names → code, per column: built once (a list of 5,000 rows looks up 15,000)."""
    industries = {_fold(name): d.code for d in list_divisions()
                  for name in (d.name_zh, d.name_en)}
    sizes = {_fold(name): s.code for s in size_classes() for name in (s.code, s.name_zh,
                                                                      s.name_en)}
    places = {}
    for p in provinces():
        for name in (p.code, p.name_zh, p.name_en,
                     p.name_zh.removesuffix("省").removesuffix("市")):
            places[_fold(name)] = p.code
    return {"industry": industries, "size": sizes, "province": places}


def _lookup_industry(text: str) -> str | None:
    found = find_division(text)
    return found.code if found else _names()["industry"].get(_fold(text))


def _lookup_size(text: str) -> str | None:
    return _names()["size"].get(_fold(text))


def _lookup_province(text: str) -> str | None:
    return _names()["province"].get(_fold(text))


def read_roster(data: bytes, filename: str) -> Roster:
    """Every row of the file checked; ``problems`` lists each bad cell (row, column)."""
    roster = Roster()
    if len(data) > MAX_BYTES:
        roster.problems.append(Problem(0, "", _l("The file is larger than 8 MB.")))
        return roster
    try:
        table = _read_table(data, filename)
    except ValueError:
        roster.problems.append(Problem(0, "", _l(
            "This file cannot be read. Upload an Excel workbook (.xlsx) or a CSV file.")))
        return roster
    while table and not any(table[-1]):
        table.pop()
    if not table:
        roster.problems.append(Problem(0, "", _l("The file is empty.")))
        return roster
    header = [_HEADER_KEYS.get(_fold(h)) for h in table[0]]
    roster.columns = {key: column_letter(i) for i, key in enumerate(header) if key}
    missing = [key for key in REQUIRED if key not in header]
    for key in missing:
        roster.problems.append(Problem(1, key, _l("This column is missing.")))
    if missing:
        return roster
    body = table[1:]
    if len(body) > MAX_ROWS:
        roster.problems.append(Problem(0, "", _l("A list has at most %(n)d companies.",
                                                 n=MAX_ROWS)))
        return roster
    first_row_of: dict[str, int] = {}
    for offset, cells in enumerate(body):
        number = offset + 2
        if not any(cells):
            continue
        values = {key: "" for key in COLUMNS}
        for index, column in enumerate(header):
            if column is not None and index < len(cells):
                values[column] = cells[index]
        ok = check_row(number, values, roster.problems)
        code = values["credit_code"]
        if ok and code:
            if code in first_row_of:
                roster.problems.append(Problem(number, "credit_code", _l(
                    "The same credit code is already in row %(row)d.", row=first_row_of[code])))
                continue
            first_row_of[code] = number
        if ok:
            roster.rows.append(values)
            roster.row_numbers.append(number)
    if not roster.rows and not roster.problems:
        roster.problems.append(Problem(0, "", _l("The file lists no companies.")))
    return roster


def check_row(number: int, values: dict[str, str], problems: list[Problem]) -> bool:
    before = len(problems)
    for key in REQUIRED:
        if not values[key]:
            problems.append(Problem(number, key, _l("This cell is empty.")))
    for key, limit in LIMITS.items():
        if len(values[key]) > limit:
            problems.append(Problem(number, key, _l("At most %(n)d characters.", n=limit)))
    for key, text in values.items():
        if any(ord(ch) < 32 for ch in text):
            problems.append(Problem(number, key, _l("This cell contains control characters.")))
    code = values["credit_code"].upper()
    values["credit_code"] = code
    if code:
        problem = uscc_problem(code)
        if problem:
            problems.append(Problem(number, "credit_code", USCC_MESSAGES[problem]))
    email = values["email"].lower()
    values["email"] = email
    if email and not _EMAIL.match(email):
        problems.append(Problem(number, "email", _l("This is not an e-mail address.")))
    lookups: tuple[tuple[str, Any, Any], ...] = (
        ("industry", _lookup_industry,
         _l("Not a manufacturing division: use a code such as C36 or its name.")),
        ("size", _lookup_size, _l("Use large, medium, small or micro (大型, 中型, 小型, 微型).")),
        ("province", _lookup_province, _l("Not a province of China.")),
    )
    for key, lookup, message in lookups:
        if values[key]:
            found = lookup(values[key])
            if found is None:
                problems.append(Problem(number, key, message))
            else:
                values[key] = found
    return len(problems) == before


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
