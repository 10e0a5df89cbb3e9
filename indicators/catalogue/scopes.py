"""The 适用范围 of each catalogue technology as structured data, and matching on it.

``data/catalogue/scopes.yaml`` holds, per technology, the GB/T 4754 divisions its scope
names (or ``all``), the processes and the equipment classes it names; the file header
explains every reading. A technology applies to a division when its industries are ``all``
or name the division; when it names industries it applies to no other division, whatever
equipment it also names; when it names none, it applies where one of its equipment classes
does (cross-cutting equipment such as boilers or compressed air applies to every division;
facilities such as data centres to none unless the enterprise says it runs one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from indicators.catalogue.loader import (
    DATA,
    FIRST_DIVISION,
    LAST_DIVISION,
    _build,
    _Checker,
    load_industries,
    load_technologies,
)

SCOPES_FILE = DATA / "catalogue" / "scopes.yaml"
ALL = "all"
# A GB/T 4754-2017 division code: section letter and two digits (C13-C43 manufacturing;
# other sections where a scope names them, e.g. D44 power and heat, B07 oil and gas).
_CODE = re.compile(r"^[A-T]\d\d$")


@dataclass(frozen=True, slots=True)
class EquipmentClass:
    code: str
    name_zh: str
    name_en: str
    divisions: tuple[str, ...] | None  # None = every division

    def applies_to(self, division: str) -> bool:
        return self.divisions is None or division in self.divisions


@dataclass(frozen=True, slots=True)
class Scope:
    technology: str
    industries: tuple[str, ...] | None  # None = general (all industries)
    processes: tuple[str, ...]
    equipment: tuple[EquipmentClass, ...]

    @property
    def general(self) -> bool:
        return self.industries is None

    def names_division(self, division: str) -> bool:
        return self.industries is not None and division in self.industries

    def applies_to(self, division: str, facilities: Iterable[str] = ()) -> bool:
        """Whether the technology's scope includes ``division`` (an enterprise that also
        runs the given ``facilities``, e.g. ``data_centre``)."""
        if self.industries is None:
            return True
        if self.industries:
            return division in self.industries
        run = frozenset(facilities)
        return any(e.applies_to(division) or e.code in run for e in self.equipment)

    def text_en(self, division_names: Mapping[str, str]) -> str:
        """The scope in English: industries, processes, equipment."""
        parts: list[str] = []
        if self.industries is None:
            parts.append("all industries")
        elif self.industries:
            parts.append(", ".join(
                division_names.get(c, c)  # names only: readers see no division codes
                for c in self.industries
            ))
        if self.equipment:
            parts.append(", ".join(e.name_en for e in self.equipment))
        if self.processes:
            parts.append("processes: " + ", ".join(self.processes))
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class Scopes:
    classes: Mapping[str, EquipmentClass]
    by_technology: Mapping[str, Scope]

    def of(self, technology: str) -> Scope:
        return self.by_technology[technology]


def _is_manufacturing(code: str) -> bool:
    return code[0] == "C" and FIRST_DIVISION <= int(code[1:]) <= LAST_DIVISION


def _build_scopes(c: _Checker, root: Mapping[str, Any]) -> Scopes:
    industries = load_industries()
    sector_divisions: dict[str, tuple[str, ...]] = {}
    for d in industries.divisions:
        for sector in d.sectors:
            sector_divisions[sector] = (*sector_divisions.get(sector, ()), d.code)
    classes: dict[str, EquipmentClass] = {}
    raw_classes = c.mapping(root.get("equipment_classes"), "equipment_classes")
    for code, raw in raw_classes.items():
        where = f"equipment_classes.{code}"
        node = c.mapping(raw, where)
        divisions: tuple[str, ...] | None
        if node.get("divisions") == ALL:
            divisions = None
        else:
            divisions = c.codes(node, "divisions", where)
            for k, div in enumerate(divisions):
                if not (_CODE.match(div) and _is_manufacturing(div)):
                    c.fail(f"{where}.divisions[{k}]", f"{div!r} is not a division C13-C43")
        classes[code] = EquipmentClass(code, c.text(node, "name_zh", where),
                                       c.text(node, "name_en", where), divisions)
    scopes: dict[str, Scope] = {}
    raw_scopes = c.mapping(root.get("technologies"), "technologies")
    for tech_id, raw in raw_scopes.items():
        where = f"technologies.{tech_id}"
        node = c.mapping(raw, where)
        unknown = set(node) - {"industries", "processes", "equipment"}
        if unknown:
            c.fail(where, f"unknown keys {sorted(unknown)}")
        named: tuple[str, ...] | None
        given = node.get("industries", [])
        if given == ALL:
            named = None
        elif isinstance(given, str):
            # A catalogue sector name stands for the divisions that industries.yaml gives it.
            if given not in sector_divisions:
                c.fail(f"{where}.industries", f"{given!r} is neither 'all' nor a sector")
            named = sector_divisions.get(given, ())
        else:
            named = c.codes(node, "industries", where) if "industries" in node else ()
            for k, code in enumerate(named):
                if not _CODE.match(code):
                    c.fail(f"{where}.industries[{k}]", f"{code!r} is not a GB/T 4754 division")
        equipment = []
        for k, code in enumerate(c.codes(node, "equipment", where) if "equipment" in node
                                 else ()):
            if code not in classes:
                c.fail(f"{where}.equipment[{k}]", f"unknown equipment class {code!r}")
            else:
                equipment.append(classes[code])
        processes = c.codes(node, "processes", where) if "processes" in node else ()
        if named == () and not equipment:
            c.fail(where, "names neither an industry nor equipment")
        scopes[tech_id] = Scope(tech_id, named, processes, tuple(equipment))
    _, technologies = load_technologies()
    known = {t.id for t in technologies}
    for missing in sorted(known - set(scopes)):
        c.fail(f"technologies.{missing}", "no scope given for this technology")
    for extra in sorted(set(scopes) - known):
        c.fail(f"technologies.{extra}", "not a technology of technologies.yaml")
    return Scopes(classes, scopes)


def load_scopes(path: Path | None = None) -> Scopes:
    """The scopes of every technology; an explicit ``path`` bypasses the cache."""
    if path is None:
        return _default_scopes()
    return _build(path, _build_scopes)


@cache
def _default_scopes() -> Scopes:
    return _build(SCOPES_FILE, _build_scopes)
