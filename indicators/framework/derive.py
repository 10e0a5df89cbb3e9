"""Derived frameworks: a base framework (id + version) with overrides and additions.

A derived file looks like::

    id: scm-2024-c36
    version: "1.0.0"
    name_zh: ...
    name_en: ...
    base: {id: scm-2024, version: "1.0.0"}
    dimension_weights: {global: 5}
    level_scores: {...}            # optional, replaces the base table
    level_from_score: {...}        # optional
    indicators:                    # overrides keyed by indicator code
      lean.inventory_turnover: {weight: 2, bands: [[0, 0], [8, 100]], rationale: ...}
      global.footprint: {applicable: false}
    add_inputs: {name: {type: ..., name_zh: ..., name_en: ...}}
    add_indicators:
      - {dimension: lean, code: lean.x, ...a full indicator...}

The merge happens on plain data; the result is then validated exactly like a base file.
"""

from __future__ import annotations

import copy
from typing import Any

OVERRIDABLE = frozenset(
    {
        "weight", "bands", "rationale", "applicable", "level_descriptors", "target",
        "relative", "penalty", "decimals", "direction", "measures", "industry_bands",
        "undisclosed_as_zero", "companion",
    }
)
DERIVED_KEYS = frozenset(
    {
        "id", "version", "name_zh", "name_en", "base", "dimension_weights", "level_scores",
        "level_from_score", "relative", "indicators", "add_inputs", "add_indicators", "source",
    }
)


def is_derived(data: Any) -> bool:
    return isinstance(data, dict) and "base" in data


def base_reference(data: dict[str, Any]) -> tuple[str, str] | None:
    base = data.get("base")
    if isinstance(base, dict) and isinstance(base.get("id"), str) and isinstance(
        base.get("version"), str
    ):
        return base["id"], base["version"]
    return None


def merge_derived(
    base: dict[str, Any], derived: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The merged framework data and the faults of the derived file's own structure."""
    errors: list[str] = []
    merged = copy.deepcopy(base)  # once per load, never per evaluation
    unknown = set(derived) - DERIVED_KEYS
    if unknown:
        errors.append(f"(root): unknown keys {sorted(unknown)}")
    for key in ("id", "version", "name_zh", "name_en", "level_scores", "level_from_score",
                "relative", "source"):
        if key in derived:
            merged[key] = copy.deepcopy(derived[key])
    merged["base"] = copy.deepcopy(derived.get("base"))
    dims = {d.get("code"): d for d in merged.get("dimensions", []) if isinstance(d, dict)}
    indicators = {
        i.get("code"): i
        for d in dims.values()
        for i in d.get("indicators", [])
        if isinstance(i, dict)
    }
    weights = derived.get("dimension_weights", {})
    if not isinstance(weights, dict):
        errors.append("dimension_weights: must be a mapping of dimension code to weight")
        weights = {}
    for code, weight in weights.items():
        if code not in dims:
            errors.append(f"dimension_weights.{code}: unknown dimension")
        else:
            dims[code]["weight"] = weight
    overrides = derived.get("indicators", {})
    if not isinstance(overrides, dict):
        errors.append("indicators: must be a mapping of indicator code to overrides")
        overrides = {}
    for code, change in overrides.items():
        if code not in indicators:
            errors.append(f"indicators.{code}: unknown indicator")
            continue
        if not isinstance(change, dict):
            errors.append(f"indicators.{code}: must be a mapping")
            continue
        for key in sorted(set(change) - OVERRIDABLE):
            errors.append(f"indicators.{code}.{key}: cannot be overridden")
        for key in set(change) & OVERRIDABLE:
            indicators[code][key] = copy.deepcopy(change[key])
    added_inputs = derived.get("add_inputs", {})
    if not isinstance(added_inputs, dict):
        errors.append("add_inputs: must be a mapping")
    else:
        for name, spec in added_inputs.items():
            if name in merged.get("inputs", {}):
                errors.append(f"add_inputs.{name}: already defined by the base")
            merged.setdefault("inputs", {})[name] = copy.deepcopy(spec)
    added = derived.get("add_indicators", [])
    if not isinstance(added, list):
        errors.append("add_indicators: must be a list")
        added = []
    for index, entry in enumerate(added):
        if not isinstance(entry, dict) or entry.get("dimension") not in dims:
            errors.append(f"add_indicators[{index}].dimension: unknown dimension")
            continue
        entry = copy.deepcopy(entry)
        dims[entry.pop("dimension")].setdefault("indicators", []).append(entry)
    return merged, errors
