"""ChainGauge indicators: the supply-chain indicator framework as data, and its evaluation.

Pure Python (no Flask, no database). Typical use::

    from indicators import evaluate, load_framework
    result = evaluate({"framework": "scm-2024", "inputs": {...}})
    result.to_contract()   # the `python -m indicators evaluate` output
    result.warnings        # figures that look like a unit slip (Notice: key, code, zh/en)
    result.factors         # every factor the energy and emissions figures used
    result.trace           # inputs → formula → value → band → score → weight → contribution
    result.what_if()       # gains from reaching the next level on the weakest indicators
"""

from indicators.evaluation.engine import evaluate, rescore
from indicators.evaluation.result import Evaluation, IndicatorResult
from indicators.framework.loader import list_frameworks, load_framework
from indicators.framework.model import Framework, Indicator
from indicators.problems import InvalidFramework, InvalidInput, Notice, Problem

__all__ = [
    "Evaluation",
    "Framework",
    "Indicator",
    "IndicatorResult",
    "InvalidFramework",
    "InvalidInput",
    "Notice",
    "Problem",
    "evaluate",
    "list_frameworks",
    "load_framework",
    "rescore",
]
