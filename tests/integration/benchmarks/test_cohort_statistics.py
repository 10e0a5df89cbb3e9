"""Cohort statistics: the anonymity threshold, the fallback chain, which figures count."""

from __future__ import annotations

from typing import Any

import pytest

from assessment.benchmarks.cohorts import Scope
from assessment.benchmarks.pools import PlatformPool
from assessment.benchmarks.services import cohort_statistics

SCORES = [40.0, 55.0, 60.0, 70.0, 90.0, 35.0]


def _stats(in_app: Any, **kwargs: Any) -> Any:
    arguments = {"year": 2025, "industry": "C36", **kwargs}
    return in_app(lambda: cohort_statistics(PlatformPool(), **arguments))


def _keys(found: Any) -> set[str]:
    """Every key of a nested dict, at any depth."""
    keys: set[str] = set()
    if isinstance(found, dict):
        for key, value in found.items():
            keys.add(key)
            keys |= _keys(value)
    return keys


def test_a_cohort_of_four_shows_no_statistics(peer: Any, in_app: Any) -> None:
    for score in SCORES[:4]:
        peer({"overall": score, "lean": score})
    result = _stats(in_app)
    assert not result.shown
    assert result.statistics == {} and result.enterprises is None
    assert "5" in result.label("en")  # the label says why nothing is shown


def test_a_cohort_of_five_shows_them(peer: Any, in_app: Any) -> None:
    for score in SCORES[:5]:
        peer({"overall": score, "lean": score})
    result = _stats(in_app)
    assert result.shown and result.cohort.scope == Scope.division
    assert result.enterprises == 5
    overall = result.statistics["overall"].score
    assert overall.n == 5
    assert overall.median == 60.0 and overall.q1 == 55.0 and overall.q3 == 70.0
    assert overall.mean == pytest.approx(63.0)
    assert "Manufacture of motor vehicles" in result.label("en")  # the name, not C36
    assert "broader" not in result.label("en")


def test_a_code_with_fewer_than_five_scores_is_suppressed(peer: Any, in_app: Any) -> None:
    for i, score in enumerate(SCORES[:5]):
        peer({"overall": score, "lean.on_time_delivery_rate": score if i else None})
    result = _stats(in_app)
    assert result.statistics["overall"].score is not None
    delivery = result.statistics["lean.on_time_delivery_rate"]
    assert delivery.suppressed and delivery.score is None and delivery.value is None
    assert delivery.as_dict()["score"] is None


def test_minimum_and_maximum_are_never_in_the_output(peer: Any, in_app: Any) -> None:
    for score in SCORES:
        peer({"overall": score, "lean.on_time_delivery_rate": score},
             values={"lean.on_time_delivery_rate": score + 1})
    published = _stats(in_app).as_dict("en")
    keys = _keys(published)
    assert not keys & {"min", "max", "minimum", "maximum", "tenant_id", "name"}
    value = published["statistics"]["lean.on_time_delivery_rate"]["value"]
    assert value["median"] == pytest.approx(58.5)  # the value's own distribution


def test_too_small_a_division_falls_back_to_its_group_and_says_so(peer: Any,
                                                                   in_app: Any) -> None:
    for score in SCORES[:3]:
        peer({"overall": score})
    for score in SCORES[3:5]:
        peer({"overall": score}, division="C37")  # C37 is in C36's group (equipment)
    peer({"overall": 99.0}, division="C13")  # another group: not in the cohort
    result = _stats(in_app)
    assert result.cohort.scope == Scope.group and result.cohort.fell_back
    assert result.enterprises == 5
    assert result.statistics["overall"].score.n == 5
    label = result.label("en")
    assert "broader" in label and "motor vehicles" not in label


def test_then_to_all_manufacturing(peer: Any, in_app: Any) -> None:
    for score, division in zip(SCORES[:5], ["C36", "C13", "C25", "C39", "C31"], strict=True):
        peer({"overall": score}, division=division)
    result = _stats(in_app)
    assert result.cohort.scope == Scope.manufacturing and result.enterprises == 5


def test_size_and_province_narrow_the_cohort(peer: Any, in_app: Any) -> None:
    for score in SCORES[:5]:
        peer({"overall": score}, size_class="large", province="44")
    peer({"overall": 1.0}, size_class="small", province="44")
    assert _stats(in_app, size_class="large").enterprises == 5
    assert _stats(in_app, province="44").enterprises == 6
    assert not _stats(in_app, size_class="small").shown
    assert not _stats(in_app, province="32").shown


def test_only_opted_in_enterprises_form_the_platform_pool(peer: Any, in_app: Any) -> None:
    for score in SCORES[:4]:
        peer({"overall": score})
    peer({"overall": 50.0}, opt_in=False)
    assert not _stats(in_app).shown
    peer({"overall": 51.0})
    assert _stats(in_app).enterprises == 5


def test_only_current_figures_of_the_year_count(peer: Any, figures: Any,
                                                in_app: Any) -> None:
    tenants = [peer({"overall": score}) for score in SCORES[:5]]
    # a superseded revision and another year do not count
    figures(tenants[0].id, 2025, {"lean": 1.0}, current=False)
    figures(tenants[1].id, 2024, {"overall": 1.0})
    result = _stats(in_app)
    assert "lean" not in result.statistics
    assert result.statistics["overall"].score.n == 5
    assert not _stats(in_app, year=2024).shown


def test_an_unknown_industry_is_refused_naming_the_field(in_app: Any) -> None:
    from indicators import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        _stats(in_app, industry="C99")
    assert refused.value.problems[0].key == "industry"
