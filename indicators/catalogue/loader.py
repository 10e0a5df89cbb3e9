"""Load and validate the catalogue data files.

Each file is read once per process (the data ship with the package and do not change at run
time). A file that breaks its schema raises InvalidFramework naming the file and, for every
fault, its YAML path (``measures[4].lines``), so that whoever edits the data can fix all
faults in one pass. Loading with an explicit ``path`` (tests, tools) bypasses the cache.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml

from indicators.catalogue.contract import DIMENSIONS
from indicators.catalogue.model import (
    Catalogue,
    Division,
    EquipmentCategory,
    Group,
    Industries,
    Lines,
    Measure,
    Section,
    Sector,
    Technology,
)
from indicators.problems import InvalidFramework

DATA = Path(__file__).resolve().parent.parent / "data"
MEASURES_FILE = DATA / "catalogue" / "measures.yaml"
TECHNOLOGIES_FILE = DATA / "catalogue" / "technologies.yaml"
EQUIPMENT_FILE = DATA / "catalogue" / "equipment.yaml"
INDUSTRIES_FILE = DATA / "industries.yaml"

# Where each part lives in the seed; every entry's lines must fall inside its part, which
# catches an entry pasted into the wrong file or a line number mistyped.
GUIDE_LINES: Lines = (5437, 5890)
TECHNOLOGY_LINES: Lines = (1427, 4565)
EQUIPMENT_LINES: Lines = (4565, 4970)

MEASURE_COUNT = 27
SECTION_KINDS = frozenset({"direction", "support"})
AUDIENCES = frozenset({"enterprise", "ecosystem", "authorities"})
ADDRESSES = frozenset({"energy", "carbon", "both"})
SECTOR_KINDS = frozenset({"industry", "ict"})
FIRST_DIVISION, LAST_DIVISION = 13, 43

T = TypeVar("T")


# YAML folds a wrapped block into one line joined by spaces; Chinese takes no spaces, so the
# fold would leave stray gaps ("能源 管理中心") inside *_zh texts.
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")


def _tidy(value: str, key: str) -> str:
    value = value.strip()
    return _CJK_GAP.sub("", value) if key.endswith("_zh") else value


class _Checker:
    """Collects every fault of one file instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def mapping(self, value: Any, where: str) -> Mapping[str, Any]:
        if isinstance(value, Mapping):
            return value
        self.fail(where, "must be a mapping")
        return {}

    def seq(self, value: Any, where: str) -> list[Any]:
        if isinstance(value, list):
            return value
        self.fail(where, "must be a list")
        return []

    def text(self, node: Mapping[str, Any], key: str, where: str) -> str:
        value = node.get(key)
        if isinstance(value, str) and value.strip():
            return _tidy(value, key)
        self.fail(f"{where}.{key}", "must be a non-empty string")
        return ""

    def optional_text(self, node: Mapping[str, Any], key: str, where: str) -> str | None:
        value = node.get(key)
        if value is None:
            return None
        if isinstance(value, str) and value.strip():
            return _tidy(value, key)
        self.fail(f"{where}.{key}", "must be a non-empty string or null")
        return None

    def integer(self, node: Mapping[str, Any], key: str, where: str, minimum: int = 0) -> int:
        value = node.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
            return value
        self.fail(f"{where}.{key}", f"must be a whole number >= {minimum}")
        return minimum

    def choice(self, node: Mapping[str, Any], key: str, where: str, allowed: frozenset[str]) -> str:
        value = node.get(key)
        if isinstance(value, str) and value in allowed:
            return value
        self.fail(f"{where}.{key}", f"must be one of {sorted(allowed)}, not {value!r}")
        return ""

    def lines(self, node: Mapping[str, Any], where: str, within: Lines) -> Lines:
        value = node.get("lines")
        if not (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        ):
            self.fail(f"{where}.lines", "must be [first, last] seed line numbers")
            return (0, 0)
        first, last = int(value[0]), int(value[1])
        if first > last:
            self.fail(f"{where}.lines", f"first line {first} is after last line {last}")
        if first < within[0] or last > within[1]:
            self.fail(
                f"{where}.lines",
                f"[{first}, {last}] lies outside seed lines {within[0]}-{within[1]}",
            )
        return (first, last)

    def codes(self, node: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        items = self.seq(node.get(key), f"{where}.{key}")
        out: list[str] = []
        for i, item in enumerate(items):
            if not isinstance(item, str):
                self.fail(f"{where}.{key}[{i}]", "must be a string")
            elif item in out:
                self.fail(f"{where}.{key}[{i}]", f"{item!r} is listed twice")
            else:
                out.append(item)
        return tuple(out)


def _read(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except OSError as exc:
        raise InvalidFramework(str(path), [f"<file>: cannot be read ({exc.strerror})"]) from exc
    except yaml.YAMLError as exc:
        raise InvalidFramework(str(path), [f"<file>: not valid YAML ({exc})"]) from exc


def _build(path: Path, build: Callable[[_Checker, Mapping[str, Any]], T]) -> T:
    checker = _Checker()
    root = checker.mapping(_read(path), "<root>")
    result = build(checker, root)
    if checker.problems:
        raise InvalidFramework(str(path), checker.problems)
    return result


def _inside(inner: Lines, outer: Lines) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


_ONES = "一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 14 -> 十四, 20 -> 二十, 27 -> 二十七 (as the guide numbers measures)."""
    if not 1 <= n <= 99:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _ONES[tens - 1] + "十")
    return head + ("" if ones == 0 else _ONES[ones - 1])


# --- measures.yaml ---------------------------------------------------------------------


def _build_measures(
    c: _Checker, root: Mapping[str, Any]
) -> tuple[tuple[Section, ...], tuple[Measure, ...]]:
    sections: dict[str, Section] = {}
    for i, raw in enumerate(c.seq(root.get("sections"), "sections")):
        where = f"sections[{i}]"
        node = c.mapping(raw, where)
        code = c.text(node, "code", where)
        if code in sections:
            c.fail(f"{where}.code", f"{code!r} is defined twice")
        sections[code] = Section(
            code=code,
            numeral=c.text(node, "numeral", where),
            kind=c.choice(node, "kind", where, SECTION_KINDS),
            title_zh=c.text(node, "title_zh", where),
            title_en=c.text(node, "title_en", where),
            lines=c.lines(node, where, GUIDE_LINES),
        )
    directions = [s for s in sections.values() if s.kind == "direction"]
    if len(directions) != 6:
        c.fail("sections", f"the guide has 6 directions, found {len(directions)}")

    measures: list[Measure] = []
    raw_measures = c.seq(root.get("measures"), "measures")
    if len(raw_measures) != MEASURE_COUNT:
        c.fail("measures", f"the guide has {MEASURE_COUNT} measures, found {len(raw_measures)}")
    for i, raw in enumerate(raw_measures):
        where = f"measures[{i}]"
        node = c.mapping(raw, where)
        number = c.integer(node, "number", where, minimum=1)
        if number != i + 1:
            c.fail(f"{where}.number", f"expected {i + 1} (listed in order), got {number}")
        numeral = c.text(node, "numeral", where)
        if number >= 1 and numeral and numeral != chinese_numeral(number):
            c.fail(f"{where}.numeral", f"{numeral!r} does not read {number}")
        section_code = c.text(node, "section", where)
        section = sections.get(section_code)
        if section is None and section_code:
            c.fail(f"{where}.section", f"unknown section {section_code!r}")
        lines = c.lines(node, where, GUIDE_LINES)
        if section is not None and not _inside(lines, section.lines):
            c.fail(f"{where}.lines", f"{list(lines)} is outside its section {list(section.lines)}")
        if "indicators" in node:
            c.fail(
                f"{where}.indicators",
                "not read here: the framework lists the measures of each indicator "
                "(indicators/data/frameworks/*.yaml, `measures`)",
            )
        dimensions = c.codes(node, "dimensions", where)
        for k, code in enumerate(dimensions):
            if code not in DIMENSIONS:
                c.fail(f"{where}.dimensions[{k}]", f"unknown dimension code {code!r}")
        measures.append(
            Measure(
                number=number,
                numeral=numeral,
                section=section or Section("", "", "", "", "", (0, 0)),
                audience=c.choice(node, "audience", where, AUDIENCES),
                title_zh=c.text(node, "title_zh", where),
                title_en=c.text(node, "title_en", where),
                summary_zh=c.text(node, "summary_zh", where),
                summary_en=c.text(node, "summary_en", where),
                lines=lines,
                dimensions=dimensions,
            )
        )
    return tuple(sections.values()), tuple(measures)


def load_measures(path: Path | None = None) -> tuple[tuple[Section, ...], tuple[Measure, ...]]:
    if path is None:
        return _default_measures()
    return _build(path, _build_measures)


@cache
def _default_measures() -> tuple[tuple[Section, ...], tuple[Measure, ...]]:
    return _build(MEASURES_FILE, _build_measures)


# --- technologies.yaml -----------------------------------------------------------------


def _build_technologies(
    c: _Checker, root: Mapping[str, Any]
) -> tuple[tuple[Sector, ...], tuple[Technology, ...]]:
    sectors: dict[str, Sector] = {}
    for i, raw in enumerate(c.seq(root.get("sectors"), "sectors")):
        where = f"sectors[{i}]"
        node = c.mapping(raw, where)
        code = c.text(node, "code", where)
        if code in sectors:
            c.fail(f"{where}.code", f"{code!r} is defined twice")
        sectors[code] = Sector(
            code=code,
            part=c.text(node, "part", where),
            kind=c.choice(node, "kind", where, SECTOR_KINDS),
            heading_zh=c.text(node, "heading_zh", where),
            name_zh=c.text(node, "name_zh", where),
            name_en=c.text(node, "name_en", where),
            lines=c.lines(node, where, TECHNOLOGY_LINES),
            count=c.integer(node, "count", where, minimum=1),
        )

    technologies: list[Technology] = []
    seen: dict[str, int] = {}
    numbers: dict[str, list[int]] = {code: [] for code in sectors}
    for i, raw in enumerate(c.seq(root.get("technologies"), "technologies")):
        where = f"technologies[{i}]"
        node = c.mapping(raw, where)
        sector_code = c.text(node, "sector", where)
        sector = sectors.get(sector_code)
        if sector is None and sector_code:
            c.fail(f"{where}.sector", f"unknown sector {sector_code!r}")
        number = c.integer(node, "number", where, minimum=1)
        tech_id = c.text(node, "id", where)
        if tech_id and tech_id != f"{sector_code}-{number:02d}":
            c.fail(f"{where}.id", f"expected {sector_code}-{number:02d}, got {tech_id!r}")
        if tech_id in seen:
            c.fail(f"{where}.id", f"{tech_id!r} repeats technologies[{seen[tech_id]}]")
        seen[tech_id] = i
        lines = c.lines(node, where, TECHNOLOGY_LINES)
        if sector is not None:
            numbers[sector.code].append(number)
            if not _inside(lines, sector.lines):
                c.fail(
                    f"{where}.lines", f"{list(lines)} is outside its sector {list(sector.lines)}"
                )
        technologies.append(
            Technology(
                id=tech_id,
                sector=sector or Sector("", "", "", "", "", "", (0, 0), 0),
                number=number,
                name_zh=c.text(node, "name_zh", where),
                name_en=c.text(node, "name_en", where),
                summary_zh=c.text(node, "summary_zh", where),
                applies_to_zh=c.text(node, "applies_to_zh", where),
                effect_zh=c.optional_text(node, "effect_zh", where),
                addresses=c.choice(node, "addresses", where, ADDRESSES),
                lines=lines,
            )
        )
    # The catalogue numbers each sector 1..N; anything else means an entry was lost or
    # duplicated in extraction.
    for code, got in numbers.items():
        expected = list(range(1, sectors[code].count + 1))
        if got != expected:
            count = sectors[code].count
            c.fail(f"sectors[{code}]", f"technologies numbered {got}, expected 1..{count}")
    source = c.mapping(root.get("source"), "source")
    total = c.integer(source, "total", "source", minimum=1)
    if total != len(technologies):
        c.fail("source.total", f"says {total} technologies, the file lists {len(technologies)}")
    return tuple(sectors.values()), tuple(technologies)


def load_technologies(
    path: Path | None = None,
) -> tuple[tuple[Sector, ...], tuple[Technology, ...]]:
    if path is None:
        return _default_technologies()
    return _build(path, _build_technologies)


@cache
def _default_technologies() -> tuple[tuple[Sector, ...], tuple[Technology, ...]]:
    return _build(TECHNOLOGIES_FILE, _build_technologies)


# --- equipment.yaml --------------------------------------------------------------------

_DIVISION_CODE = re.compile(r"^C(\d\d)$")


def _is_division_code(code: str) -> bool:
    match = _DIVISION_CODE.match(code)
    return bool(match) and FIRST_DIVISION <= int(match.group(1)) <= LAST_DIVISION  # type: ignore[union-attr]


def _build_equipment(c: _Checker, root: Mapping[str, Any]) -> tuple[EquipmentCategory, ...]:
    out: list[EquipmentCategory] = []
    ids: set[str] = set()
    for i, raw in enumerate(c.seq(root.get("categories"), "categories")):
        where = f"categories[{i}]"
        node = c.mapping(raw, where)
        cat_id = c.text(node, "id", where)
        if cat_id in ids:
            c.fail(f"{where}.id", f"{cat_id!r} is defined twice")
        ids.add(cat_id)
        applies_to = c.codes(node, "applies_to", where)
        for k, code in enumerate(applies_to):
            if code != "*" and not _is_division_code(code):
                c.fail(f"{where}.applies_to[{k}]", f"{code!r} is not '*' nor a division C13-C43")
        if not applies_to:
            c.fail(f"{where}.applies_to", "must name at least one division or '*'")
        listed = c.integer(node, "models_listed", where, minimum=1)
        numbered = c.integer(node, "numbered_to", where, minimum=1)
        if listed > numbered:
            c.fail(f"{where}.models_listed", f"{listed} exceeds numbered_to {numbered}")
        out.append(
            EquipmentCategory(
                id=cat_id,
                numeral=c.text(node, "numeral", where),
                name_zh=c.text(node, "name_zh", where),
                name_en=c.text(node, "name_en", where),
                description_zh=c.text(node, "description_zh", where),
                description_en=c.text(node, "description_en", where),
                models_listed=listed,
                numbered_to=numbered,
                applies_to=applies_to,
                addresses=c.choice(node, "addresses", where, ADDRESSES),
                lines=c.lines(node, where, EQUIPMENT_LINES),
            )
        )
    return tuple(out)


def load_equipment(path: Path | None = None) -> tuple[EquipmentCategory, ...]:
    if path is None:
        return _default_equipment()
    return _build(path, _build_equipment)


@cache
def _default_equipment() -> tuple[EquipmentCategory, ...]:
    return _build(EQUIPMENT_FILE, _build_equipment)


# --- industries.yaml -------------------------------------------------------------------


def _build_industries(
    c: _Checker, root: Mapping[str, Any], sector_codes: frozenset[str]
) -> Industries:
    groups: dict[str, Group] = {}
    for i, raw in enumerate(c.seq(root.get("groups"), "groups")):
        where = f"groups[{i}]"
        node = c.mapping(raw, where)
        code = c.text(node, "code", where)
        if code in groups:
            c.fail(f"{where}.code", f"{code!r} is defined twice")
        groups[code] = Group(code, c.text(node, "name_zh", where), c.text(node, "name_en", where))

    cross = c.codes(root, "cross_sector", "<root>")
    for k, code in enumerate(cross):
        if code not in sector_codes:
            c.fail(f"cross_sector[{k}]", f"unknown technology sector {code!r}")

    divisions: list[Division] = []
    raw_divisions = c.seq(root.get("divisions"), "divisions")
    for i, raw in enumerate(raw_divisions):
        where = f"divisions[{i}]"
        node = c.mapping(raw, where)
        code = c.text(node, "code", where)
        expected = f"C{FIRST_DIVISION + i}"
        if code != expected:
            c.fail(f"{where}.code", f"expected {expected} (C13-C43 in order), got {code!r}")
        group_code = c.text(node, "group", where)
        group = groups.get(group_code)
        if group is None and group_code:
            c.fail(f"{where}.group", f"unknown group {group_code!r}")
        sectors = c.codes(node, "sectors", where)
        for k, sector in enumerate(sectors):
            if sector not in sector_codes:
                c.fail(f"{where}.sectors[{k}]", f"unknown technology sector {sector!r}")
        divisions.append(
            Division(
                code=code,
                number=int(code[1:]) if _is_division_code(code) else 0,
                name_zh=c.text(node, "name_zh", where),
                name_en=c.text(node, "name_en", where),
                group=group or Group("", "", ""),
                sectors=sectors,
            )
        )
    if len(raw_divisions) != LAST_DIVISION - FIRST_DIVISION + 1:
        c.fail("divisions", f"section C has 31 divisions (13-43), found {len(raw_divisions)}")
    return Industries(tuple(groups.values()), tuple(divisions), cross)


def load_industries(path: Path | None = None) -> Industries:
    if path is None:
        return _default_industries()
    return _load_industries(path)


def _load_industries(path: Path) -> Industries:
    sectors, _ = load_technologies()
    codes = frozenset(s.code for s in sectors)
    return _build(path, lambda c, root: _build_industries(c, root, codes))


@cache
def _default_industries() -> Industries:
    return _load_industries(INDUSTRIES_FILE)


# --- the documents cited --------------------------------------------------------------


@dataclass(frozen=True)
class DocumentTitle:
    """A title as a reader cites it, in both languages (from a data file's ``source``)."""

    zh: str
    en: str


def _title(node: Mapping[str, Any]) -> DocumentTitle:
    return DocumentTitle(str(node["title_zh"]), str(node["title_en"]))


@cache
def document_titles() -> dict[str, DocumentTitle]:
    """The document each kind of recommendation (measure, technology, equipment) comes
    from, as the catalogue's data files name it."""
    files = {"measure": MEASURES_FILE, "technology": TECHNOLOGIES_FILE,
             "equipment": EQUIPMENT_FILE}
    return {kind: _title(_read(path)["source"]) for kind, path in files.items()}


@cache
def technology_parts() -> dict[str, DocumentTitle]:
    """The technology catalogue's parts (一, 二) and their headings."""
    parts = _read(TECHNOLOGIES_FILE)["source"]["parts"]
    return {str(numeral): _title(node) for numeral, node in parts.items()}


# --- everything ------------------------------------------------------------------------


@cache
def load_catalogue() -> Catalogue:
    """The packaged catalogue (measures, technologies, equipment), loaded once."""
    sections, measures = load_measures()
    sectors, technologies = load_technologies()
    return Catalogue(sections, measures, sectors, technologies, load_equipment())
