"""Radar axis labels stay inside the picture, Chinese dimension names included."""

from __future__ import annotations

from defusedxml import ElementTree

from assessment.results.charts import Series, radar_svg

DIMENSIONS_ZH = ["供应链多维协同", "精益供应链", "供应链数字化", "绿色供应链", "全球供应链",
                 "供应链韧性和安全水平", "供应链人才支撑"]
CHAR_WIDTH = 12  # font-size 12: a CJK character is about one em wide


DIMENSIONS_EN = ["Multi-dimensional collaboration", "Lean supply chain",
                 "Supply-chain digitalisation", "Green supply chain", "Global supply chain",
                 "Resilience and security", "Talent support"]


def test_english_labels_are_wrapped_so_the_chart_keeps_its_size():
    svg = radar_svg(DIMENSIONS_EN, [Series("2025", [50, 60, 70, 80, 40, 30, 20])])
    root = ElementTree.fromstring(svg)
    width = float(root.get("viewBox").split()[2])
    assert width <= 420 + 2 * 80  # the drawing area stays the main part of the picture
    spans = [t.text for t in root.iter("{http://www.w3.org/2000/svg}tspan")]
    assert "Resilience and" in spans or "Resilience" in spans
    assert "".join(spans).replace(" ", "") == "".join(DIMENSIONS_EN).replace(" ", "")


def test_every_label_fits_inside_the_view_box():
    svg = radar_svg(DIMENSIONS_ZH, [Series("2025", [50, 60, 70, 80, 40, 30, 20])])
    root = ElementTree.fromstring(svg)
    _x0, _y0, width, _height = (float(v) for v in root.get("viewBox").split())
    texts = [t for t in root.iter("{http://www.w3.org/2000/svg}text")
             if "".join(t.itertext()) in DIMENSIONS_ZH]
    assert len(texts) == len(DIMENSIONS_ZH)
    for text in texts:
        label = "".join(text.itertext())
        x, extent = float(text.get("x")), len(label) * CHAR_WIDTH
        left = {"start": x, "middle": x - extent / 2, "end": x - extent}[text.get("text-anchor")]
        assert left >= 0 and left + extent <= width, (text.text, left, width)
