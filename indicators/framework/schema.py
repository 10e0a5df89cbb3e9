"""Hand-written schema check for framework data files.

Returns every fault with the YAML path it sits at (``dimensions[1].indicators[0].bands``), so
that an author fixes a broken file in one pass. No third-party schema library: the rules
(monotone bands, inputs that must exist, sub-count rules) go beyond what JSON Schema says.
"""

from __future__ import annotations

import math
import re
from itertools import pairwise
from typing import Any

from indicators.framework.model import DIRECTIONS, FORMULA_KINDS, INPUT_TYPES, NUMERIC_TYPES

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
VERSION_PATTERN = re.compile(r"^\d+\.\d+(\.\d+)?([.-][0-9A-Za-z.-]+)?$")
MEASURE_RANGE = range(1, 28)  # the guide's 27 measures （一）…（二十七）
LEVELS = (1, 2, 3, 4, 5)
INDICATOR_KEYS = frozenset(
    {
        "code", "name_zh", "name_en", "explanation_zh", "explanation_en", "source_lines",
        "formula", "unit", "decimals", "direction", "target", "weight", "measures", "bands",
        "rationale", "level_descriptors", "relative", "details", "penalty", "applicable",
        "industry_bands", "undisclosed_as_zero", "companion",
    }
)


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def _text(errors: list[str], node: dict[str, Any], key: str, path: str) -> None:
    if not isinstance(node.get(key), str) or not node[key].strip():
        errors.append(f"{path}.{key}: required text is missing or empty")


def _line_pair(errors: list[str], value: Any, path: str) -> None:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value)
        or value[0] > value[1]
    ):
        errors.append(f"{path}: expected [first_line, last_line] with first <= last")


def validate_framework_data(data: Any) -> list[str]:
    """Every fault of a (fully merged) framework document, each with its YAML path."""
    errors: list[str] = []
    if not isinstance(data, dict):
        return ["(root): a framework file must be a mapping"]
    if not isinstance(data.get("id"), str) or not ID_PATTERN.match(data["id"]):
        errors.append("id: required, lower-case letters, digits, '.', '_' or '-'")
    if not isinstance(data.get("version"), str) or not VERSION_PATTERN.match(data["version"]):
        errors.append('version: required, a quoted version string such as "1.0.0"')
    for key in ("name_zh", "name_en"):
        _text(errors, data, key, "(root)")
    _check_levels(errors, data)
    relative = data.get("relative", {"min_cohort_size": 5})
    if not isinstance(relative, dict) or not (
        isinstance(relative.get("min_cohort_size"), int) and relative["min_cohort_size"] >= 1
    ):
        errors.append("relative.min_cohort_size: required whole number >= 1")
    inputs = data.get("inputs")
    if not isinstance(inputs, dict) or not inputs:
        errors.append("inputs: required mapping of input name to its definition")
        inputs = {}
    for name, spec in inputs.items():
        _check_input(errors, inputs, name, spec)
    dimensions = data.get("dimensions")
    if not isinstance(dimensions, list) or not dimensions:
        errors.append("dimensions: required non-empty list")
        return errors
    seen_dims: set[str] = set()
    seen_codes: set[str] = set()
    total_weight = 0.0
    for d_index, dim in enumerate(dimensions):
        path = f"dimensions[{d_index}]"
        if not isinstance(dim, dict):
            errors.append(f"{path}: must be a mapping")
            continue
        code = dim.get("code")
        if not isinstance(code, str) or not ID_PATTERN.match(code) or "." in code:
            errors.append(f"{path}.code: required, lower-case, without '.'")
            code = f"?{d_index}"
        elif code in seen_dims:
            errors.append(f"{path}.code: duplicate dimension code {code!r}")
        seen_dims.add(code)
        for key in ("name_zh", "name_en"):
            _text(errors, dim, key, path)
        if not _is_number(dim.get("weight")) or dim["weight"] < 0:
            errors.append(f"{path}.weight: required number >= 0")
        else:
            total_weight += dim["weight"]
        _line_pair(errors, dim.get("source_lines"), f"{path}.source_lines")
        indicators = dim.get("indicators")
        if not isinstance(indicators, list) or not indicators:
            errors.append(f"{path}.indicators: required non-empty list")
            continue
        for i_index, ind in enumerate(indicators):
            _check_indicator(
                errors, inputs, code, ind, f"{path}.indicators[{i_index}]", seen_codes
            )
    if total_weight <= 0:
        errors.append("dimensions: the dimension weights must add up to more than 0")
    return errors


