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


def citation(kind: str, ref: str | None, lang: str) -> str | None:
    """The document and section ``ref`` comes from, in ``lang``; None for a free action or
    an indicator's own what-if (the results are its source)."""
    entry = _entries().get(ref or "")
    en = lang == "en"
    if isinstance(entry, Measure):
        if en:
            return (f"{GUIDE[1]}, section {_number(entry.section.numeral)}, "
                    f"measure {entry.number}")
        return f"{GUIDE[0]} {entry.section.numeral}、（{entry.numeral}）"
    if isinstance(entry, Technology):
        if en:
            return (f"{CATALOGUE[1]}, part {_number(entry.sector.part)}, {entry.sector.name_en}, "
                    f"entry {entry.number}")
        return f"{CATALOGUE[0]} {entry.sector.part}、{entry.sector.heading_zh} 第{entry.number}项"
    if isinstance(entry, EquipmentCategory):
        if en:
            return f"{CATALOGUE[1]}, equipment, {entry.name_en}"
        return f"{CATALOGUE[0]} 装备部分 （{entry.numeral}）{entry.name_zh}"
    return None
