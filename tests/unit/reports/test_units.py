"""Unit codes as readers see them (assessment/units.py)."""

from __future__ import annotations

import pytest

from assessment.units import UNIT_LABELS, unit_label


@pytest.mark.parametrize("unit", [None, "", "1-5"])
def test_no_label_for_levels_and_missing_units(unit: str | None) -> None:
    assert unit_label(unit) == ""


def test_unknown_unit_is_shown_as_written() -> None:
    assert unit_label("kWh") == "kWh"


def test_labels_in_both_languages(in_locale) -> None:
    with in_locale("en"):
        assert unit_label("tce/万元") == "tce/10k CNY"
        assert unit_label("次") == "occasions"
    with in_locale("zh_CN"):
        assert unit_label("tce/万元") == "tce/万元"
        assert unit_label("次") == "次"


def test_every_chinese_unit_reads_as_itself_in_chinese(in_locale) -> None:
    """The guide's own Chinese units are the zh translation of their English label."""
    chinese = [code for code in UNIT_LABELS if any("\u4e00" <= c <= "\u9fff" for c in code)]
    assert chinese
    with in_locale("zh_CN"):
        for code in chinese:
            assert unit_label(code) == code, code