def _check_levels(errors: list[str], data: dict[str, Any]) -> None:
    levels = data.get("levels")
    if not isinstance(levels, list) or [
        lv.get("level") if isinstance(lv, dict) else None for lv in levels
    ] != list(LEVELS):
        errors.append("levels: required list of the five levels 1..5 in order")
    else:
        for index, lv in enumerate(levels):
            for key in ("name_zh", "name_en"):
                _text(errors, lv, key, f"levels[{index}]")
    for key, low, high in (("level_from_score", 0, 100), ("level_scores", 0, 100)):
        table = data.get(key)
        if not isinstance(table, dict) or sorted(table) != list(LEVELS):
            errors.append(f"{key}: required mapping with the keys 1, 2, 3, 4, 5")
            continue
        values = [table[lv] for lv in LEVELS]
        if not all(_is_number(v) and low <= v <= high for v in values):
            errors.append(f"{key}: every value must be a number from {low} to {high}")
        elif any(b <= a for a, b in pairwise(values)):
            errors.append(f"{key}: values must rise strictly from level 1 to level 5")
        elif key == "level_from_score" and values[0] != 0:
            errors.append("level_from_score.1: level 1 must start at score 0")


def _check_input(errors: list[str], inputs: dict[str, Any], name: Any, spec: Any) -> None:
    path = f"inputs.{name}"
    if not isinstance(name, str) or not re.match(r"^[a-z][a-z0-9_]*$", name):
        errors.append(f"{path}: input names are lower_snake_case")
    if not isinstance(spec, dict):
        errors.append(f"{path}: must be a mapping")
        return
    kind = spec.get("type")
    if kind not in INPUT_TYPES - {"level"}:
        errors.append(f"{path}.type: must be one of int, decimal, percent, list, map")
    for key in ("name_zh", "name_en"):
        _text(errors, spec, key, path)
    if kind in ("list", "map"):
        allowed = spec.get("allowed")
        if (
            not isinstance(allowed, list)
            or not allowed
            or not all(isinstance(a, str) for a in allowed)
            or len(set(allowed)) != len(allowed)
        ):
            errors.append(f"{path}.allowed: required list of distinct strings")
    if "max_input" in spec:
        other = spec["max_input"]
        if other not in inputs or not isinstance(inputs.get(other), dict):
            errors.append(f"{path}.max_input: unknown input {other!r}")
        elif kind not in NUMERIC_TYPES or inputs[other].get("type") not in NUMERIC_TYPES:
            errors.append(f"{path}.max_input: both inputs must be numbers")
    unknown = set(spec) - {"type", "name_zh", "name_en", "unit", "allowed", "max_input"}
    if unknown:
        errors.append(f"{path}: unknown keys {sorted(unknown)}")


def _check_formula(
    errors: list[str], inputs: dict[str, Any], formula: Any, path: str
) -> None:
    if not isinstance(formula, dict) or formula.get("kind") not in FORMULA_KINDS:
        errors.append(f"{path}.kind: must be one of {sorted(FORMULA_KINDS)}")
        return
    kind = formula["kind"]

    def needs(names: Any, key: str, types: frozenset[str]) -> None:
        if not isinstance(names, list) or not names:
            errors.append(f"{path}.{key}: required non-empty list of input names")
            return
        for name in names:
            spec = inputs.get(name)
            if not isinstance(spec, dict):
                errors.append(f"{path}.{key}: unknown input {name!r}")
            elif spec.get("type") not in types:
                errors.append(f"{path}.{key}: input {name!r} must be of type {sorted(types)}")

    if kind == "ratio":
        needs(formula.get("numerator"), "numerator", NUMERIC_TYPES)
        needs(formula.get("denominator"), "denominator", NUMERIC_TYPES)
        if not _is_number(formula.get("scale")) or formula["scale"] <= 0:
            errors.append(f"{path}.scale: required number > 0 (100 for a percent)")
    elif kind in ("mean_of_given", "sum"):
        needs(formula.get("inputs"), "inputs", NUMERIC_TYPES)
    elif kind == "count_share":
        needs([formula.get("input")], "input", frozenset({"list"}))
    elif kind == "mean_owned":
        needs([formula.get("input")], "input", frozenset({"map"}))


