"""Validation of the `evaluate` input document.

Collects every problem (never only the first), each naming its key, and returns the
cleaned inputs: whole numbers as int, amounts as Decimal (exact money arithmetic), percents
as float, levels as int. JSON ``null`` for an input means "not given". Booleans are never
numbers, even though Python treats them as such.

The energy part (``energy``, ``process_emissions``, ``options``, ``previous_year``) is checked
by the energy package; this module only makes sure those keys have the right shape.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from indicators.framework.model import Framework
from indicators.problems import MAX_NUMBER, Problem, shown, too_large

TOP_LEVEL_KEYS = (
    "framework", "inputs", "energy", "process_emissions", "not_applicable", "year", "options",
    "previous_year", "industry", "province",
    # Who produced the document and how far it was reviewed (an application's export says
    # "self-assessment" or who reviewed it); an object, never read by the evaluation.
    "metadata",
)
YEAR_RANGE = (1990, 2100)
# No part of a valid document nests deeper than this (inputs.resource_sharing is at depth 3,
# previous_year.energy[i] at 4); deeper structures are refused before anything walks them.
MAX_DEPTH = 16


def problem(key: str, code: str, zh: str, en: str, **params: Any) -> Problem:
    return Problem(key=key, code=code, message_zh=zh, message_en=en, params=params)


def depth_problem(document: Any) -> Problem | None:
    """A problem naming the first key nested deeper than MAX_DEPTH, else None (iterative:
    no recursion, whatever the depth). Runs on every document, so the common case only
    counts levels; the key is worked out once something is too deep."""
    if type(document) is not dict and type(document) is not list:
        return None
    stack: list[tuple[Any, int]] = [(document, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        if depth >= MAX_DEPTH:
            return _too_deep(document)
        for value in (node.values() if type(node) is dict else node):
            kind = type(value)
            if kind is dict or kind is list:
                push((value, depth + 1))
    return None


def _too_deep(document: Any) -> Problem:
    stack: list[tuple[Any, str, int]] = [(document, "", 0)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            break
        items = node.items() if type(node) is dict else enumerate(node)
        for key, value in items:
            if type(value) is dict or type(value) is list:
                child = (f"{path}.{key}" if path else str(key)) if type(node) is dict \
                    else f"{path}[{key}]"
                stack.append((value, child, depth + 1))
    return problem(path or "(document)", "too_deep", f"嵌套层级过深（最多 {MAX_DEPTH} 层）",
                   f"nested too deeply (at most {MAX_DEPTH} levels)")


def _lower_first(name: str) -> str:
    """'Deliveries in total' -> 'deliveries in total' inside a sentence; 'IT investment' stays."""
    if len(name) > 1 and name[0].isupper() and not name[1].isupper():
        return name[0].lower() + name[1:]
    return name


def _number_problem(key: str, value: Any) -> Problem | None:
    """None when value is a finite JSON number (never a boolean) small enough to compute."""
    kind = type(value)
    if (kind is int or kind is float) and -MAX_NUMBER <= value <= MAX_NUMBER:
        return None  # the common case, in two comparisons (NaN fails them and goes on)
    if kind is int or kind is float:
        if kind is float and not math.isfinite(value):
            return problem(key, "not_finite", "必须是有限数值", "must be a finite number")
        if too_large(value):
            return problem(key, "too_large",
                           f"数值过大，无法计算（绝对值不能超过 {MAX_NUMBER:.0e}）",
                           f"is too large to compute with (at most {MAX_NUMBER:.0e} in magnitude)")
        return None
    return problem(
        key, "not_a_number", "必须是数值（不能是布尔值或文本）",
        "must be a number (not a boolean or text)", value=shown(value),
    )


class DocumentChecker:
    """Per-framework checker, built once per framework and reused for every document."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.types: dict[str, str] = {name: spec.type for name, spec in framework.inputs.items()}
        self.allowed: dict[str, frozenset[str]] = {
            name: frozenset(spec.allowed) for name, spec in framework.inputs.items()
        }
        # Sub-count rules: (sub, total) pairs, e.g. deliveries_on_time <= deliveries_total.
        self.limits: tuple[tuple[str, str], ...] = tuple(
            (name, spec.max_input) for name, spec in framework.inputs.items() if spec.max_input
        )
        # Users read the inputs' names, not their keys: (zh, en) message stems per rule.
        self.limit_texts: dict[str, tuple[str, str]] = {}
        for sub, total in self.limits:
            sub_spec, total_spec = framework.inputs[sub], framework.inputs[total]
            self.limit_texts[sub] = (
                f"{sub_spec.name_zh}不能大于{total_spec.name_zh}",
                f"{sub_spec.name_en} may not exceed {_lower_first(total_spec.name_en)}",
            )
        self.codes = frozenset(framework.indicators)
        for code, ind in framework.indicators.items():
            if ind.qualitative:
                self.types[code] = "level"

    def check(self, document: Any) -> tuple[list[Problem], dict[str, Any]]:
        problems: list[Problem] = []
        clean: dict[str, Any] = {}
        if not isinstance(document, dict):
            problems.append(
                problem("(document)", "not_an_object", "输入文档必须是 JSON 对象",
                        "the input document must be a JSON object")
            )
            return problems, clean
        for key in document:
            if key not in TOP_LEVEL_KEYS:
                problems.append(
                    problem(str(key)[:80], "unknown_key", "未知的顶层键", "unknown top-level key")
                )
        if "framework" in document and not isinstance(document["framework"], str):
            problems.append(
                problem("framework", "not_text", "必须是框架标识（文本）",
                        "must be a framework id (text)")
            )
        inputs = document.get("inputs", {})
        if not isinstance(inputs, dict):
            problems.append(
                problem("inputs", "not_an_object", "必须是对象", "must be an object")
            )
            inputs = {}
        types = self.types
        for name, value in inputs.items():
            kind = types.get(name)
            if kind is None:
                problems.append(
                    problem(f"inputs.{str(name)[:80]}", "unknown_input", "未知的输入项",
                            "unknown input")
                )
                continue
            if value is None:
                continue
            # Fast paths for the common well-formed cases; everything else (and every
            # problem) goes through _convert.
            value_type = type(value)
            if value_type is int and 0 <= value <= MAX_NUMBER and kind == "int":
                clean[name] = value
                continue
            if kind == "decimal" and (value_type is int or value_type is float) \
                    and 0 <= value <= MAX_NUMBER:
                clean[name] = Decimal(value) if value_type is int else Decimal(repr(value))
                continue
            converted = self._convert(f"inputs.{name}", kind, name, value, problems)
            if converted is not None:
                clean[name] = converted
        for sub, total in self.limits:
            if sub in clean and total in clean and clean[sub] > clean[total]:
                zh, en = self.limit_texts[sub]
                problems.append(
                    problem(
                        f"inputs.{sub}", "exceeds_total",
                        f"{zh}（{clean[sub]} > {clean[total]}）",
                        f"{en} ({clean[sub]} > {clean[total]})",
                        total=total,
                    )
                )
        self._check_not_applicable(document.get("not_applicable"), problems)
        self._check_year(document, problems)
        for key in ("energy", "process_emissions"):
            if key in document and document[key] is not None and not isinstance(
                document[key], list
            ):
                problems.append(problem(key, "not_a_list", "必须是列表", "must be a list"))
        for key in ("options", "previous_year", "metadata"):
            if key in document and document[key] is not None and not isinstance(
                document[key], dict
            ):
                problems.append(problem(key, "not_an_object", "必须是对象", "must be an object"))
        return problems, clean

    def _convert(
        self, key: str, kind: str, name: str, value: Any, problems: list[Problem]
    ) -> Any:
        if kind in ("int", "decimal", "percent", "level"):
            bad = _number_problem(key, value)
            if bad is not None:
                problems.append(bad)
                return None
            if kind == "level":
                if value != int(value) or not 1 <= value <= 5:
                    problems.append(
                        problem(key, "level_out_of_range", "等级必须是 1-5 的整数",
                                "a level must be a whole number from 1 to 5", value=value)
                    )
                    return None
                return int(value)
            if value < 0:
                problems.append(
                    problem(key, "negative", "不能为负数", "may not be negative", value=value)
                )
                return None
            if kind == "int":
                if type(value) is float:
                    if not value.is_integer():
                        problems.append(
                            problem(key, "not_whole", "必须是整数", "must be a whole number")
                        )
                        return None
                    return int(value)
                return value
            if kind == "percent":
                if value > 100:
                    problems.append(
                        problem(key, "percent_out_of_range", "百分比必须在 0-100 之间",
                                "a percent must lie within 0-100", value=value)
                    )
                    return None
                return float(value)
            return Decimal(value) if type(value) is int else Decimal(repr(value))
        if kind == "list":
            return self._convert_list(key, name, value, problems)
        return self._convert_map(key, name, value, problems)

    def _convert_list(
        self, key: str, name: str, value: Any, problems: list[Problem]
    ) -> tuple[str, ...] | None:
        if not isinstance(value, list):
            problems.append(problem(key, "not_a_list", "必须是列表", "must be a list"))
            return None
        allowed = self.allowed[name]
        ok = True
        seen: set[str] = set()
        for index, item in enumerate(value):
            item_key = f"{key}[{index}]"
            if not isinstance(item, str) or item not in allowed:
                ok = False
                problems.append(
                    problem(item_key, "unknown_value",
                            f"未知取值，可选：{', '.join(sorted(allowed))}",
                            f"unknown value; allowed: {', '.join(sorted(allowed))}",
                            value=shown(item))
                )
            elif item in seen:
                ok = False
                problems.append(problem(item_key, "duplicate", "重复的取值", "repeated value"))
            else:
                seen.add(item)
        return tuple(value) if ok else None

    def _convert_map(
        self, key: str, name: str, value: Any, problems: list[Problem]
    ) -> dict[str, float | None] | None:
        if not isinstance(value, dict):
            problems.append(problem(key, "not_an_object", "必须是对象", "must be an object"))
            return None
        allowed = self.allowed[name]
        result: dict[str, float | None] = {}
        ok = True
        for sub, share in value.items():
            sub_key = f"{key}.{sub}"
            if sub not in allowed:
                ok = False
                problems.append(
                    problem(sub_key, "unknown_value",
                            f"未知类型，可选：{', '.join(sorted(allowed))}",
                            f"unknown type; allowed: {', '.join(sorted(allowed))}")
                )
                continue
            if share is None:
                result[sub] = None
                continue
            bad = _number_problem(sub_key, share)
            if bad is None and not 0 <= share <= 100:
                bad = problem(sub_key, "percent_out_of_range", "百分比必须在 0-100 之间",
                              "a percent must lie within 0-100", value=share)
            if bad is not None:
                ok = False
                problems.append(bad)
            else:
                result[sub] = float(share)
        return result if ok else None

    def _check_not_applicable(self, value: Any, problems: list[Problem]) -> None:
        if value is None:
            return
        if not isinstance(value, list):
            problems.append(
                problem("not_applicable", "not_a_list", "必须是指标代码列表",
                        "must be a list of indicator codes")
            )
            return
        for index, code in enumerate(value):
            if not isinstance(code, str) or code not in self.codes:
                problems.append(
                    problem(f"not_applicable[{index}]", "unknown_indicator", "未知的指标代码",
                            "unknown indicator code", value=shown(code))
                )

    @staticmethod
    def _check_year(document: dict[str, Any], problems: list[Problem]) -> None:
        if document.get("year") is None:
            return
        year = document["year"]
        if type(year) is not int or not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            problems.append(
                problem("year", "not_a_year",
                        f"必须是 {YEAR_RANGE[0]}-{YEAR_RANGE[1]} 的年份（整数）",
                        f"must be a year from {YEAR_RANGE[0]} to {YEAR_RANGE[1]} (a whole number)")
            )


