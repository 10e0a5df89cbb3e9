"""The dashboard as files: CSV (UTF-8 with a byte-order mark, so that Excel reads Chinese
names) and XLSX (one sheet per table). They hold exactly what the pages show: the filtered
member list, and statistics only where the anonymity rule lets the page show them.

Text that a spreadsheet would run as a formula (a member named ``=HYPERLINK(...)``) is
written with a leading apostrophe, and XLSX cells are text, never formulas
(``assessment.io.cells``, the rule of every spreadsheet the app writes).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from flask_babel import gettext as _
from flask_babel import pgettext
from openpyxl import Workbook

from assessment.benchmarks.cohorts import ANONYMITY_MIN_COHORT
from assessment.dashboard.services import (
    BINS,
    LEVELS,
    CodeDistribution,
    Dashboard,
)
from assessment.io.cells import neutralise, text_cells_only
from assessment.profiles.rules import province as find_province
from assessment.profiles.rules import size_class_by_code

Row = Sequence[Any]
safe = neutralise


def _round(number: float | None) -> float | None:
    return None if number is None else round(float(number), 2)


def member_table(found: Dashboard, lang: str) -> tuple[Row, list[Row]]:
    header = (_("Enterprise"), _("Status"), _("Year"), _("Industry division"),
              _("Size class"), _("Province"), _("Overall score"), _("Level"))
    rows: list[Row] = []
    for member in found.members.rows:
        size = size_class_by_code(member.size_class) if member.size_class else None
        place = find_province(member.province) if member.province else None
        rows.append((member.name, member.status_label, found.filters.year,
                     member.industry_division or "",
                     (size.name_en if lang == "en" else size.name_zh) if size else "",
                     place.name(lang) if place else "",
                     _round(member.overall_score), member.overall_level))
    return header, rows


def level_table(found: Dashboard) -> tuple[Row, list[Row]]:
    header = (_("Level"), pgettext("member companies", "Members"), _("Share (%)"))
    if not found.levels.shown:
        return header, []
    return header, [(f"L{level}", found.levels.counts[level], round(found.levels.share(level), 1))
                    for level in LEVELS]


_SUMMARY = ("n", "mean", "p10", "q1", "median", "q3", "p90")


def _summary_cells(summary: Any) -> list[Any]:
    if summary is None:
        suppressed = _("fewer than %(minimum)d", minimum=ANONYMITY_MIN_COHORT)
        return [suppressed] + [None] * (len(_SUMMARY) - 1)
    return [summary.n] + [_round(getattr(summary, name)) for name in _SUMMARY[1:]]


def distribution_table(distributions: Iterable[CodeDistribution]) -> tuple[Row, list[Row]]:
    bins = [f"{low}-{high}" for low, high in BINS]
    header = (_("Code"), pgettext("indicator", "Name"), _("Kind"), *_SUMMARY, *bins)
    rows: list[Row] = []
    for found in distributions:
        histogram: list[int | None] = list(found.histogram) or [None] * len(BINS)
        rows.append((found.code, found.name, found.kind, *_summary_cells(found.summary),
                     *histogram))
    return header, rows


def breakdown_table(found: Dashboard) -> tuple[Row, list[Row]]:
    header = (_("Breakdown"), _("Group"), *_SUMMARY)
    rows: list[Row] = []
    for breakdown in found.breakdowns:
        for row in breakdown.rows:
            rows.append((breakdown.title, row.label, *_summary_cells(row.summary)))
    return header, rows


def to_csv(header: Row, rows: Iterable[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe(c) for c in header])
    for row in rows:
        writer.writerow(["" if c is None else safe(c) for c in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(sheets: Iterable[tuple[str, Row, list[Row]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(list(header))
        for row in rows:
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
    text_cells_only(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook(found: Dashboard, distributions: list[CodeDistribution], lang: str) -> bytes:
    return to_xlsx([
        (pgettext("member companies", "Members"), *member_table(found, lang)),
        (_("Levels"), *level_table(found)),
        (_("Distributions"), *distribution_table(distributions)),
        (_("Breakdowns"), *breakdown_table(found)),
    ])