def _check_bands(errors: list[str], ind: dict[str, Any], path: str) -> None:
    bands = ind.get("bands")
    if (
        not isinstance(bands, list)
        or len(bands) < 2
        or not all(
            isinstance(b, list) and len(b) == 2 and all(_is_number(x) for x in b) for b in bands
        )
    ):
        errors.append(f"{path}.bands: required list of at least two [value, score] pairs")
        return
    values = [b[0] for b in bands]
    scores = [b[1] for b in bands]
    if any(b <= a for a, b in pairwise(values)):
        errors.append(f"{path}.bands: values must rise strictly")
    if not all(0 <= s <= 100 for s in scores):
        errors.append(f"{path}.bands: scores must lie within 0-100")
    steps = [b - a for a, b in pairwise(scores)]
    direction = ind.get("direction")
    if direction == "higher" and any(s < 0 for s in steps):
        errors.append(f"{path}.bands: direction 'higher' needs scores that never fall")
    if direction == "lower" and any(s > 0 for s in steps):
        errors.append(f"{path}.bands: direction 'lower' needs scores that never rise")
    if direction == "target":
        target = ind.get("target")
        if not _is_number(target) or not values[0] <= target <= values[-1]:
            errors.append(f"{path}.target: required number within the band values")
            return
        for (v0, s0), (v1, s1) in pairwise(bands):
            if (v1 <= target and s1 < s0) or (v0 >= target and s1 > s0):
                errors.append(
                    f"{path}.bands: direction 'target' needs scores rising up to the target "
                    "and falling after it"
                )
                break


def _check_indicator(
    errors: list[str],
    inputs: dict[str, Any],
    dim_code: str,
    ind: Any,
    path: str,
    seen: set[str],
) -> None:
    if not isinstance(ind, dict):
        errors.append(f"{path}: must be a mapping")
        return
    code = ind.get("code")
    if not isinstance(code, str) or not code.startswith(dim_code + ".") or not ID_PATTERN.match(
        code
    ):
        errors.append(f"{path}.code: required, '{dim_code}.<name>'")
    elif code in seen:
        errors.append(f"{path}.code: duplicate indicator code {code!r}")
    elif code in inputs:
        errors.append(f"{path}.code: {code!r} is also an input name")
    seen.add(str(code))
    unknown = set(ind) - INDICATOR_KEYS
    if unknown:
        errors.append(f"{path}: unknown keys {sorted(unknown)}")
    for key in ("name_zh", "name_en", "explanation_zh", "explanation_en"):
        _text(errors, ind, key, path)
    _line_pair(errors, ind.get("source_lines"), f"{path}.source_lines")
    _check_formula(errors, inputs, ind.get("formula"), f"{path}.formula")
    if ind.get("direction") not in DIRECTIONS:
        errors.append(f"{path}.direction: must be higher, lower or target")
    if not _is_number(ind.get("weight")) or ind["weight"] <= 0:
        errors.append(f"{path}.weight: required number > 0 (switch off with applicable: false)")
    measures = ind.get("measures")
    if not isinstance(measures, list) or not all(
        isinstance(m, int) and not isinstance(m, bool) and m in MEASURE_RANGE for m in measures
    ):
        errors.append(f"{path}.measures: required list of the guide's measure numbers 1-27")
    if "applicable" in ind and not isinstance(ind["applicable"], bool):
        errors.append(f"{path}.applicable: must be true or false")
    if "relative" in ind and not isinstance(ind["relative"], bool):
        errors.append(f"{path}.relative: must be true or false")
    kind = ind.get("formula", {}).get("kind") if isinstance(ind.get("formula"), dict) else None
    if kind == "level":
        _check_descriptors(errors, ind.get("level_descriptors"), f"{path}.level_descriptors")
        if ind.get("direction") != "higher":
            errors.append(f"{path}.direction: a level indicator is always 'higher'")
        for key in ("bands", "penalty", "relative"):
            if key in ind:
                errors.append(f"{path}.{key}: not used by a level indicator")
        return
    if not isinstance(ind.get("unit"), str) or not ind["unit"]:
        errors.append(f"{path}.unit: required text")
    if "decimals" in ind and not (isinstance(ind["decimals"], int) and 0 <= ind["decimals"] <= 6):
        errors.append(f"{path}.decimals: whole number 0-6")
    _check_bands(errors, ind, path)
    _text(errors, ind, "rationale", path)
    for name, source in (ind.get("details") or {}).items():
        if source not in inputs:
            errors.append(f"{path}.details.{name}: unknown input {source!r}")
    penalty = ind.get("penalty")
    if penalty is not None and (
        not isinstance(penalty, dict)
        or inputs.get(str(penalty.get("input")), {}).get("type") != "int"
        or not _is_number(penalty.get("points_each"))
        or penalty["points_each"] < 0
        or not _is_number(penalty.get("max_points"))
        or penalty["max_points"] < 0
    ):
        errors.append(
            f"{path}.penalty: needs input (an int input), points_each >= 0, max_points >= 0"
        )
    _check_calibration(errors, inputs, ind, path, kind)


