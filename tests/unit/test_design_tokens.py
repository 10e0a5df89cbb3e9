"""Design tokens: one table of colours and spacing (``assessment/design_tokens.py``), the same
values in the stylesheet of CSS custom properties (``static/css/tokens.css``), and no colour
written anywhere else: not in a stylesheet, not in a chart module, not in the report's chart
macros."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assessment import design_tokens
from assessment.dashboard.charts import box_plot_svg, histogram_svg
from assessment.results.charts import Series, radar_svg, score_bar_svg

ROOT = Path(__file__).resolve().parents[2]
TOKENS_CSS = ROOT / "static" / "css" / "tokens.css"
# Every file that draws or styles: they name tokens, never colours.
USERS = [
    ROOT / "static" / "css" / "app.css",
    ROOT / "static" / "reports" / "report.css",
    ROOT / "assessment" / "results" / "charts.py",
    ROOT / "assessment" / "dashboard" / "charts.py",
    ROOT / "assessment" / "plans" / "matrix.py",
    ROOT / "assessment" / "reports" / "charts.py",
    ROOT / "assessment" / "reports" / "report_render.py",
    ROOT / "assessment" / "reports" / "models.py",
    ROOT / "assessment" / "reports" / "forms.py",
    ROOT / "templates" / "reports" / "_charts.html",
    *sorted((ROOT / "static" / "css").glob("*.css")),
]
COLOUR_LITERAL = re.compile(
    r"#[0-9a-fA-F]{8}\b|#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3,4}\b(?![-\w])"
    r"|\b(?:rgb|rgba|hsl|hsla)\(")
DECLARATION = re.compile(r"--([a-z0-9-]+):\s*([^;]+);")


def _without_comments(text: str, path: Path) -> str:
    if path.suffix == ".css":
        return re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    if path.suffix == ".py":
        return "\n".join(line.split("  #", 1)[0] for line in text.splitlines())
    return re.sub(r"\{#.*?#\}", "", text, flags=re.S)


def test_the_stylesheet_declares_exactly_the_tables_tokens() -> None:
    declared = dict(DECLARATION.findall(TOKENS_CSS.read_text(encoding="utf-8")))
    assert declared == {**design_tokens.COLOURS, **design_tokens.SPACING}


@pytest.mark.parametrize("path", [p for p in USERS if p != TOKENS_CSS],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_no_colour_is_written_outside_the_tokens(path: Path) -> None:
    text = _without_comments(path.read_text(encoding="utf-8"), path)
    found = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)
             if COLOUR_LITERAL.search(line)]
    assert not found, f"{path.relative_to(ROOT)} writes colours; use a token: {found}"


def test_the_literal_finder_finds_what_it_must() -> None:
    """The check above can fail: it sees hex colours of every length and colour functions,
    and not an anchor such as ``#contents`` or a URL fragment."""
    for text in ("fill: #0f5c8c;", "color:#fff;", "x #fafbfc", "rgba(0,0,0,.1)", "#0f5c8c80"):
        assert COLOUR_LITERAL.search(text), text
    for text in ('href="#contents"', "#summary", "var(--brand)", "#add-row"):
        assert not COLOUR_LITERAL.search(text), text


def test_every_stylesheet_var_names_a_token_or_its_own_property() -> None:
    """A ``var(--name)`` in a stylesheet refers to a token (a misspelt one would silently
    draw nothing), unless the stylesheet declares that property itself."""
    known = set(design_tokens.COLOURS) | set(design_tokens.SPACING)
    for path in (p for p in USERS if p.suffix == ".css"):
        text = _without_comments(path.read_text(encoding="utf-8"), path)
        own = {name for name, _value in DECLARATION.findall(text)}
        used = set(re.findall(r"var\(--([a-z0-9-]+)", text))
        assert used <= known | own, (path.name, sorted(used - known - own))


def test_charts_draw_in_the_token_colours() -> None:
    brand = design_tokens.colour("brand")
    radar = radar_svg(["a", "b", "c"], [Series("one", [10, 50, 90]), Series("two", [20, 30, 40])])
    assert f'fill="{brand}"' in radar and f'fill="{design_tokens.colour("accent")}"' in radar
    assert f'stroke="{design_tokens.colour("line")}"' in radar
    assert f'fill="{brand}"' in score_bar_svg(40)
    assert f'fill="{design_tokens.colour("track")}"' in score_bar_svg(None)
    assert f'fill="{brand}"' in histogram_svg([1, 2], ["x", "y"])


def test_box_plot_uses_the_brand_and_its_soft_tint() -> None:
    from assessment.benchmarks.stats import Distribution

    svg = box_plot_svg(Distribution(n=10, mean=52, median=50, q1=40, q3=60, p10=30, p90=70))
    assert f'fill="{design_tokens.colour("brand-soft")}"' in svg
    assert f'stroke="{design_tokens.colour("brand")}"' in svg


def test_a_reports_tokens_carry_the_issuers_brand() -> None:
    css = design_tokens.css_custom_properties(brand="#123456")
    assert "--brand: #123456;" in css
    assert f"--ink: {design_tokens.colour('ink')};" in css
    assert css.count("--brand:") == 1
    assert f"--brand: {design_tokens.colour('brand')};" in design_tokens.css_custom_properties()


def test_an_unknown_token_is_an_error_naming_it() -> None:
    with pytest.raises(KeyError, match="bramd"):
        design_tokens.colour("bramd")
