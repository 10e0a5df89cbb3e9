"""Written findings (assessment/reports/findings.py): every sentence cites figures the
evaluation holds, different enterprises read differently, and the wording follows the data."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assessment.reports.findings import Evaluation, figure_values, findings
from indicators.framework.loader import shipped_framework

FRAMEWORK = shipped_framework("scm-2024")
DIMENSIONS = [d.code for d in FRAMEWORK.dimensions]
INDICATORS = [i.code for d in FRAMEWORK.dimensions for i in d.indicators]
CODES = ["overall", *DIMENSIONS]

scores = st.one_of(st.none(), st.integers(0, 1000).map(lambda n: n / 10))


def _level(score: float) -> int:
    return 1 + sum(score >= bound for bound in (20.0, 40.0, 60.0, 80.0))


def _results(indicator_scores: dict[str, float | None]) -> dict[str, Any]:
    """Results in the engine's contract shape, dimensions as plain means of their scored
    indicators (the findings only read what the engine stores, not how it got there)."""
    indicators = {}
    for code, score in indicator_scores.items():
        indicators[code] = ({"status": "ok", "score": score, "level": _level(score),
                             "value": score, "unit": "%"} if score is not None else
                            {"status": "missing", "score": None, "level": None, "value": None})
    dimensions = {}
    for d in FRAMEWORK.dimensions:
        found = [indicator_scores[i.code] for i in d.indicators
                 if indicator_scores[i.code] is not None]
        mean = round(sum(found) / len(found), 1) if found else None  # type: ignore[arg-type]
        dimensions[d.code] = {"score": mean, "level": _level(mean) if mean is not None else None,
                              "coverage": round(len(found) / len(d.indicators), 2)}
    scored = [v["score"] for v in dimensions.values() if v["score"] is not None]
    overall = round(sum(scored) / len(scored), 1) if scored else None
    return {"indicators": indicators, "dimensions": dimensions,
            "overall": {"score": overall, "level": _level(overall) if overall is not None
                        else None, "coverage": round(len(scored) / len(DIMENSIONS), 2)}}


@st.composite
def evaluations(draw: st.DrawFn) -> Evaluation:
    results = _results({code: draw(scores) for code in INDICATORS})
    with_cohort = draw(st.booleans())
    percentiles = ({code: draw(st.floats(0, 100)) for code in CODES} if with_cohort else {})
    medians = ({code: draw(st.integers(0, 1000)) / 10 for code in CODES} if with_cohort
               else {})
    previous = None
    if draw(st.booleans()):
        previous = _results({code: draw(scores) for code in INDICATORS})
    return Evaluation(FRAMEWORK, results, percentiles, medians, previous,
                      2024 if previous else None)


def _all_text(evaluation: Evaluation, lang: str) -> str:
    return "\n".join(p.text for p in findings(evaluation, lang))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evaluations(), st.sampled_from(["zh", "en"]))
def test_every_sentence_cites_figures_present_in_the_evaluation(evaluation, lang) -> None:
    present = figure_values(evaluation)
    for paragraph in findings(evaluation, lang):
        for sentence in paragraph.sentences:
            assert sentence.cites, sentence.text
            for key in sentence.cites:
                assert key in present, (key, sentence.text)
            # The sentence states at least one figure it cites, as printed.
            shown = {f"{present[k]:.1f}" for k in sentence.cites if not k.startswith(
                ("coverage:", "percentile:"))}
            shown |= {f"P{round(present[k])}" for k in sentence.cites
                      if k.startswith("percentile:")}
            shown |= {f"{round(present[k] * 100)}%" for k in sentence.cites
                      if k.startswith("coverage:")}
            assert any(figure in sentence.text for figure in shown), (sentence, shown)


def _headline(evaluation: Evaluation) -> tuple[Any, ...]:
    """What tells two enterprises apart in the findings: their overall and dimension scores,
    their position and their change (the figures the paragraphs are built around)."""
    values = figure_values(evaluation)
    return tuple(sorted((k, round(v, 1)) for k, v in values.items()
                        if k.split(":")[1] in CODES and not k.startswith("coverage:")))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evaluations(), evaluations(), st.sampled_from(["zh", "en"]))
def test_two_different_enterprises_never_read_the_same(first, second, lang) -> None:
    assume(_headline(first) != _headline(second))
    assume(first.results["overall"]["score"] is not None)
    assert _all_text(first, lang) != _all_text(second, lang)


@settings(max_examples=60, deadline=None)
@given(evaluations())
def test_no_sentence_reads_the_same_for_every_enterprise(evaluation) -> None:
    """No sentence without a figure of the enterprise's own (no boilerplate), in either
    language, and no line-number citation or internal code."""
    for lang in ("zh", "en"):
        for paragraph in findings(evaluation, lang):
            for sentence in paragraph.sentences:
                assert re.search(r"\d", sentence.text), sentence.text
                assert not re.search(r"第\s*\d+\s*[–-]?\s*\d*\s*行|\blines?\s+\d",
                                     sentence.text)
                assert not any(code in sentence.text for code in INDICATORS)


def _evaluation(scores_by_code: dict[str, float | None], **kwargs: Any) -> Evaluation:
    return Evaluation(FRAMEWORK, _results({c: scores_by_code.get(c) for c in INDICATORS}),
                      **kwargs)


def test_a_paragraph_for_the_whole_then_one_per_dimension() -> None:
    evaluation = _evaluation({"lean.on_time_delivery_rate": 100.0,
                              "lean.quality_pass_rate": 20.0})
    paragraphs = findings(evaluation, "en")
    assert [p.scope for p in paragraphs] == ["overall", *DIMENSIONS]
    lean = paragraphs[1 + DIMENSIONS.index("lean")]
    assert "On-time delivery rate at 100.0, the top level" in lean.text
    assert "The one clear weak point is" in lean.text and "20.0" in lean.text
    # A dimension without a single score says so, citing its coverage.
    talent = paragraphs[1 + DIMENSIONS.index("talent")]
    assert talent.sentences[0].cites == ("coverage:talent",)


@pytest.mark.parametrize(("median", "words"), [
    (30.0, "a clear lead"), (58.0, "a modest lead"), (60.5, "level with"),
    (64.0, "a narrow gap"), (90.0, "a wide gap")])
def test_the_cohort_sentence_follows_the_size_of_the_gap(median, words) -> None:
    evaluation = _evaluation({"lean.on_time_delivery_rate": 60.0},
                             medians={"lean": median}, percentiles={"lean": 42.0})
    lean = findings(evaluation, "en")[1 + DIMENSIONS.index("lean")]
    assert words in lean.text
    assert "in the lower half of the cohort (percentile P42)" in lean.text


@pytest.mark.parametrize(("before", "words_en", "words_zh"), [
    (40.0, "rose sharply by 20.0 points", "大幅提升 20.0 分"),
    (58.0, "rose slightly by 2.0 points", "小幅提升 2.0 分"),
    (59.8, "barely moved", "基本未变"),
    (75.0, "fell markedly by 15.0 points", "明显下降 15.0 分")])
def test_the_year_on_year_sentence_follows_the_direction_of_change(before, words_en,
                                                                    words_zh) -> None:
    previous = _results({c: (before if c == "lean.on_time_delivery_rate" else None)
                         for c in INDICATORS})
    evaluation = _evaluation({"lean.on_time_delivery_rate": 60.0}, previous=previous,
                             previous_year=2024)
    assert words_en in findings(evaluation, "en")[1 + DIMENSIONS.index("lean")].text
    zh = findings(evaluation, "zh")[1 + DIMENSIONS.index("lean")].text
    assert words_zh in zh and "2024" in zh


def test_the_overall_paragraph_names_the_leading_and_trailing_dimensions() -> None:
    evaluation = _evaluation({"lean.on_time_delivery_rate": 95.0,
                              "digital.strategy": 10.0,
                              "collaboration.organization": 50.0})
    overall = findings(evaluation, "zh")[0].text
    names = {d.code: d.name_zh for d in FRAMEWORK.dimensions}
    assert names["lean"] in overall
    assert "发展很不均衡" in overall
    balanced = findings(_evaluation({"lean.on_time_delivery_rate": 55.0,
                                     "collaboration.organization": 50.0}), "zh")[0].text
    assert "整体较为均衡" in balanced
