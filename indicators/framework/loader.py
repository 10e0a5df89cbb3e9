"""Loading frameworks: files, ids and versions, derived frameworks, the registry.

A framework is read with ``yaml.safe_load``, merged onto its base when it is derived,
validated, and turned into immutable objects. Loaded frameworks are cached per file: they
never change while the process runs.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from indicators.framework.derive import base_reference, is_derived, merge_derived
from indicators.framework.model import (
    Companion,
    Dimension,
    Formula,
    Framework,
    Indicator,
    InputSpec,
    Level,
    Penalty,
)
from indicators.framework.schema import validate_framework_data
from indicators.problems import InvalidFramework

FRAMEWORK_DIR = Path(__file__).resolve().parent.parent / "data" / "frameworks"
DEFAULT_FRAMEWORK = "scm-2024"


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidFramework(str(path), [f"(file): cannot be read: {exc.strerror}"]) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidFramework(str(path), [f"(yaml): not valid YAML: {exc}"]) from None


def _version_key(version: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in version.replace("-", ".").split("."))


def _catalogue(directory: Path) -> list[tuple[str, str, Path]]:
    """(id, version, path) of every framework file in a directory, re-read only when a file
    in it changes (resolving an id must not parse YAML on every evaluation)."""
    try:
        stamp = tuple((p.name, p.stat().st_mtime) for p in sorted(directory.glob("*.yaml")))
    except OSError:
        stamp = ()
    return list(_catalogue_cached(str(directory), stamp))


@functools.lru_cache(maxsize=64)
def _catalogue_cached(
    directory_name: str, stamp: tuple[tuple[str, float], ...]
) -> tuple[tuple[str, str, Path], ...]:
    directory = Path(directory_name)
    found = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue  # reported when that file itself is loaded; the registry stays usable
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            found.append((data["id"], str(data.get("version", "")), path))
    return tuple(found)


def find_framework_file(
    framework_id: str, version: str | None = None, directories: tuple[Path, ...] = ()
) -> Path | None:
    candidates: list[tuple[str, str, Path]] = []
    for directory in (*directories, FRAMEWORK_DIR):
        candidates += [c for c in _catalogue(directory) if c[0] == framework_id]
        if candidates:
            break
    if version is not None:
        candidates = [c for c in candidates if c[1] == version]
    if not candidates:
        return None
    return max(candidates, key=lambda c: _version_key(c[1]))[2]


def load_framework_data(path: Path, _chain: tuple[str, ...] = ()) -> dict[str, Any]:
    """The merged, validated data of a framework file (base or derived)."""
    data = _read_yaml(path)
    if not is_derived(data):
        errors = validate_framework_data(data)
        if errors:
            raise InvalidFramework(str(path), errors)
        return data
    ref = base_reference(data)
    if ref is None:
        raise InvalidFramework(str(path), ["base: required {id: ..., version: ...}"])
    if str(path) in _chain:
        raise InvalidFramework(str(path), ["base: derivation loops back to this file"])
    base_path = find_framework_file(ref[0], ref[1], (path.parent,))
    if base_path is None:
        raise InvalidFramework(
            str(path), [f"base: framework {ref[0]} version {ref[1]} not found"]
        )
    base = load_framework_data(base_path, (*_chain, str(path)))
    merged, errors = merge_derived(base, data)
    errors += validate_framework_data(merged)
    if errors:
        raise InvalidFramework(str(path), errors)
    return merged


def _companion(raw: dict[str, Any] | None) -> Companion | None:
    if not raw:
        return None
    return Companion(
        input=raw["input"],
        share=float(raw["share"]),
        bands=tuple((float(v), float(s)) for v, s in raw["bands"]),
        rationale=str(raw["rationale"]),
    )


def build_framework(data: dict[str, Any], path: str = "") -> Framework:
    """Immutable objects from validated data."""
    inputs = {
        name: InputSpec(
            name=name,
            type=spec["type"],
            name_zh=spec["name_zh"],
            name_en=spec["name_en"],
            unit=spec.get("unit", ""),
            max_input=spec.get("max_input"),
            allowed=tuple(spec.get("allowed", ())),
        )
        for name, spec in data["inputs"].items()
    }
    dimensions = []
    for dim in data["dimensions"]:
        indicators = []
        for ind in dim["indicators"]:
            f = ind["formula"]
            penalty = ind.get("penalty")
            indicators.append(
                Indicator(
                    code=ind["code"],
                    dimension=dim["code"],
                    name_zh=ind["name_zh"],
                    name_en=ind["name_en"],
                    explanation_zh=ind["explanation_zh"],
                    explanation_en=ind["explanation_en"],
                    source_lines=(ind["source_lines"][0], ind["source_lines"][1]),
                    formula=Formula(
                        kind=f["kind"],
                        numerator=tuple(f.get("numerator", ())),
                        denominator=tuple(f.get("denominator", ())),
                        scale=float(f.get("scale", 100)),
                        inputs=tuple(f.get("inputs", ())),
                        input=f.get("input"),
                    ),
                    direction=ind["direction"],
                    weight=float(ind["weight"]),
                    measures=tuple(ind["measures"]),
                    unit=ind.get("unit", "1-5"),
                    decimals=int(ind.get("decimals", 2)),
                    target=ind.get("target"),
                    bands=tuple((float(v), float(s)) for v, s in ind.get("bands", ())),
                    rationale=ind.get("rationale", ""),
                    level_descriptors={
                        int(k): dict(v) for k, v in (ind.get("level_descriptors") or {}).items()
                    },
                    relative=bool(ind.get("relative", False)),
                    details=tuple((ind.get("details") or {}).items()),
                    penalty=Penalty(
                        penalty["input"], float(penalty["points_each"]),
                        float(penalty["max_points"]),
                    )
                    if penalty
                    else None,
                    applicable=bool(ind.get("applicable", True)),
                    industry_bands=ind.get("industry_bands"),
                    undisclosed_as_zero=bool(ind.get("undisclosed_as_zero", False)),
                    companion=_companion(ind.get("companion")),
                )
            )
        dimensions.append(
            Dimension(
                code=dim["code"],
                name_zh=dim["name_zh"],
                name_en=dim["name_en"],
                weight=float(dim["weight"]),
                source_lines=(dim["source_lines"][0], dim["source_lines"][1]),
                indicators=tuple(indicators),
            )
        )
    lfs = data["level_from_score"]
    return Framework(
        id=data["id"],
        version=data["version"],
        name_zh=data["name_zh"],
        name_en=data["name_en"],
        levels=tuple(Level(lv["level"], lv["name_zh"], lv["name_en"]) for lv in data["levels"]),
        level_from_score=tuple((float(lfs[lv]), lv) for lv in sorted(lfs)),
        level_scores={int(k): float(v) for k, v in data["level_scores"].items()},
        min_cohort_size=int(data.get("relative", {}).get("min_cohort_size", 5)),
        inputs=inputs,
        dimensions=tuple(dimensions),
        path=path,
        base=base_reference(data),
        raw=data,
    )


@functools.lru_cache(maxsize=64)
def _load_path(path: str, mtime: float) -> Framework:
    return build_framework(load_framework_data(Path(path)), path)


def load_framework(id_or_path: str | Path | None = None, version: str | None = None) -> Framework:
    """A framework by id (newest version unless one is named) or by file path.

    Raises InvalidFramework when the file breaks the schema or the id/version is unknown.
    """
    target = DEFAULT_FRAMEWORK if id_or_path is None else str(id_or_path)
    candidate = Path(target)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        path = candidate.resolve()
    else:
        found = find_framework_file(target, version)
        if found is None:
            wanted = f"{target} version {version}" if version else target
            raise InvalidFramework(target, [f"(id): no framework {wanted}"])
        path = found
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise InvalidFramework(str(path), [f"(file): cannot be read: {exc.strerror}"]) from None
    framework = _load_path(str(path), mtime)
    if version is not None and framework.version != version:
        raise InvalidFramework(
            str(path), [f"version: file has {framework.version}, {version} was asked for"]
        )
    return framework


@functools.lru_cache(maxsize=32)
def shipped_framework(framework_id: str, version: str | None = None) -> Framework:
    """A shipped framework by id, resolved once per process.

    A published version never changes (a change is a new version), so an assessment's pinned
    framework need not be looked up on disk again: :func:`load_framework` checks the files
    each time, for editing frameworks by hand."""
    return load_framework(framework_id, version)


def list_frameworks() -> list[dict[str, str]]:
    """Every framework shipped with the package: id, version, names and file."""
    result = []
    for framework_id, version, path in _catalogue(FRAMEWORK_DIR):
        data = _read_yaml(path)
        result.append(
            {
                "id": framework_id,
                "version": version,
                "name_zh": str(data.get("name_zh", "")),
                "name_en": str(data.get("name_en", "")),
                "base": "@".join(base_reference(data) or ()),
                "path": str(path),
            }
        )
    return result
