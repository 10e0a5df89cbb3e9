"""Report charts drawn with matplotlib: SVG as a data URL, text kept as text, deterministic."""

from __future__ import annotations

import base64

import pytest

from assessment.benchmarks.stats import distribution
from assessment.reports import charts


def _svg(url: str) -> str:
    prefix = "data:image/svg+xml;base64,"
    assert url.startswith(prefix)
    return base64.b64decode(url[len(prefix):]).decode("utf-8")


def test_data_url_round_trips_chinese_text() -> None:
    assert _svg(charts.data_url("<svg>供应链</svg>")) == "<svg>供应链</svg>"


def test_boxes_leave_out_suppressed_rows_and_keep_no_extremes() -> None:
    dist = distribution([10, 20, 30, 40, 50, 60])
    boxes = charts.boxes_from([("精益供应链", dist), ("绿色供应链", None), ("Talent", dist)])
    assert [b.label for b in boxes] == ["精益供应链", "Talent"]
    box = boxes[0]
    assert (box.p10, box.q1, box.median, box.q3, box.p90) == \
        (dist.p10, dist.q1, dist.median, dist.q3, dist.p90)
    assert not hasattr(box, "minimum") and not hasattr(box, "maximum")
    assert charts.boxes_from([]) == ()
    assert charts.boxes_from([("x", None)]) == ()


def test_box_plot_keeps_labels_as_text_and_is_deterministic() -> None:
    boxes = charts.boxes_from([("精益供应链", distribution([10, 20, 30, 40, 50])),
                               ("Lean <&>", distribution([50, 60, 70, 80, 90]))])
    first = charts.box_plot(boxes, "得分")
    charts.box_plot.cache_clear()
    again = charts.box_plot(boxes, "得分")
    assert first == again  # no date, fixed hash salt: the same bytes every time
    svg = _svg(first)
    assert "精益供应链" in svg and "得分" in svg  # svg.fonttype none: searchable text
    assert "Lean &lt;&amp;&gt;" in svg
    assert "<script" not in svg


def test_level_distribution_labels_every_bar_with_its_count() -> None:
    svg = _svg(charts.level_distribution(("一级", "二级", "三级"), (0, 7, 3), "企业数"))
    for text in ("一级", "二级", "三级", "企业数", ">7<", ">3<", ">0<"):
        assert text in svg, text


@pytest.mark.parametrize("counts", [(0, 0, 0), ()])
def test_level_distribution_of_nothing_still_draws(counts: tuple[int, ...]) -> None:
    labels = tuple(f"L{i}" for i in range(len(counts)))
    assert _svg(charts.level_distribution(labels, counts)).lstrip().startswith("<?xml")
