"""Where an action comes from, cited as a reader cites it: the document and its section
(the guide's measure number, the catalogue's section and entry), never a line of a file."""

from __future__ import annotations

from functools import cache

from indicators.catalogue.loader import document_titles, load_catalogue, technology_parts
from indicators.catalogue.model import EquipmentCategory, Measure, Technology

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


def document(kind: str, lang: str) -> str:
    """The document a recommendation of ``kind`` (measure, technology, equipment) is from,
    in 《》 for a Chinese reader."""
    title = document_titles()["measure" if kind == "measure" else "technology"]
    return title.en if lang == "en" else f"《{title.zh}》"


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
        part = technology_parts().get(entry.sector.part)
        if en:
            where = f"{part.en}, " if part else ""
            return f"{name}, {where}{entry.sector.name_en} section, item {entry.number}"
        return f"{name} {part.zh if part else ''} {entry.sector.heading_zh} 第 {entry.number} 项"
    if isinstance(entry, EquipmentCategory):
        # the equipment list's own title names the catalogue and its part 三
        title = document_titles()["equipment"]
        if en:
            return f"{title.en}: {entry.name_en.lower()}"
        return f"《{title.zh.replace(' ', '》 ', 1)} （{entry.numeral}）{entry.name_zh}"
    return None
