"""File types judged by content, and the SVG charts (pure functions: no database)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from assessment.evidence import sniff
from assessment.evidence.services import clean_original_name, content_disposition
from assessment.results.charts import Series, radar_svg, score_bar_svg
from tests.integration.assessment_review import factories

LIMIT = 20 * 1024 * 1024
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(("data", "expected"), [
    (factories.PDF, sniff.PDF), (factories.PNG, sniff.PNG), (factories.JPEG, sniff.JPEG),
    (factories.xlsx(), sniff.XLSX), (factories.docx(), sniff.DOCX),
])
def test_allowed_types_are_recognised_by_their_content(data, expected):
    assert sniff.detect(data, LIMIT) == expected


@pytest.mark.parametrize(("data", "reason"), [
    (b"", sniff.Refusal.empty),
    (factories.EXE, sniff.Refusal.wrong_type),
    (b"just some text, named report.pdf", sniff.Refusal.wrong_type),
    (factories.plain_zip(), sniff.Refusal.wrong_type),
    (b"PK\x03\x04 not really a zip", sniff.Refusal.wrong_type),
    (factories.zip_bomb(), sniff.Refusal.zip_bomb),
])
def test_refusals_say_why(data, reason):
    with pytest.raises(sniff.FileRefused) as refused:
        sniff.detect(data, LIMIT)
    assert refused.value.reason == reason


def test_a_file_over_the_limit_is_refused_before_its_type_is_looked_at():
    with pytest.raises(sniff.FileRefused) as refused:
        sniff.detect(factories.PDF, len(factories.PDF) - 1)
    assert refused.value.reason == sniff.Refusal.too_large


def test_a_package_with_too_many_members_is_a_zip_bomb(monkeypatch):
    monkeypatch.setattr(sniff, "MAX_ZIP_MEMBERS", 1)
    with pytest.raises(sniff.FileRefused) as refused:
        sniff.detect(factories.xlsx(), LIMIT)
    assert refused.value.reason == sniff.Refusal.zip_bomb


def test_macro_enabled_workbooks_are_not_accepted():
    package = factories._zip({"[Content_Types].xml": factories.content_types(
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml")})
    with pytest.raises(sniff.FileRefused):
        sniff.detect(package, LIMIT)


def test_uploaded_names_lose_paths_and_control_characters():
    assert clean_original_name("..\\..\\windows/evil\x00name.pdf") == "evilname.pdf"
    assert clean_original_name("   ") == "evidence"


def test_content_disposition_is_an_attachment_with_an_rfc5987_name():
    header = content_disposition('年报 "2024";.pdf')
    assert header.startswith('attachment; filename="')
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.endswith(".pdf") and '"' not in fallback and ";" not in fallback
    assert "filename*=UTF-8''%E5%B9%B4%E6%8A%A5%20%222024%22%3B.pdf" in header


def test_radar_is_well_formed_svg_with_escaped_labels():
    axes = ["协同 <A&B>", 'lean "quoted"', "digital", "green"]
    svg = radar_svg(axes, [Series("2024 <now>", [80, 55.5, None, 100], "radar-current"),
                           Series("2023", [70, 40, 20, 120])])
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "协同 <A&B>" in texts and 'lean "quoted"' in texts and "2024 <now>" in texts
    polygons = [p for p in root.iter(f"{SVG}polygon")]
    assert len(polygons) == 5 + 2  # five grid rings, two series
    assert "<A&B>" not in svg and "&lt;A&amp;B&gt;" in svg
    assert "style=" not in svg and "<script" not in svg


def test_radar_output_is_deterministic_and_clamps_to_the_scale():
    one = radar_svg(["a", "b", "c"], [Series("s", [150, -5, 50])])
    assert one == radar_svg(["a", "b", "c"], [Series("s", [150, -5, 50])])
    outer = radar_svg(["a", "b", "c"], [Series("s", [100, 0, 50])])

    def shape(svg):
        return [p.get("points") for p in ET.fromstring(svg).iter(f"{SVG}polygon")]

    assert shape(one) == shape(outer)
    assert "a: 150.00" in one  # the point's tooltip tells the true figure


def test_radar_refuses_mismatched_series():
    with pytest.raises(ValueError):
        radar_svg(["a", "b", "c"], [Series("s", [1, 2])])
    with pytest.raises(ValueError):
        radar_svg(["a", "b"], [])


def test_score_bar_is_well_formed():
    root = ET.fromstring(score_bar_svg(62.5, marks=[40, 80], label="<x>"))
    assert len(list(root.iter(f"{SVG}rect"))) == 2
    assert len(list(root.iter(f"{SVG}line"))) == 2