CALIBRATION_SERIES = frozenset({"energy", "carbon"})


def _check_calibration(
    errors: list[str], inputs: dict[str, Any], ind: dict[str, Any], path: str, kind: Any
) -> None:
    """The version-2 scoring keys: industry bands, undisclosed shares, a companion figure."""
    series = ind.get("industry_bands")
    if series is not None:
        if series not in CALIBRATION_SERIES:
            errors.append(f"{path}.industry_bands: one of {sorted(CALIBRATION_SERIES)}")
        if ind.get("direction") != "lower":
            errors.append(f"{path}.industry_bands: only for a 'lower' intensity indicator")
    if "undisclosed_as_zero" in ind:
        if not isinstance(ind["undisclosed_as_zero"], bool):
            errors.append(f"{path}.undisclosed_as_zero: must be true or false")
        elif ind["undisclosed_as_zero"] and (kind != "mean_of_given"
                                            or ind.get("direction") != "higher"):
            errors.append(
                f"{path}.undisclosed_as_zero: only for a 'higher' mean_of_given indicator"
            )
    companion = ind.get("companion")
    if companion is None:
        return
    where = f"{path}.companion"
    if not isinstance(companion, dict):
        errors.append(f"{where}: must be a mapping")
        return
    unknown = set(companion) - {"input", "share", "bands", "rationale"}
    if unknown:
        errors.append(f"{where}: unknown keys {sorted(unknown)}")
    if inputs.get(str(companion.get("input")), {}).get("type") not in NUMERIC_TYPES:
        errors.append(f"{where}.input: required, a numeric input")
    share = companion.get("share")
    if not _is_number(share) or not 0 < float(share) < 1:  # type: ignore[arg-type]
        errors.append(f"{where}.share: a number between 0 and 1 (exclusive)")
    _check_bands(errors, {"bands": companion.get("bands"), "direction": "higher"}, where)
    _text(errors, companion, "rationale", where)


def _check_descriptors(errors: list[str], descriptors: Any, path: str) -> None:
    if not isinstance(descriptors, dict) or sorted(descriptors) != list(LEVELS):
        errors.append(f"{path}: required for the five levels 1-5")
        return
    for level in LEVELS:
        entry = descriptors[level]
        if not isinstance(entry, dict):
            errors.append(f"{path}.{level}: needs zh and en text")
            continue
        for lang in ("zh", "en"):
            if not isinstance(entry.get(lang), str) or not entry[lang].strip():
                errors.append(f"{path}.{level}.{lang}: required text")
