"""Where an action comes from, cited as a reader cites it: the document and its section
(the guide's measure number, the catalogue's section and entry), never a line of a file."""

from __future__ import annotations

from functools import cache

from indicators.catalogue.loader import load_catalogue
from indicators.catalogue.model import EquipmentCategory, Measure, Technology

GUIDE = ("《制造业企业供应链管理水平提升指南（试行）》",
         "Guide to Improving Supply-Chain Management of Manufacturing Enterprises (Trial)")
CATALOGUE = ("《国家工业和信息化领域节能降碳技术装备推荐目录（2024年版）》",
             "National Catalogue of Recommended Energy-Saving and Carbon-Reduction "
             "Technologies and Equipment (2024)")


_NUMERALS = {n: i for i, n in enumerate("一二三四五六七八九十", start=1)}


def _number(numeral: str) -> str:
    return str(_NUMERALS.get(numeral, numeral))


@cache
def _entries() -> dict[str, Measure | Technology | EquipmentCategory]:
    catalogue = load_catalogue()
    found: dict[str, Measure | Technology | EquipmentCategory] = {}
    for measure in catalogue.measures:
        found[measure.id] = measure
    for technology in catalogue.technologies:
        found[technology.id] = technology
    for equipment in catalogue.equipment:
        found[equipment.id] = equipment
    return found


# The parts of the technology catalogue, as its own headings number them.
_CATALOGUE_PARTS = {
    "一": ("一、工业节能降碳技术", "part 1, industrial energy-saving and carbon-reduction "
           "technologies"),
    "二": ("二、信息化领域节能降碳技术", "part 2, energy-saving and carbon-reduction "
           "technologies of the information sector"),
}


def document(kind: str, lang: str) -> str:
    """The document a recommendation of ``kind`` (measure, technology, equipment) is from."""
    zh, en = GUIDE if kind == "measure" else CATALOGUE
    return en if lang == "en" else zh


def citation(kind: str, ref: str | None, lang: str) -> str | None:
    """The document and section ``ref`` comes from, in ``lang``, as a consultant cites it:
    a measure of the guide by its section and number ("三、实现企业供应链管理精益化 第（五）条"),
    a technology by the catalogue's part, sector and item, equipment by the catalogue's list
    of efficient equipment and its category. None for a free action or an indicator's own
    what-if (the results are its source). Never a line number of our seed file."""
    entry = _entries().get(ref or "")
    en = lang == "en"
    if isinstance(entry, Measure):
        name, section = document("measure", lang), entry.section
        if en:
            return (f"{name}, section {_number(section.numeral)} \"{section.title_en}\", "
                    f"measure {entry.number}")
        return f"{name} {section.numeral}、{section.title_zh} 第（{entry.numeral}）条"
    if isinstance(entry, Technology):
        name = document("technology", lang)
        part_zh, part_en = _CATALOGUE_PARTS.get(entry.sector.part, ("", ""))
        if en:
            return f"{name}, {part_en}, {entry.sector.name_en} section, item {entry.number}"
        return f"{name} {part_zh} {entry.sector.heading_zh} 第 {entry.number} 项"
    if isinstance(entry, EquipmentCategory):
        name = document("equipment", lang)
        if en:
            return f"{name}, part 3, high-efficiency equipment: {entry.name_en.lower()}"
        return f"{name} 三、高效节能装备 （{entry.numeral}）{entry.name_zh}"
    return None