def check_cohorts(
    framework: Framework, cohorts: Any
) -> tuple[list[Problem], dict[str, tuple[float, ...]]]:
    """Cohorts for relative scoring: indicator code -> peer values (finite numbers)."""
    problems: list[Problem] = []
    clean: dict[str, tuple[float, ...]] = {}
    if cohorts is None:
        return problems, clean
    if not isinstance(cohorts, dict):
        return [problem("cohorts", "not_an_object", "必须是对象", "must be an object")], clean
    indicators = framework.indicators
    for code, values in cohorts.items():
        key = f"cohorts.{code}"
        ind = indicators.get(code)
        if ind is None:
            problems.append(
                problem(key, "unknown_indicator", "未知的指标代码", "unknown indicator code")
            )
            continue
        if ind.qualitative:
            problems.append(
                problem(key, "not_relative", "定性指标按等级评分，不能使用队列",
                        "a qualitative indicator is scored by its level, not a cohort")
            )
            continue
        if not isinstance(values, list | tuple):
            problems.append(
                problem(key, "not_a_list", "必须是数值列表", "must be a list of numbers")
            )
            continue
        ok = True
        for index, value in enumerate(values):
            bad = _number_problem(f"{key}[{index}]", value)
            if bad is not None:
                ok = False
                problems.append(bad)
        if ok:
            clean[code] = tuple(float(v) for v in values)
    return problems, clean
