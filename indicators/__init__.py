"""ChainGauge indicators: the supply-chain indicator framework as data, and its evaluation.

Pure Python (no Flask, no database). Typical use::

    from indicators import evaluate, load_framework
    result = evaluate({"framework": "scm-2024", "inputs": {...}})
    result.to_contract()   # the `python -m indicators evaluate` output
    result.trace           # inputs → formula → value → band → score → weight → contribution
    result.what_if()       # gains from reaching the next level on the weakest indicators
"""

from indicators.evaluation.engine import evaluate, rescore
from indicators.evaluation.result import Evaluation, IndicatorResult
from indicators.framework.loader import list_frameworks, load_framework
from indicators.framework.model import Framework, Indicator
from indicators.problems import InvalidFramework, InvalidInput, Problem

__all__ = [
    "Evaluation",
    "Framework",
    "Indicator",
    "IndicatorResult",
    "InvalidFramework",
    "InvalidInput",
    "Problem",
    "evaluate",
    "list_frameworks",
    "load_framework",
    "rescore",
]
