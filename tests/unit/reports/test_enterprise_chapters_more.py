"""The enterprise report's chapters not covered by test_enterprise_chapters.py: the
year-on-year intensity rows of the energy section, the sources of the roadmap's items and
the methodology appendix (formulas, level bands, weights, anonymity rule)."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

import pytest

from assessment.reports import formatting as fmt
from assessment.reports.enterprise_chapters import energy_section, methodology, roadmap
from indicators.energy.tables import Target
from indicators.energy.yoy import IntensityChange, YearOnYear
from indicators.framework.loader import load_framework, shipped_framework
from indicators.recommendations import Motive, Recommendation

TARGET = Target(2025, "energy_intensity_2025", "单位GDP能耗降低约2.5%",
                "Energy use per unit of GDP down about 2.5%", Decimal("-2.5"), None, "", {})


def _yoy() -> YearOnYear:
    energy = IntensityChange("energy_intensity", "tce/万元", Decimal("0.0520"),
                             Decimal("0.0500"), Decimal("-3.846"), TARGET, "meets")
    carbon = IntensityChange("carbon_intensity", "tCO2e/万元", Decimal("0.1100"),
                             Decimal("0.1200"), Decimal("9.09"), None, "no_target")
    return YearOnYear(2025, 2024, energy, carbon, [])


def test_the_year_on_year_rows_say_which_way_and_against_what(in_locale) -> None:
    results = {"energy": {"total_tce": 500.0}, "emissions": {"total_tco2e": 1200.0},
               "indicators": {"green.energy_intensity": {"value": 0.05, "unit": "tce/万元"}}}
    with in_locale("en"):
        section = energy_section(results, None, _yoy(), "en")
    energy, carbon = section.intensities
    assert (energy.label, energy.previous, energy.current, energy.change) == \
        ("Energy intensity", "0.0520", "0.0500", "-3.8%")
    assert energy.target == "Energy use per unit of GDP down about 2.5%"
    assert energy.verdict == "Meets the national target"
    assert (carbon.label, carbon.change, carbon.target, carbon.verdict) == \
        ("Carbon intensity", "+9.1%", fmt.DASH, "No national target applies")
    assert section.energy_intensity.startswith("0.0500")
    assert section.carbon_intensity == fmt.DASH  # not in the results
    with in_locale("zh_CN"):
        chinese = energy_section(results, None, _yoy(), "zh_CN")
    assert chinese.intensities[0].target == "单位GDP能耗降低约2.5%"
    assert chinese.intensities[0].label != "Energy intensity"
    assert chinese.intensities[0].verdict != "Meets the national target"


def test_a_change_that_cannot_be_computed_is_a_dash(in_locale) -> None:
    missing = IntensityChange("energy_intensity", "tce/万元", None, Decimal("0.05"), None,
                              None, "not_computable")
    yoy = YearOnYear(2025, None, missing, missing, [])
    with in_locale("en"):
        row = energy_section({"energy": {"total_tce": 1.0}}, None, yoy, "en").intensities[0]
    assert (row.previous, row.change, row.verdict) == (fmt.DASH, fmt.DASH, "Not computable")


@pytest.mark.parametrize(("kind", "en", "zh"), [
    ("technology", "National catalogue of recommended", "《国家工业和信息化领域"),
    ("equipment", "National catalogue of recommended", "《国家工业和信息化领域"),
    ("measure", "Guide to Improving Supply-Chain", "《制造业企业供应链管理水平提升指南"),
])
def test_each_roadmap_item_cites_its_document(in_locale, kind: str, en: str, zh: str) -> None:
    item = Recommendation(kind, "r1", "措施", "Measure", "摘要", "Summary", "原因", "Reason", 1,
                          (3, 4), (Motive("green.energy_intensity", 30.0),))
    with in_locale("en"):
        [english] = roadmap([item], [], "en")
    with in_locale("zh_CN"):
        [chinese] = roadmap([item], [], "zh_CN")
    assert english.source.startswith(en)
    assert chinese.source.startswith(zh)
    # the document a reader can look up, never the line numbers of our seed file
    assert "3-4" not in english.source and "lines" not in english.source


@pytest.fixture(scope="module")
def framework():
    return shipped_framework("scm-2024")


def test_the_methodology_lists_every_indicator_with_its_rule(framework, in_locale) -> None:
    with in_locale("en"):
        english = methodology(framework, [], "en")
    codes = [i.code for d in framework.dimensions for i in d.indicators]
    assert len(english.formulas) == len(codes)
    by_name = {line.name: line for line in english.formulas}
    organisation = by_name[framework.indicator("collaboration.organization").name_en]
    assert organisation.unit == "level 1-5"
    assert organisation.rationale == "level 1-5 → 0, 25, 50, 75, 100"
    delivery = by_name[framework.indicator("lean.on_time_delivery_rate").name_en]
    assert delivery.direction == "higher is better" and delivery.unit == "%"
    assert "→" in delivery.rationale
    directions = {line.direction for line in english.formulas}
    assert directions <= {"higher is better", "lower is better",
                          "closest to the target is best"}
    assert english.factor_sources == []
    assert "5" in english.anonymity_rule
    with in_locale("zh_CN"):
        chinese = methodology(framework, [], "zh_CN")
    assert chinese.formulas[0].name == framework.dimensions[0].indicators[0].name_zh
    assert chinese.formulas[0].dimension == framework.dimensions[0].name_zh
    assert chinese.formulas[0].direction != english.formulas[0].direction
    assert chinese.anonymity_rule != english.anonymity_rule


def test_the_level_bands_cover_0_to_100_and_the_weights_add_up(framework, in_locale) -> None:
    with in_locale("en"):
        appendix = methodology(load_framework("scm-2024", "1.0.0"), [], "en")
    bounds = [band.scores for band in appendix.levels]
    assert bounds[0].startswith("0 – ") and bounds[-1].endswith(" – 100")
    for lower, upper in pairwise(bounds):
        assert lower.split(" – ")[1] == upper.split(" – ")[0]  # no gap, no overlap
    assert [band.name for band in appendix.levels] == [
        framework.level_name(level, "en") for _lowest, level in framework.level_from_score]
    shares = [float(share.rstrip("%")) for _name, share in appendix.weights]
    assert [name for name, _share in appendix.weights] == [d.name_en
                                                           for d in framework.dimensions]
    assert sum(shares) == pytest.approx(100, abs=len(shares))  # rounded to whole percent
