"""Writing an assessment as a workbook: a readme sheet, one sheet per dimension, energy.

The layout (hidden key column, rows the import reads) is described in ``layout``. Names,
explanations and level descriptors come from the framework data in the user's language.
Every text cell is written as text, neutralised against formulas (``cells``).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from assessment.assessments.models import Answer, AnswerState, Assessment, IndicatorState
from assessment.assessments.pages import ENERGY_PAGE_INPUTS, pages_for
from assessment.io import layout as L
from assessment.io.cells import storable, text_cells_only
from assessment.labels import choice_label
from indicators import Framework
from indicators.energy import load_factor_tables

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_INPUT_FILL = PatternFill("solid", fgColor="FFF8E1")  # the cells to fill in
_WRAP = Alignment(wrap_text=True, vertical="top")
_WIDTHS = {L.KEY: 4, L.VERSION: 4, L.NAME: 38, L.UNIT: 10, L.HELP: 60, L.VALUE: 16,
           L.STATE: 12, L.NOT_APPLICABLE: 12, L.NA_REASON: 36}


def _sheet_title(index: int, name: str) -> str:
    title = f"{index} {name}"
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title[:31]


class _Writer:
    def __init__(self, framework: Framework, answers: Mapping[str, Answer],
                 states: Mapping[str, IndicatorState], english: bool) -> None:
        self.framework = framework
        self.answers = answers
        self.states = states
        self.english = english
        self.yes, self.no, self.unknown = _("Yes"), _("No"), _("Unknown")

    def text(self, zh: str, en: str) -> str:
        return en if self.english else zh

    # -- helpers ------------------------------------------------------------------------
    def _validations(self, sheet: Worksheet) -> dict[str, DataValidation]:
        rules = {
            "level": DataValidation(type="list", formula1='"1,2,3,4,5"', allow_blank=True),
            "int": DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                                  allow_blank=True),
            "decimal": DataValidation(type="decimal", operator="greaterThanOrEqual",
                                      formula1="0", allow_blank=True),
            "percent": DataValidation(type="decimal", operator="between", formula1="0",
                                      formula2="100", allow_blank=True),
            "yes_no": DataValidation(type="list", formula1=f'"{self.yes},{self.no}"',
                                     allow_blank=True),
            "state": DataValidation(type="list", formula1=f'"{self.unknown}"',
                                    allow_blank=True),
        }
        for rule in rules.values():
            rule.error = _("This value is not allowed here.")
            sheet.add_data_validation(rule)
        return rules

    @staticmethod
    def _columns(sheet: Worksheet) -> None:
        for column, width in _WIDTHS.items():
            sheet.column_dimensions[column].width = width
        sheet.column_dimensions[L.KEY].hidden = True
        sheet.column_dimensions[L.VERSION].hidden = True

    def _header(self, sheet: Worksheet, row: int) -> None:
        labels = {L.NAME: _("Indicator / input"), L.UNIT: _("Unit"), L.HELP: _("Explanation"),
                  L.VALUE: _("Value"), L.STATE: _("Unknown?"),
                  L.NOT_APPLICABLE: _("Not applicable?"), L.NA_REASON: _("Reason")}
        for column, label in labels.items():
            sheet[f"{column}{row}"] = label
            sheet[f"{column}{row}"].font = _BOLD
        sheet.freeze_panes = f"C{row + 1}"

    def _answer_cells(self, sheet: Worksheet, row: int, key: str, value: Any) -> None:
        answer = self.answers.get(key)
        sheet[f"{L.KEY}{row}"] = key
        if answer is not None:
            sheet[f"{L.VERSION}{row}"] = answer.version
        sheet[f"{L.VALUE}{row}"] = value
        sheet[f"{L.VALUE}{row}"].fill = _INPUT_FILL

    def _state(self, sheet: Worksheet, row: int, key: str,
               rules: dict[str, DataValidation]) -> None:
        answer = self.answers.get(key)
        if answer is not None and answer.state == AnswerState.unknown:
            sheet[f"{L.STATE}{row}"] = self.unknown
        rules["state"].add(f"{L.STATE}{row}")

    def _value(self, key: str) -> Any:
        answer = self.answers.get(key)
        if answer is None or answer.state != AnswerState.answered:
            return None
        return answer.value

    # -- an input, with its parts for lists and maps --------------------------------------
    def input_rows(self, sheet: Worksheet, row: int, key: str,
                   rules: dict[str, DataValidation]) -> int:
        spec = self.framework.inputs.get(key)
        indicator = self.framework.indicators.get(key)
        kind = spec.type if spec is not None else "level"
        if spec is not None:
            name, unit = self.text(spec.name_zh, spec.name_en), spec.unit
        else:
            assert indicator is not None
            name, unit = _("Maturity level"), "1-5"
        sheet[f"{L.NAME}{row}"] = f"  {name}"
        sheet[f"{L.UNIT}{row}"] = unit
        sheet[f"{L.HELP}{row}"] = self._hint(kind)
        value = self._value(key)
        if kind in ("list", "map"):
            self._answer_cells(sheet, row, key, None)
            self._state(sheet, row, key, rules)
            return self._part_rows(sheet, row + 1, key, kind, spec.allowed if spec else (),
                                   value, rules)
        self._answer_cells(sheet, row, key, value)
        self._state(sheet, row, key, rules)
        rules[kind].add(f"{L.VALUE}{row}")
        row += 1
        if indicator is not None:
            for level in range(1, 6):
                descriptor = indicator.level_descriptors.get(level, {})
                sheet[f"{L.NAME}{row}"] = (f"    {level} "
                                           f"{self.framework.level_name(level, self._lang)}")
                sheet[f"{L.HELP}{row}"] = descriptor.get("en" if self.english else "zh", "")
                sheet[f"{L.HELP}{row}"].alignment = _WRAP
                row += 1
        return row

    @property
    def _lang(self) -> str:
        return "en" if self.english else "zh"

    def _hint(self, kind: str) -> str:
        return {
            "int": _("Whole number, 0 or more"),
            "decimal": _("Number, 0 or more"),
            "percent": _("Percent, 0 to 100"),
            "level": _("Level 1 to 5 (descriptors below)"),
            "list": _("Mark each area Yes or No below"),
            "map": _("Openness in percent for each type you own; \"not owned\" otherwise"),
        }[kind]

    def _part_rows(self, sheet: Worksheet, row: int, key: str, kind: str,
                   allowed: tuple[str, ...], value: Any,
                   rules: dict[str, DataValidation]) -> int:
        for part in allowed:
            sheet[f"{L.KEY}{row}"] = f"{key}{L.PART_SEP}{part}"
            sheet[f"{L.NAME}{row}"] = f"    {choice_label(part)}"
            cell = f"{L.VALUE}{row}"
            sheet[cell].fill = _INPUT_FILL
            if kind == "list":
                if isinstance(value, list):
                    sheet[cell] = self.yes if part in value else self.no
                rules["yes_no"].add(cell)
            else:
                sheet[f"{L.UNIT}{row}"] = "%"
                if isinstance(value, dict) and part in value:
                    sheet[cell] = _("not owned") if value[part] is None else value[part]
            row += 1
        return row

    # -- sheets ---------------------------------------------------------------------------
    def dimension_sheet(self, sheet: Worksheet, page_code: str) -> None:
        page = next(p for p in pages_for(self.framework) if p.code == page_code)
        dimension = next(d for d in self.framework.dimensions if d.code == page_code)
        self._columns(sheet)
        rules = self._validations(sheet)
        sheet["A1"] = f"{L.SHEET_MARK}{page_code}"
        sheet["C1"] = self.text(dimension.name_zh, dimension.name_en)
        sheet["C1"].font = _TITLE
        self._header(sheet, 2)
        row = 3
        for fields in page.indicators:
            indicator = fields.indicator
            state = self.states.get(indicator.code)
            sheet[f"{L.KEY}{row}"] = f"{L.INDICATOR_PREFIX}{indicator.code}"
            if state is not None:
                sheet[f"{L.VERSION}{row}"] = state.version
            sheet[f"{L.NAME}{row}"] = self.text(indicator.name_zh, indicator.name_en)
            sheet[f"{L.NAME}{row}"].font = _BOLD
            sheet[f"{L.UNIT}{row}"] = indicator.unit
            sheet[f"{L.HELP}{row}"] = self.text(indicator.explanation_zh,
                                                indicator.explanation_en)
            sheet[f"{L.HELP}{row}"].alignment = _WRAP
            na_cell = f"{L.NOT_APPLICABLE}{row}"
            sheet[na_cell] = self.yes if state is not None and state.not_applicable else self.no
            sheet[na_cell].fill = _INPUT_FILL
            rules["yes_no"].add(na_cell)
            if state is not None and state.not_applicable:
                sheet[f"{L.NA_REASON}{row}"] = storable(state.na_reason)
            sheet[f"{L.NA_REASON}{row}"].fill = _INPUT_FILL
            row += 1
            for key in fields.own_inputs:
                row = self.input_rows(sheet, row, key, rules)
            for key, other_page in fields.shared_inputs:
                spec = self.framework.inputs.get(key)
                label = self.text(spec.name_zh, spec.name_en) if spec else key
                sheet[f"{L.NAME}{row}"] = f"  {label}"
                sheet[f"{L.HELP}{row}"] = _("Answered on the sheet of %(page)s",
                                            page=self._page_name(other_page))
                row += 1

    def _page_name(self, page_code: str) -> str:
        for dimension in self.framework.dimensions:
            if dimension.code == page_code:
                return self.text(dimension.name_zh, dimension.name_en)
        return _("Energy and carbon")

    def energy_sheet(self, sheet: Worksheet, readme_title: str) -> None:
        self._columns(sheet)
        rules = self._validations(sheet)
        sheet["A1"] = f"{L.SHEET_MARK}{L.ENERGY}"
        sheet["C1"] = _("Energy and carbon")
        sheet["C1"].font = _TITLE
        self._header(sheet, 2)
        row = 3
        for key in ENERGY_PAGE_INPUTS:
            row = self.input_rows(sheet, row, key, rules)
        options = self._value("options") or {}
        sheet[f"{L.NAME}{row}"] = _("Options (leave blank for the defaults)")
        sheet[f"{L.NAME}{row}"].font = _BOLD
        row += 1
        for option in L.ENERGY_OPTIONS:
            sheet[f"{L.KEY}{row}"] = f"{L.OPTION_PREFIX}{option}"
            sheet[f"{L.NAME}{row}"] = f"  {option}"
            sheet[f"{L.VALUE}{row}"] = options.get(option)
            sheet[f"{L.VALUE}{row}"].fill = _INPUT_FILL
            row += 1
        row = self._list_block(sheet, row + 1, L.ENERGY_ROW, L.ENERGY_COLUMNS,
                               self._value("energy") or [], L.BLANK_ENERGY_ROWS, readme_title)
        self._list_block(sheet, row + 1, L.PROCESS_ROW, L.PROCESS_COLUMNS,
                         self._value("process_emissions") or [], L.BLANK_PROCESS_ROWS,
                         readme_title)

    def _list_block(self, sheet: Worksheet, row: int, row_key: str, columns: dict[str, str],
                    entries: list[dict[str, Any]], blank_rows: int, readme_title: str) -> int:
        sheet[f"{L.NAME}{row}"] = (_("Energy used (one row per carrier)")
                                   if row_key == L.ENERGY_ROW
                                   else _("Process emissions (one row per gas)"))
        sheet[f"{L.NAME}{row}"].font = _BOLD
        row += 1
        for field, column in columns.items():
            sheet[f"{column}{row}"] = field
            sheet[f"{column}{row}"].font = _BOLD
        row += 1
        lists = {"carrier": "B", "unit": "E", "gas": "H"}
        quoted = readme_title.replace("'", "''")
        validations = {
            field: DataValidation(type="list", allow_blank=True,
                                  formula1=f"'{quoted}'!${col}$30:${col}$120")
            for field, col in lists.items() if field in columns
        }
        for rule in validations.values():
            sheet.add_data_validation(rule)
        for index in range(len(entries) + blank_rows):
            entry = entries[index] if index < len(entries) else {}
            sheet[f"{L.KEY}{row}"] = row_key
            for field, column in columns.items():
                cell = f"{column}{row}"
                sheet[cell] = entry.get(field)
                sheet[cell].fill = _INPUT_FILL
                if field in validations:
                    validations[field].add(cell)
            row += 1
        return row

    def readme_sheet(self, sheet: Worksheet, assessment: Assessment, organisation: str,
                     review_label: str = "") -> None:
        sheet.column_dimensions["A"].hidden = True
        for column, width in {"B": 24, "C": 60, "D": 16, "E": 24, "F": 24, "H": 10}.items():
            sheet.column_dimensions[column].width = width
        sheet["A1"] = f"{L.SHEET_MARK}{L.README}"
        sheet["B1"] = _("ChainGauge assessment workbook")
        sheet["B1"].font = _TITLE
        facts = [
            ("", _("Organisation"), storable(organisation)),
            (L.META_YEAR, _("Data year"), assessment.year),
            (L.META_FRAMEWORK, _("Framework"), assessment.framework_id),
            ("", _("Framework version"), assessment.framework_version),
            (L.META_ASSESSMENT, _("Assessment"), str(assessment.id)),
            # A finalised assessment's "self-assessment" or its reviewer (row 8, free above
            # the instructions); empty before finalisation.
            ("", _("Review status"), review_label or None),
        ]
        for offset, (key, label, value) in enumerate(facts, start=3):
            sheet[f"A{offset}"] = key or None
            sheet[f"B{offset}"] = label
            sheet[f"C{offset}"] = value
        instructions = [
            _("Fill in the yellow cells on each sheet; leave a cell blank if you have no "
              "figure, or write Unknown in the Unknown? column if the enterprise does not know."),
            _("Percents are 0 to 100; money is in 10,000 CNY; levels are 1 to 5."),
            _("Type values, not formulas: cells holding formulas are refused."),
            _("Do not change the hidden columns A and B, nor rename or delete rows: the import "
              "uses them. You may rename sheets."),
            _("On the energy sheet, write one carrier per row; codes are listed below."),
            _("The import is all or nothing: if any cell is wrong, nothing is saved and every "
              "wrong cell is listed."),
        ]
        for offset, line in enumerate(instructions, start=9):
            sheet[f"C{offset}"] = line
            sheet[f"C{offset}"].alignment = _WRAP
        self._legend(sheet)

    def _legend(self, sheet: Worksheet) -> None:
        tables = load_factor_tables()
        sheet["B29"], sheet["E29"], sheet["H29"] = _("Carrier code"), _("Unit"), _("Gas")
        for cell in ("B29", "E29", "H29"):
            sheet[cell].font = _BOLD
        for offset, carrier in enumerate(sorted(tables.carriers.values(),
                                                key=lambda c: c.code), start=30):
            sheet[f"B{offset}"] = carrier.code
            sheet[f"C{offset}"] = self.text(carrier.name_zh, carrier.name_en)
            sheet[f"D{offset}"] = ", ".join(sorted(carrier.units))
        for offset, unit in enumerate(sorted(tables.units), start=30):
            sheet[f"E{offset}"] = unit
        for offset, gas in enumerate(sorted(tables.gases), start=30):
            sheet[f"H{offset}"] = gas


def write_workbook(assessment: Assessment, framework: Framework, answers: Mapping[str, Answer],
                   states: Mapping[str, IndicatorState], organisation: str,
                   english: bool, review_label: str = "") -> bytes:
    """The assessment as an .xlsx file (bytes); ``review_label`` says in the readme whether
    anyone outside the enterprise reviewed it."""
    writer = _Writer(framework, answers, states, english)
    book = Workbook()
    readme = book.active
    assert readme is not None
    readme.title = _sheet_title(0, _("Readme"))
    writer.readme_sheet(readme, assessment, organisation, review_label)
    for index, dimension in enumerate(framework.dimensions, start=1):
        sheet = book.create_sheet(_sheet_title(index, writer.text(dimension.name_zh,
                                                                  dimension.name_en)))
        writer.dimension_sheet(sheet, dimension.code)
    energy = book.create_sheet(_sheet_title(len(framework.dimensions) + 1,
                                            _("Energy and carbon")))
    writer.energy_sheet(energy, readme.title)
    text_cells_only(book)  # user text (reasons, names) never runs as a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
