"""The results page's energy and carbon summary carries the figures of the report's energy
chapter: the same totals, carriers and scopes with the same shares, the same intensities
year on year (assessment/results/energy.py is the layer both read)."""

from __future__ import annotations

from decimal import Decimal

from assessment.reports import formatting as fmt
from assessment.reports.enterprise_chapters import energy_section
from assessment.results.energy import energy_figures, shares, target_name, verdict_label
from indicators.energy.tables import Target
from indicators.energy.yoy import IntensityChange, YearOnYear

TARGET = Target(2025, "energy_intensity_2025", "单位GDP能耗降低约2.5%",
                "Energy use per unit of GDP down about 2.5%", Decimal("-2.5"), None, "", {})
RESULTS = {
    "energy": {"total_tce": 512.25, "by_carrier": {"electricity": 147.48,
                                                   "natural_gas": 364.77}},
    "emissions": {"total_tco2e": 1234.5, "scope1": 700.0, "scope2": 534.5},
    "indicators": {"green.energy_intensity": {"value": 0.0098, "unit": "tce/万元"},
                   "green.carbon_intensity": {"value": 0.0237, "unit": "tCO2e/万元"}},
}
PREVIOUS = {"energy": {"total_tce": 480.0}, "emissions": {"total_tco2e": 1300.0}}


def _yoy() -> YearOnYear:
    energy = IntensityChange("energy_intensity", "tce/万元", Decimal("0.0104"),
                             Decimal("0.0098"), Decimal("-5.77"), TARGET, "meets")
    carbon = IntensityChange("carbon_intensity", "tCO2e/万元", Decimal("0.0250"),
                             Decimal("0.0237"), Decimal("-5.2"), None, "no_target")
    return YearOnYear(2025, 2024, energy, carbon, [])


def test_the_summary_has_the_figures_of_the_reports_energy_chapter(in_locale) -> None:
    with in_locale("en"):
        chapter = energy_section(RESULTS, PREVIOUS, _yoy(), "en")
        figures = energy_figures(RESULTS, PREVIOUS, _yoy())
        assert [verdict_label(c) for c in figures.intensities] == \
            [row.verdict for row in chapter.intensities]
    assert fmt.number(figures.total_tce, 2) == chapter.total_tce
    assert fmt.number(figures.total_tco2e, 2) == chapter.total_tco2e
    assert fmt.number(figures.previous_total_tce, 2) == chapter.previous_total_tce
    assert fmt.number(figures.previous_total_tco2e, 2) == chapter.previous_total_tco2e
    assert [(c.name("en"), fmt.percent(c.share)) for c in figures.carriers] == \
        [(s.label, s.share_text) for s in chapter.carriers]
    assert [fmt.percent(s.share) for s in figures.scopes] == \
        [s.share_text for s in chapter.scopes]
    assert target_name(figures.intensities[0], "en") == chapter.intensities[0].target
    assert fmt.value_with_unit(figures.energy_intensity.value, "tce/万元", 4) == \
        chapter.energy_intensity


def test_shares_are_of_the_positive_total_largest_first() -> None:
    rows = shares({"a": 1.0, "b": 3.0, "c": 0.0}, {"b": ("乙", "B")})
    assert [(r.code, r.share) for r in rows] == [("b", 75.0), ("a", 25.0), ("c", 0.0)]
    assert (rows[0].name("zh"), rows[0].name("en"), rows[1].name("en")) == ("乙", "B", "a")


def test_nothing_to_summarise_without_energy_figures() -> None:
    figures = energy_figures({"indicators": {}}, None, None)
    assert not figures.available and figures.carriers == [] and figures.intensities == []
    assert figures.total_tce is None and figures.energy_intensity.value is None
