"""The methodology's factor table: each table cited as its data file gives it, per language."""

from __future__ import annotations

import pytest

from assessment.reports.enterprise_chapters import FACTOR_TABLE_LABELS, methodology
from assessment.reports.gather import factor_sources
from indicators.energy import load_factor_tables
from indicators.framework.loader import load_framework


def test_factor_sources_are_the_loaders_tables_in_file_order():
    sources = factor_sources()
    assert sources == tuple(load_factor_tables().sources.values())
    assert [s.table for s in sources] == ["carriers", "combustion", "grid", "gwp", "targets"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_methodology_cites_each_table_in_the_readers_language(lang):
    sources = factor_sources()
    rows = methodology(load_framework(), list(sources), lang).factor_sources
    assert [row.table for row in rows] == [str(FACTOR_TABLE_LABELS[s.table]) for s in sources]
    assert [row.version for row in rows] == [s.version for s in sources]
    assert [row.source for row in rows] == [
        s.citation_en if lang == "en" else s.citation_zh for s in sources]
    # The files' "source" notes are for maintainers: a report never shows them.
    assert not any("shared facts" in row.source or "as widely reproduced" in row.source
                   for row in rows)


def test_the_citations_read_as_before_they_moved_into_the_data_files():
    rows = {lang: methodology(load_framework(), list(factor_sources()), lang).factor_sources
            for lang in ("zh", "en")}
    assert rows["zh"][0].source == (
        "GB/T 2589-2020《综合能耗计算通则》附录 A 各种能源折标准煤参考系数")
    assert rows["en"][3].source == (
        "IPCC Fifth Assessment Report (AR5), WG1 Ch. 8, Table 8.A.1; Sixth Assessment Report "
        "(AR6), WG1 Ch. 7, Table 7.SM.7; Second Assessment Report (SAR, 1995), WG1 Table 2.9")
    assert rows["zh"][4].source == (
        "国务院《2024—2025 年节能降碳行动方案》（国发〔2024〕12 号），2024-05-23")
