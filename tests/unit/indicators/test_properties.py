"""Property tests: monotone scores, total robustness, coverage, the trace adds up."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators import evaluate, load_framework
from indicators.cli import main
from indicators.evaluation.scoring import band_score

SCM = load_framework("scm-2024")
QUANTITATIVE = [i for i in SCM.indicators.values() if not i.qualitative]
FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@FAST
@given(st.sampled_from(QUANTITATIVE), finite, finite)
def test_scores_are_monotone_in_direction(ind, a, b):
    values = tuple(v for v, _ in ind.bands)
    low, high = sorted((a, b))
    s_low, s_high = band_score(ind.bands, values, low)[0], band_score(ind.bands, values, high)[0]
    if ind.direction == "higher":
        assert s_high >= s_low
    elif ind.direction == "lower":
        assert s_high <= s_low
    else:
        target = ind.target
        if high <= target:
            assert s_high >= s_low
        elif low >= target:
            assert s_high <= s_low
        assert band_score(ind.bands, values, target)[0] >= max(s_low, s_high)


@FAST
@given(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(1, 10**6))
def test_more_on_time_deliveries_never_score_lower(a, b, total):
    low, high = sorted((min(a, total), min(b, total)))
    score = [evaluate({"inputs": {"deliveries_on_time": n, "deliveries_total": total}})
             .indicators["lean.on_time_delivery_rate"].score for n in (low, high)]
    assert score[1] >= score[0]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**9, 10**9) | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
input_names = st.sampled_from(sorted(SCM.inputs) + sorted(SCM.indicators) + ["bogus"])
plausible_value = st.one_of(
    st.integers(-5, 2000), st.floats(-5, 2000, allow_nan=False), st.booleans(), st.none(),
    st.text(max_size=4), st.lists(st.sampled_from(["sales", "quality", "x"]), max_size=3),
    st.dictionaries(st.sampled_from(["warehousing", "testing", "gold"]),
                    st.none() | st.integers(-1, 120), max_size=3),
)
documents = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"inputs": st.dictionaries(input_names, plausible_value, max_size=12)},
        optional={
            "not_applicable": st.lists(st.sampled_from([*SCM.indicators, "x.y"]), max_size=3),
            "year": st.integers(1980, 2030) | st.text(max_size=3),
            "framework": st.just("scm-2024") | st.text(max_size=4),
            "energy": st.lists(st.fixed_dictionaries(
                {"carrier": st.sampled_from(["diesel", "electricity", "coal?"]),
                 "quantity": st.integers(-1, 100), "unit": st.sampled_from(["t", "kWh", "?"])}),
                max_size=2),
            "options": st.dictionaries(st.sampled_from(["gwp_set", "odd"]),
                                       st.sampled_from(["AR5", "AR6", "?"]), max_size=2),
        },
    ),
)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_any_json_document_evaluates_or_exits_2(doc):
    try:
        text = json.dumps(doc)
    except ValueError:
        return
    out, err = io.StringIO(), io.StringIO()
    code = main(["evaluate", "-"], stdin=io.StringIO(text), stdout=out, stderr=err)
    assert code in (0, 2), err.getvalue()
    if code == 0:
        assert err.getvalue() == ""
        assert set(json.loads(out.getvalue())) >= {"framework", "indicators", "dimensions",
                                                  "overall"}
    else:
        assert out.getvalue() == ""
        lines = err.getvalue().strip().splitlines()
        assert lines and all(": " in line for line in lines)


complete_inputs = st.fixed_dictionaries({
    "deliveries_total": st.integers(1, 1000), "units_output": st.integers(1, 1000),
    "operating_cost": st.integers(0, 1000), "period_expenses": st.integers(0, 100),
    "operating_revenue": st.integers(1, 2000), "outbound_amount": st.integers(0, 1000),
    "average_inventory": st.integers(1, 1000), "units_sold": st.integers(0, 1500),
    "units_produced": st.integers(1, 1500), "digital.strategy": st.integers(1, 5),
    "resilience.risk_warning": st.integers(1, 5), "overseas_rd_share": st.integers(0, 100),
    "scm_hires": st.integers(0, 30), "scm_internal_promotions": st.integers(0, 30),
})
subsets = st.lists(st.sampled_from(sorted(SCM.indicators)), max_size=8, unique=True)


@FAST
@given(complete_inputs, subsets)
def test_not_applicable_never_lowers_coverage(inputs, declared):
    """Declaring an indicator N/A never gives lower coverage than leaving it unanswered."""
    plain = evaluate({"inputs": inputs})
    na = evaluate({"inputs": inputs, "not_applicable": declared})
    for code, d in na.dimensions.items():
        before = plain.dimensions[code].coverage
        if d.coverage is not None and before is not None:
            unanswered = [c for c in declared if c.startswith(code + ".")
                          and plain.indicators[c].status != "ok"]
            if len(unanswered) == len([c for c in declared if c.startswith(code + ".")]):
                assert d.coverage >= before
    if all(plain.indicators[c].status != "ok" for c in declared) and na.overall.coverage:
        assert na.overall.coverage >= (plain.overall.coverage or 0)


@FAST
@given(complete_inputs, subsets)
def test_the_trace_adds_up(inputs, declared):
    result = evaluate({"inputs": inputs, "not_applicable": declared})
    trace = result.trace
    total = 0.0
    for dim in trace["dimensions"].values():
        parts = sum(i["contribution"] for i in dim["indicators"])
        if dim["score"] is None:
            assert parts == 0
            continue
        assert parts == pytest.approx(dim["score"], abs=0.05 + 1e-3)
        total += dim["contribution"]
    if trace["overall"]["score"] is not None:
        assert total == pytest.approx(trace["overall"]["score"], abs=0.05 + 1e-3)


@FAST
@given(st.sampled_from(QUANTITATIVE), finite, st.lists(finite, min_size=5, max_size=20))
def test_relative_scores_are_monotone_too(ind, value, cohort):
    from indicators.evaluation.relative import percentile_score

    better = value + 1 if ind.direction == "higher" else value - 1
    if ind.direction == "target":
        better = ind.target
    assert percentile_score(ind, better, tuple(cohort)) >= percentile_score(
        ind, value, tuple(cohort))
