"""The dashboard's box plots and histograms: positions on the 0-100 scale, escaped labels."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.benchmarks.stats import distribution
from assessment.dashboard.charts import box_plot_svg, histogram_svg

SVG = "{http://www.w3.org/2000/svg}"
# Labels come from framework data and checked input: control characters are refused before
# they reach a chart (tenants.limits), and XML cannot hold them.
_PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"))


def _by_class(root, cls: str):
    return [e for e in root.iter() if e.get("class") == cls]


def test_box_plot_draws_p10_to_p90_never_the_extremes() -> None:
    summary = distribution([0, 10, 20, 30, 40, 50, 60, 70, 80, 100])
    root = ElementTree.fromstring(box_plot_svg(summary, width=112))  # span 100: x = 6 + score
    [whisker] = _by_class(root, "box-whisker")
    assert float(whisker.get("x1")) == pytest.approx(6 + summary.p10, abs=0.01)
    assert float(whisker.get("x2")) == pytest.approx(6 + summary.p90, abs=0.01)
    assert float(whisker.get("x1")) > 6.0 and float(whisker.get("x2")) < 106.0
    [box] = _by_class(root, "box-iqr")
    assert float(box.get("x")) == pytest.approx(6 + summary.q1, abs=0.01)
    assert float(box.get("width")) == pytest.approx(summary.q3 - summary.q1, abs=0.02)
    [median] = _by_class(root, "box-median")
    assert float(median.get("x1")) == pytest.approx(6 + summary.median, abs=0.01)
    [mean] = _by_class(root, "box-mean")
    assert float(mean.get("cx")) == pytest.approx(6 + summary.mean, abs=0.01)
    label = root.get("aria-label")
    assert label.startswith(f"P10 {summary.p10:.1f} · Q1") and "median 45.0" in label


def test_box_plot_of_equal_values_keeps_a_visible_box_and_clamps() -> None:
    summary = distribution([120.0] * 5)
    root = ElementTree.fromstring(box_plot_svg(summary, width=112, label="<行业>"))
    [box] = _by_class(root, "box-iqr")
    assert box.get("x") == "106.00" and box.get("width") == "1.00"
    assert root.get("aria-label") == "<行业>"
    assert root.find(f"{SVG}title").text == "<行业>"


def test_histogram_needs_one_label_per_bin() -> None:
    with pytest.raises(ValueError, match="one label per bin"):
        histogram_svg([1, 2], ["a"])


def test_histogram_bars_are_proportional_to_counts() -> None:
    root = ElementTree.fromstring(histogram_svg([2, 4, 0], ["L1", "L2", "L3"], height=90))
    bars = list(root.iter(f"{SVG}rect"))
    heights = [float(b.get("height")) for b in bars]
    assert heights == [30.0, 60.0, 0.0]  # plot height 90 - 14 - 16 = 60
    assert [b.find(f"{SVG}title").text for b in bars] == ["L1: 2", "L2: 4", "L3: 0"]
    assert root.get("aria-label") == "L1: 2, L2: 4, L3: 0"


def test_histogram_of_nothing_is_still_an_svg() -> None:
    root = ElementTree.fromstring(histogram_svg([], []))
    assert list(root.iter(f"{SVG}rect")) == []
    zeros = ElementTree.fromstring(histogram_svg([0, 0], ["a", "b"]))
    assert [float(b.get("height")) for b in zeros.iter(f"{SVG}rect")] == [0.0, 0.0]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=10_000),
                          st.text(_PRINTABLE, max_size=12)), max_size=8))
def test_histogram_is_well_formed_for_any_labels(bins: list[tuple[int, str]]) -> None:
    counts = [c for c, _ in bins]
    labels = [name for _, name in bins]
    root = ElementTree.fromstring(histogram_svg(counts, labels))
    heights = [float(b.get("height")) for b in root.iter(f"{SVG}rect")]
    assert len(heights) == len(bins)
    assert all(0.0 <= h <= 60.0 for h in heights)
    if counts and max(counts) > 0:
        assert max(heights) == 60.0
