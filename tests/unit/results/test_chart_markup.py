"""The results charts as markup: well-formed SVG, escaped labels, clamped and deterministic."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from assessment.results.charts import Series, radar_svg, score_bar_svg

SVG = "{http://www.w3.org/2000/svg}"


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
