"""The finalisation hooks: each app calls its own callbacks, each once, in order."""

from __future__ import annotations

import uuid

from flask import Flask

from assessment import benchmarks
from assessment.assessments import hooks
from assessment.benchmarks import tasks
from assessment.profiles import hooks as profile_hooks

EVENT = hooks.Finalised(uuid.uuid4(), uuid.uuid4(), 2025, "C36")


def test_callbacks_run_once_each_in_order_and_only_in_their_app() -> None:
    seen: list[tuple[str, hooks.Finalised]] = []

    def first(event: hooks.Finalised) -> None:
        seen.append(("first", event))

    def second(event: hooks.Finalised) -> None:
        seen.append(("second", event))

    app, other = Flask("one"), Flask("other")
    hooks.on_finalised(app, first)
    hooks.on_finalised(app, second)
    hooks.on_finalised(app, first)  # an app initialised twice registers nothing more
    with app.app_context():
        hooks.finalised(EVENT)
    assert seen == [("first", EVENT), ("second", EVENT)]
    with other.app_context():
        hooks.finalised(EVENT)  # no callbacks there
    assert len(seen) == 2


def test_the_app_registers_the_benchmark_refresh() -> None:
    app = Flask("bare")
    benchmarks.init_app(app)
    benchmarks.init_app(app)  # twice: still once
    assert app.extensions[hooks._ON_FINALISED] == [tasks.mark_stale_on_finalised]
    assert app.extensions[profile_hooks._ON_OPT_IN_CHANGED] == [tasks.copy_opt_in_to_figures]
    assert app.extensions[hooks._INDUSTRY_COHORTS] is benchmarks.platform_industry_cohorts
