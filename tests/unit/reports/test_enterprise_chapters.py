"""Report parts assembled from the contract's output (no database): the energy section's
shares, the what-if lines and the roadmap, ordered by what they are worth."""

from __future__ import annotations

import pytest

from assessment.reports import formatting as fmt
from assessment.reports.enterprise_chapters import energy_section, roadmap, what_if_lines
from indicators.framework.loader import shipped_framework
from indicators.recommendations import Motive, Recommendation


@pytest.fixture(scope="module")
def framework():
    return shipped_framework("scm-2024")


def test_no_energy_figures_is_an_unavailable_section(in_locale) -> None:
    with in_locale("en"):
        section = energy_section({}, None, None, "en")
    assert not section.available
    assert (section.total_tce, section.previous_total_tce, section.total_tco2e) == \
        (fmt.DASH,) * 3
    assert section.carriers == [] and section.scopes == [] and section.intensities == []
    assert section.energy_intensity == fmt.DASH


def test_shares_are_ordered_largest_first_and_add_up(in_locale) -> None:
    results = {"energy": {"total_tce": 100.0, "by_carrier": {"coke": 25.0, "electricity": 75.0,
                                                            "diesel": 0.0}},
               "emissions": {"total_tco2e": 300.0, "scope1": 100.0, "scope2": 200.0},
               "indicators": {}}
    with in_locale("en"):
        section = energy_section(results, {"energy": {"total_tce": 90.0}}, None, "en")
    assert section.available
    assert section.total_tce == "100.00" and section.previous_total_tce == "90.00"
    assert section.previous_total_tco2e == fmt.DASH
    assert [s.share_text for s in section.carriers] == ["75.0%", "25.0%", "0.0%"]
    assert section.carriers[0].label != "electricity"  # the factor table's name, not the code
    assert section.carriers[0].amount == "75.00 tce"
    assert sum(s.share for s in section.carriers) == pytest.approx(100.0)
    assert [s.label for s in section.scopes] == ["Scope 2: purchased electricity and heat",
                                                 "Scope 1: direct emissions"]
    with in_locale("zh_CN"):
        chinese = energy_section(results, None, None, "zh_CN")
    assert chinese.carriers[0].label != section.carriers[0].label


def _what_if(code: str, gain: float | None, framework) -> dict:
    indicator = framework.indicator(code)
    return {"code": code, "name_zh": indicator.name_zh, "name_en": indicator.name_en,
            "value": 80.0, "value_needed": 90.0, "unit": indicator.unit, "next_level": 4,
            "dimension_gain": 2.0, "overall_gain": gain}


def test_what_if_lines_put_the_largest_overall_gain_first(framework) -> None:
    codes = list(framework.indicators)[:3]
    lines = what_if_lines([_what_if(codes[0], 0.5, framework),
                           _what_if(codes[1], None, framework),
                           _what_if(codes[2], 1.25, framework)], framework, "en")
    assert [line.name for line in lines] == [framework.indicator(c).name_en
                                             for c in (codes[2], codes[0], codes[1])]
    assert [line.overall_gain for line in lines] == ["+1.2", "+0.5", fmt.DASH]
    assert lines[0].next_level == framework.level_name(4, "en")
    chinese = what_if_lines([_what_if(codes[0], 0.5, framework)], framework, "zh_CN")
    assert chinese[0].name == framework.indicator(codes[0]).name_zh
    assert what_if_lines([], framework, "en") == []


def _recommendation(ref: str, priority: int, *motives: str) -> Recommendation:
    return Recommendation("measure", ref, f"措施{ref}", f"Measure {ref}", "摘要", "Summary",
                          "原因", "Reason", priority, (10, 12),
                          tuple(Motive(code, 40.0) for code in motives))


def test_the_roadmap_follows_the_what_if_gains(in_locale) -> None:
    first = _recommendation("a", 1, "lean.on_time_delivery_rate")
    second = _recommendation("b", 2, "digital.investment_ratio", "green.energy_intensity")
    third = _recommendation("c", 3)
    what_if = [{"code": "green.energy_intensity", "overall_gain": 3.0},
               {"code": "digital.investment_ratio", "overall_gain": 1.0},
               {"code": "lean.on_time_delivery_rate", "overall_gain": None}]
    with in_locale("en"):
        items = roadmap([first, second, third], what_if, "en")
    # the largest gain of a recommendation's motives first; the catalogue's order breaks ties
    assert [(i.priority, i.title, i.gain) for i in items] == [
        (1, "Measure b", "+3.0"), (2, "Measure a", fmt.DASH), (3, "Measure c", fmt.DASH)]
    assert items[0].kind == "Measure of the guide"
    assert items[0].source == ("Guide to Improving Supply-Chain Management of Manufacturing "
                               "Enterprises (Trial)")  # the document, not our seed file's lines
    assert items[0].summary == "Summary" and items[0].reason == "Reason"
    with in_locale("zh_CN"):
        chinese = roadmap([first], [], "zh_CN")
    assert (chinese[0].title, chinese[0].summary, chinese[0].gain) == ("措施a", "摘要", fmt.DASH)
    assert chinese[0].kind != "Measure of the guide"
    assert roadmap([], what_if, "en") == []
