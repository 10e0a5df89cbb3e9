"""The demo enterprises' invented answers: the same seed gives the same figures, and the
figures hold the framework's own rules (sub-counts within totals, shares within 0-100)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.demo_figures import (
    ENERGY_INTENSITY,
    SIZE_MATURITY,
    demo_answers,
    maturity,
)
from indicators import evaluate
from indicators.framework.loader import shipped_framework

DIVISIONS = sorted(ENERGY_INTENSITY)
SIZES = sorted(SIZE_MATURITY)


def _answers(seed: str = "demo-1", division: str = "C36", size: str = "medium",
             export: bool = True, step: int = 0):
    return demo_answers(seed, division, size, 600, 20000.0, export, step)


def test_the_same_seed_gives_the_same_figures() -> None:
    assert _answers() == _answers()
    assert _answers("demo-1") != _answers("demo-2")
    assert _answers(step=0) != _answers(step=1)


def test_an_enterprise_without_exports_declares_the_footprint_not_applicable() -> None:
    inland = _answers(export=False)
    assert "global.footprint" in inland.not_applicable
    assert "overseas_procurement_share" not in inland.values
    assert "global.footprint" not in _answers(export=True).not_applicable


def test_unknown_answers_are_left_out_of_the_values() -> None:
    for n in range(40):
        answers = _answers(f"seed-{n}")
        assert not set(answers.unknown) & set(answers.values)


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=1, max_size=12), st.sampled_from(DIVISIONS), st.sampled_from(SIZES),
       st.booleans(), st.integers(min_value=0, max_value=3))
def test_every_demo_document_is_valid_for_the_engine(seed, division, size, export, step):
    answers = demo_answers(seed, division, size, 600, 20000.0, export, step)
    values = answers.values
    for sub, total in (("deliveries_on_time", "deliveries_total"),
                       ("units_qualified", "units_output"),
                       ("orders_online", "orders_total"),
                       ("partners_online_active", "partners_total")):
        assert 0 <= values[sub] <= values[total], (sub, values[sub], values[total])
    assert 0.05 <= maturity(random.Random(seed), division, size, step) <= 0.95
    framework = shipped_framework("scm-2024")
    inputs = {k: v for k, v in values.items() if k not in ("energy", "process_emissions")}
    document = {"framework": framework.id, "year": 2024 + step, "inputs": inputs,
                "energy": values["energy"], "process_emissions": values["process_emissions"],
                "not_applicable": sorted(answers.not_applicable), "industry": division}
    evaluation = evaluate(document)  # raises InvalidInput naming every problem
    assert len(evaluation.indicators) == len(framework.indicators)
    assert 0 <= evaluation.overall.score <= 100
