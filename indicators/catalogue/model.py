"""Catalogue entries as immutable objects, built once from the validated data files."""

from __future__ import annotations

from dataclasses import dataclass

# Seed file all `lines` point into (relative to /work/shared).
SEED = "seeds/000_e6766f8c52c2b1dc.txt"

Lines = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered section of the guide (二 … 九); six are directions, two are support."""

    code: str
    numeral: str
    kind: str  # "direction" | "support"
    title_zh: str
    title_en: str
    lines: Lines


@dataclass(frozen=True, slots=True)
class Measure:
    """One of the guide's 27 measures （一）…（二十七）.

    Which indicators it improves is the framework's to say (``Indicator.measures``).
    """

    number: int
    numeral: str
    section: Section
    audience: str  # "enterprise" | "ecosystem" | "authorities"
    title_zh: str
    title_en: str
    summary_zh: str
    summary_en: str
    lines: Lines
    dimensions: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"measure-{self.number:02d}"


@dataclass(frozen=True, slots=True)
class Sector:
    """A section of the 2024 technology catalogue (钢铁行业, 数据中心, …)."""

    code: str
    part: str  # "一" industrial, "二" information and communication
    kind: str  # "industry" | "ict"
    heading_zh: str
    name_zh: str
    name_en: str
    lines: Lines
    count: int


@dataclass(frozen=True, slots=True)
class Technology:
    id: str
    sector: Sector
    number: int
    name_zh: str
    name_en: str
    summary_zh: str
    applies_to_zh: str
    effect_zh: str | None
    addresses: str  # "energy" | "carbon" | "both"
    lines: Lines

    def addresses_energy(self) -> bool:
        return self.addresses in ("energy", "both")

    def addresses_carbon(self) -> bool:
        return self.addresses in ("carbon", "both")


@dataclass(frozen=True, slots=True)
class EquipmentCategory:
    id: str
    numeral: str
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    models_listed: int
    numbered_to: int
    applies_to: tuple[str, ...]  # division codes, or ("*",) for every division
    addresses: str
    lines: Lines

    def applies_to_division(self, code: str) -> bool:
        return "*" in self.applies_to or code in self.applies_to


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Measures, technologies and equipment, with the look-ups recommendations need."""

    sections: tuple[Section, ...]
    measures: tuple[Measure, ...]
    sectors: tuple[Sector, ...]
    technologies: tuple[Technology, ...]
    equipment: tuple[EquipmentCategory, ...]

    def measure(self, number: int) -> Measure:
        return self.measures[number - 1]

    def technologies_in(self, sector: str) -> tuple[Technology, ...]:
        return tuple(t for t in self.technologies if t.sector.code == sector)


@dataclass(frozen=True, slots=True)
class Group:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True, slots=True)
class Division:
    """A GB/T 4754-2017 manufacturing division (大类), e.g. C36 汽车制造业."""

    code: str  # "C36"
    number: int  # 36
    name_zh: str
    name_en: str
    group: Group
    sectors: tuple[str, ...]  # technology-catalogue sectors of this division itself


@dataclass(frozen=True, slots=True)
class Industries:
    groups: tuple[Group, ...]
    divisions: tuple[Division, ...]
    cross_sector: tuple[str, ...]  # catalogue sectors that concern every division
