"""The results page's SVG charts: valid XML, escaped labels, clamped values, deterministic."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.results.charts import Series, coordinate, radar_svg, score_bar_svg

SVG = "{http://www.w3.org/2000/svg}"
# Labels come from framework data and checked input: control characters are refused before
# they reach a chart (tenants.limits), and XML cannot hold them.
_PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"))
AXES = ["协同", "精益", "数字化", "绿色"]


def _parse(svg: str):
    return ElementTree.fromstring(svg)


@pytest.mark.parametrize(("number", "text"), [(0, "0.00"), (-0.001, "0.00"), (-0.004, "0.00"),
                                              (1.005, "1.00"), (12.345678, "12.35"),
                                              (-3.5, "-3.50")])
def test_coordinate_has_two_decimals_and_no_negative_zero(number: float, text: str) -> None:
    assert coordinate(number) == text


@pytest.mark.parametrize("axes", [[], ["a"], ["a", "b"]])
def test_a_radar_needs_three_axes(axes: list[str]) -> None:
    with pytest.raises(ValueError, match="three axes"):
        radar_svg(axes, [])


def test_a_series_must_have_one_value_per_axis() -> None:
    with pytest.raises(ValueError, match="'2025' has 2 values for 4 axes"):
        radar_svg(AXES, [Series("2025", [1, 2])])


def test_missing_figures_are_not_marked_and_values_are_clamped() -> None:
    root = _parse(radar_svg(AXES, [Series("2025", [None, 150, -20, 50])]))
    series = [g for g in root.iter(f"{SVG}g") if "radar-series" in (g.get("class") or "")]
    assert len(series) == 1
    circles = list(series[0].iter(f"{SVG}circle"))
    assert len(circles) == 3  # None: no dot
    titles = [c.find(f"{SVG}title").text for c in circles]
    assert titles == ["精益: 150.00", "数字化: -20.00", "绿色: 50.00"]  # the real figure told
    polygon = series[0].find(f"{SVG}polygon")
    points = [tuple(map(float, p.split(","))) for p in polygon.get("points").split()]
    centre = (210.0, 210.0)
    assert points[0] == centre and points[2] == centre  # None and -20 sit at the centre
    # 150 is drawn at 100: on the outer ring (radius 420 / 2 - 80 = 130), to the right
    assert points[1] == pytest.approx((210.0 + 130.0, 210.0))


def test_labels_and_series_names_are_escaped() -> None:
    svg = radar_svg(["<b>", "a&b", '"q"'], [Series("</svg><script>", [1, 2, 3], "x")])
    assert "<script>" not in svg and "<b>" not in svg
    root = _parse(svg)
    assert root.get("aria-label") == "</svg><script>"
    assert "&lt;script&gt;" in svg


def test_several_series_get_their_own_colour_and_legend_entry() -> None:
    svg = radar_svg(AXES, [Series("本企业", [10, 20, 30, 40]),
                           Series("行业中位数", [50, 50, 50, 50], "median")])
    root = _parse(svg)
    classes = [g.get("class") for g in root.iter(f"{SVG}g")]
    assert "radar-series radar-series-0" in classes
    assert "radar-series radar-series-1 median" in classes
    legend = [t.text for g in root.iter(f"{SVG}g") if g.get("class") == "radar-legend"
              for t in g.iter(f"{SVG}text")]
    assert legend == ["本企业", "行业中位数"]
    assert root.find(f"{SVG}title").text == "本企业, 行业中位数"


def test_the_title_wins_over_the_series_names() -> None:
    root = _parse(radar_svg(AXES, [Series("a", [1, 2, 3, 4])], title="雷达图"))
    assert root.get("aria-label") == "雷达图"


def test_same_input_same_output() -> None:
    one = radar_svg(AXES, [Series("a", [1.5, 2, None, 4])])
    assert one == radar_svg(AXES, [Series("a", [1.5, 2, None, 4])])


def test_score_bar_without_a_figure_draws_only_the_track() -> None:
    root = _parse(score_bar_svg(None))
    rects = [r.get("class") for r in root.iter(f"{SVG}rect")]
    assert rects == ["score-bar-track"]
    assert root.get("aria-label") == ""


@pytest.mark.parametrize(("score", "width"), [(0, "0.00"), (50, "80.00"), (100, "160.00"),
                                              (130, "160.00"), (-4, "0.00")])
def test_score_bar_fill_is_clamped_to_the_track(score: float, width: str) -> None:
    root = _parse(score_bar_svg(score))
    [fill] = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "score-bar-fill"]
    assert fill.get("width") == width
    assert root.get("aria-label") == coordinate(score)


def test_score_bar_marks_and_label() -> None:
    root = _parse(score_bar_svg(40, marks=(25, 75, 200), width=200, label="得分 40"))
    xs = [line.get("x1") for line in root.iter(f"{SVG}line")]
    assert xs == ["50.00", "150.00", "200.00"]
    assert root.get("aria-label") == "得分 40"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(_PRINTABLE, min_size=1, max_size=30), min_size=3, max_size=9),
       st.data())
def test_any_labels_and_values_give_well_formed_svg(axes: list[str], data) -> None:
    values = data.draw(st.lists(st.none() | st.floats(allow_nan=False, allow_infinity=False,
                                                      min_value=-1e6, max_value=1e6),
                                min_size=len(axes), max_size=len(axes)))
    svg = radar_svg(axes, [Series("s", values)])
    root = _parse(svg)  # raises on any unescaped text
    assert len([c for c in root.iter(f"{SVG}circle")]) == sum(v is not None for v in values)
    assert "-0.00" not in svg
