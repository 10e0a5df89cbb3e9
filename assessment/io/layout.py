"""The spreadsheet's layout, shared by the writer and the reader (pure: no Flask, no database).

Every sheet carries its kind in cell A1 ("sheet:readme", "sheet:<dimension>", "sheet:energy")
and every row the import reads carries its key in column A; both columns A and B (the answer's
version when exported) are hidden. Rows without a key (titles, level descriptors, fields of
another page shown for reference) are for people and are ignored by the import, so the sheet
names and the visible text can be in the user's language without the import depending on it.
"""

from __future__ import annotations

from dataclasses import dataclass

SHEET_MARK = "sheet:"
README = "readme"
ENERGY = "energy"

# Columns of the dimension sheets (and of the totals block of the energy sheet).
KEY, VERSION, NAME, UNIT, HELP, VALUE, STATE, NOT_APPLICABLE, NA_REASON = "ABCDEFGHI"
INDICATOR_PREFIX = "indicator:"  # an indicator's row: not applicable (H) and reason (I)
PART_SEP = "|"  # "online_business_areas|procurement", "resource_sharing|testing"
OPTION_PREFIX = "options|"

# Columns of the energy-carrier rows and process-emission rows of the energy sheet.
ENERGY_COLUMNS = {"carrier": "C", "quantity": "D", "unit": "E", "kgce_per_unit": "F",
                  "source": "G"}
PROCESS_COLUMNS = {"gas": "C", "tonnes": "D"}
ENERGY_ROW = "energy"
PROCESS_ROW = "process_emissions"
BLANK_ENERGY_ROWS = 20
BLANK_PROCESS_ROWS = 5
ENERGY_OPTIONS = ("electricity_basis", "electricity_equivalent_kgce_per_kwh", "grid_series",
                  "gwp_set", "grid_factor_basis")
NUMERIC_OPTIONS = frozenset({"electricity_equivalent_kgce_per_kwh"})

# Words the import accepts, whatever the language of the file (lower-cased).
UNKNOWN_WORDS = frozenset({"unknown", "未知", "不知道", "不清楚"})
YES_WORDS = frozenset({"yes", "y", "true", "1", "是", "√", "✓"})
NO_WORDS = frozenset({"no", "n", "false", "0", "否", "×"})
NOT_OWNED_WORDS = frozenset({"not owned", "未拥有", "无", "null"})

META_FRAMEWORK = "meta:framework"
META_YEAR = "meta:year"
META_ASSESSMENT = "meta:assessment"  # rows' versions are only compared within the same one


@dataclass(frozen=True)
class CellRef:
    """Where a problem sits: the sheet's visible name, the row number and the column letter."""

    sheet: str
    row: int
    column: str

    @property
    def address(self) -> str:
        return f"{self.column}{self.row}"
