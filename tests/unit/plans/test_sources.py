"""Citations name the document and section as the catalogue's data files give them."""

from __future__ import annotations

from assessment.plans.sources import citation, document
from indicators.catalogue.loader import document_titles, load_catalogue


def test_a_measure_is_cited_by_section_and_number_from_the_data_file():
    measure = load_catalogue().measure(5)
    title = document_titles()["measure"]
    zh = citation("measure", measure.id, "zh")
    assert zh == (f"《{title.zh}》 {measure.section.numeral}、{measure.section.title_zh} "
                  f"第（{measure.numeral}）条")
    assert citation("measure", measure.id, "en").startswith(title.en)


def test_technologies_and_equipment_name_their_part_and_never_a_line():
    catalogue = load_catalogue()
    tech, equipment = catalogue.technologies[0], catalogue.equipment[0]
    assert "一、工业节能降碳技术" in (citation("technology", tech.id, "zh") or "")
    assert "三、高效节能装备" in (citation("equipment", equipment.id, "zh") or "")
    for text in (citation("technology", tech.id, "en"), citation("equipment", equipment.id, "zh")):
        assert text and "行" not in text.replace("行业", "") and "line" not in text


def test_a_free_action_has_no_citation_but_its_kind_names_a_document():
    assert citation("measure", None, "zh") is None
    assert document("technology", "zh").startswith("《国家工业和信息化领域")
