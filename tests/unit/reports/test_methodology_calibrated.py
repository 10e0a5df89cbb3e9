"""The report appendix states the 2.0.0 scoring rules beside the bands it prints."""

from __future__ import annotations

from assessment.reports.enterprise_chapters import methodology
from assessment.reports.gather import factor_sources
from indicators.framework.loader import load_framework


def _rationales(version: str) -> dict[str, str]:
    framework = load_framework("scm-2024", version)
    lines = methodology(framework, list(factor_sources()), "en").formulas
    codes = [i.code for d in framework.dimensions for i in d.indicators]
    return dict(zip(codes, (line.rationale for line in lines), strict=True))


def test_the_appendix_of_2_0_0_names_the_industry_rule_and_the_new_scoring():
    new = _rationales("2.0.0")
    assert new["green.energy_intensity"].startswith("within the enterprise's industry")
    assert "all manufacturing: 0.02→100" in new["green.energy_intensity"]
    assert new["global.footprint"].endswith("an undisclosed share counts as 0")
    assert "half trainings held: 0→0, 2→30, 4→55, 12→80, 24→100" in new["talent.training"]


def test_the_appendix_of_1_0_0_is_as_before():
    old = _rationales("1.0.0")
    assert old["green.energy_intensity"].startswith("0.02→100")
    assert "undisclosed" not in old["global.footprint"]
    assert "trainings held" not in old["talent.training"]
