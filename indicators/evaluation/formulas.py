"""The formula kinds, interpreted by code (no eval, no exec).

Each indicator's declarative formula is compiled once per framework into a plain closure
``compute(values) -> Outcome``. Amounts arrive as Decimal and are divided exactly; the
result is handed out at full precision as a float, the JSON number of the contract (pages
and reports round it to the indicator's decimals).

Kinds:
  level          the maturity level given under the indicator's own code
  ratio          (sum of numerator inputs) / (sum of denominator inputs) × scale
  count_share    count(list input) / number of allowed values × 100
  mean_owned     mean of a map's non-null values (null = the type is not owned)
  mean_of_given  mean of the inputs that are given (at least one)
  sum            sum of the inputs (all required)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, NamedTuple

from indicators.framework.model import Framework, Indicator


class Outcome(NamedTuple):
    status: str  # ok | missing | not_computable
    value: float | int | None
    reason: tuple[str, str] | None  # (zh, en)


Compute = Callable[[dict[str, Any]], Outcome]


def _missing(names: list[str] | tuple[str, ...]) -> Outcome:
    return _missing_outcome(tuple(names))


@functools.lru_cache(maxsize=1024)
def _missing_outcome(names: tuple[str, ...]) -> Outcome:
    # Outcomes are immutable: the same few combinations recur, so each is built once.
    joined = ", ".join(names)
    return Outcome("missing", None, (f"缺少输入：{joined}", f"inputs missing: {joined}"))


def _rounder(decimals: int) -> Callable[[Any], float]:
    """The value as the contract gives it: a float at full precision. ``decimals`` is the
    indicator's display precision, applied by pages and reports, not here."""

    def round_value(x: Any) -> float:
        return float(x)

    return round_value


def _as_decimal(x: Any) -> Decimal:
    if type(x) is Decimal:
        return x
    return Decimal(x) if type(x) is int else Decimal(repr(x))


def compile_indicator(framework: Framework, ind: Indicator) -> Compute:
    f = ind.formula
    round_value = _rounder(ind.decimals)
    code = ind.code

    if f.kind == "level":

        def level(values: dict[str, Any]) -> Outcome:
            given = values.get(code)
            if given is None:
                return _missing([code])
            return Outcome("ok", given, None)

        return level

    if f.kind == "ratio":
        numerator, denominator = f.numerator, f.denominator
        needed = numerator + denominator
        scale = Decimal(repr(f.scale)) if f.scale != int(f.scale) else Decimal(int(f.scale))
        den_text = " + ".join(denominator)
        zero_denominator = Outcome(
            "not_computable", None,
            (f"分母（{den_text}）为 0，无法计算", f"denominator ({den_text}) is 0"),
        )

        # Decided once from the input types: amounts (decimal) need exact arithmetic.
        exact = any(framework.inputs[n].type == "decimal" for n in needed)
        split = len(numerator)
        float_scale = f.scale

        if len(numerator) == 1 and len(denominator) == 1:
            # The common shape (a count or an amount over its total): no lists, no sums.
            top_name, bottom_name = numerator[0], denominator[0]
            missing_top = _missing_outcome((top_name,))
            missing_bottom = _missing_outcome((bottom_name,))
            missing_both = _missing_outcome((top_name, bottom_name))

            def simple_ratio(values: dict[str, Any]) -> Outcome:
                top = values.get(top_name)
                bottom = values.get(bottom_name)
                if top is None:
                    return missing_both if bottom is None else missing_top
                if bottom is None:
                    return missing_bottom
                if bottom == 0:
                    return zero_denominator
                if exact:
                    return Outcome("ok", round_value(
                        _as_decimal(top) / _as_decimal(bottom) * scale), None)
                return Outcome("ok", round_value(top / bottom * float_scale), None)

            return simple_ratio

        def ratio(values: dict[str, Any]) -> Outcome:
            got = [values.get(n) for n in needed]
            if None in got:
                return _missing([n for n, v in zip(needed, got, strict=True) if v is None])
            num = got[:split]
            den = got[split:]
            if exact:
                top = sum((_as_decimal(v) for v in num), Decimal(0))
                bottom = sum((_as_decimal(v) for v in den), Decimal(0))
                if bottom == 0:
                    return zero_denominator
                return Outcome("ok", round_value(top / bottom * scale), None)
            int_top: int = sum(v for v in num if v is not None)  # whole counts: float division
            int_bottom: int = sum(v for v in den if v is not None)
            if int_bottom == 0:
                return zero_denominator
            return Outcome("ok", round_value(int_top / int_bottom * float_scale), None)

        return ratio

    if f.kind == "count_share":
        name = str(f.input)
        size = len(framework.inputs[name].allowed)

        def count_share(values: dict[str, Any]) -> Outcome:
            given = values.get(name)
            if given is None:
                return _missing([name])
            return Outcome("ok", round_value(len(given) / size * 100), None)

        return count_share

    if f.kind == "mean_owned":
        name = str(f.input)

        def mean_owned(values: dict[str, Any]) -> Outcome:
            given = values.get(name)
            if given is None:
                return _missing([name])
            owned = [v for v in given.values() if v is not None]
            if not owned:
                return Outcome(
                    "not_computable", None,
                    ("未拥有任何一类要素资源（全部为 null），无法计算",
                     "owns none of the resource types (all null)"),
                )
            return Outcome("ok", round_value(sum(owned) / len(owned)), None)

        return mean_owned

    names = f.inputs
    if f.kind == "mean_of_given":

        def mean_of_given(values: dict[str, Any]) -> Outcome:
            got = [values[n] for n in names if values.get(n) is not None]
            if not got:
                return _missing(list(names))
            return Outcome("ok", round_value(sum(got) / len(got)), None)

        return mean_of_given

    def total(values: dict[str, Any]) -> Outcome:
        got = [values.get(n) for n in names]
        if None in got:
            return _missing([n for n, v in zip(names, got, strict=True) if v is None])
        return Outcome("ok", round_value(sum(got)), None)

    return total
