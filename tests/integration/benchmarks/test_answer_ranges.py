"""The typical range of the industry's answers that the questionnaire shows beside a field:
the interquartile range of the other opted-in enterprises of the same division with a
finalised assessment of the year (else the previous year), from 5 enterprises on, never the
enterprise's own answer."""

from __future__ import annotations

from typing import Any

from assessment.assessments.models import AnswerState
from assessment.benchmarks.pools import PlatformPool
from assessment.benchmarks.services import AnswerRange, industry_answer_ranges

# sorted: positions (6 - 1) × 0.25 = 1.25 and × 0.75 = 3.75, so
# P25 = 12 + (15 - 12) × 0.25 = 12.75 and P75 = 18 + (30 - 18) × 0.75 = 27.0
SIX = [30, 10, 18, 12.0, 40, 15]
KEYS = ["partners_total", "operating_cost"]


def _ranges(in_app: Any, own: Any, *, year: int = 2025, industry: str = "C36",
            keys: list[str] | None = None) -> dict[str, AnswerRange]:
    return in_app(lambda: industry_answer_ranges(PlatformPool(), year, industry,
                                                 keys or KEYS, own.id))


def _cohort(peer: Any, values: list[Any], key: str = "partners_total", **kwargs: Any) -> None:
    for value in values:
        peer({"overall": 50.0}, answers={key: value}, **kwargs)


def test_the_interquartile_range_of_six_peers(peer: Any, in_app: Any) -> None:
    own = peer({"overall": 50.0}, answers={"partners_total": 1000})
    _cohort(peer, SIX)
    found = _ranges(in_app, own)
    assert found == {"partners_total": AnswerRange("partners_total", "C36", 2025, 12.75, 27.0, 6)}
    assert "operating_cost" not in found  # nobody answered it


def test_five_peers_are_enough_and_four_are_not(peer: Any, in_app: Any) -> None:
    own = peer({"overall": 50.0})
    _cohort(peer, [10, 20, 30, 40])
    assert _ranges(in_app, own) == {}
    _cohort(peer, [50])
    # positions 1 and 3 of five values: exactly the 2nd and the 4th
    assert _ranges(in_app, own)["partners_total"] == AnswerRange(
        "partners_total", "C36", 2025, 20.0, 40.0, 5)


def test_the_own_answer_never_counts(peer: Any, in_app: Any) -> None:
    own = peer({"overall": 50.0}, answers={"partners_total": 99})
    _cohort(peer, [10, 20, 30, 40])
    assert _ranges(in_app, own) == {}  # four others and the enterprise itself: not shown
    # seen from another enterprise, the same five are a cohort
    assert _ranges(in_app, peer({"overall": 50.0}))["partners_total"].enterprises == 5


def test_peers_outside_the_pool_or_the_division_do_not_count(peer: Any, in_app: Any) -> None:
    own = peer({"overall": 50.0})
    _cohort(peer, [10, 20, 30, 40])
    _cohort(peer, [1000, 2000], opt_in=False)
    _cohort(peer, [3000, 4000], division="C38")
    assert _ranges(in_app, own) == {}
    _cohort(peer, [50])
    assert _ranges(in_app, own)["partners_total"].q3 == 40.0
    # the other division has only its own two
    assert _ranges(in_app, own, industry="C38") == {}


def test_only_finalised_assessments_and_numbers_count(peer: Any, answers: Any,
                                                      in_app: Any) -> None:
    own = peer({"overall": 50.0})
    _cohort(peer, [10, 20, 30, 40])
    reopened = peer({"overall": 50.0})
    answers(reopened.id, 2025, {"partners_total": 50}, state="draft")
    _cohort(peer, [AnswerState.unknown, "50"])  # "we do not know", and a text
    assert _ranges(in_app, own) == {}


def test_the_previous_year_when_the_year_has_too_few(peer: Any, in_app: Any) -> None:
    own = peer({"overall": 50.0})
    _cohort(peer, [1, 2, 3])  # 2025
    _cohort(peer, [10, 20, 30, 40, 50], year=2024)
    _cohort(peer, [5, 6, 7, 8, 9], key="operating_cost", year=2025)
    _cohort(peer, [100, 200, 300, 400, 500], key="operating_cost", year=2024)
    found = _ranges(in_app, own)
    assert (found["partners_total"].year, found["partners_total"].q1) == (2024, 20.0)
    assert (found["operating_cost"].year, found["operating_cost"].q1) == (2025, 6.0)
    assert _ranges(in_app, own, year=2026).keys() == {"operating_cost"}  # 2025's, not 2024's


def test_no_industry_no_range(peer: Any, in_app: Any) -> None:
    own = peer({"overall": 50.0})
    _cohort(peer, [10, 20, 30, 40, 50])
    assert in_app(lambda: industry_answer_ranges(PlatformPool(), 2025, None, KEYS,
                                                 own.id)) == {}
