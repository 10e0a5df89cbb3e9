"""Distribution charts for reports, drawn with matplotlib as SVG (pure functions).

Text stays text (``svg.fonttype = "none"``), set in the report font, so Chinese labels
are searchable and the PDF embeds one subset font. Output is deterministic (a fixed hash
salt and no date), so an unchanged report hashes the same and is served from the cache.
Charts go into the page as ``data:`` URLs in ``<img>``: matplotlib's SVG carries a style
element, which the page's Content-Security-Policy would refuse inline.

Figures are built with ``matplotlib.figure.Figure`` (no pyplot global state, nothing to
close or leak) and results are memoised by their inputs.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from assessment.design_tokens import LEVELS, colour
from assessment.reports import fonts

BRAND = colour("brand")
LEVEL_COLOURS = LEVELS  # light to dark, level 1 to 5 (assessment/design_tokens.py)


@dataclass(frozen=True)
class Box:
    """One box: the cohort's p10, quartiles, median and p90 (never its minimum or maximum)."""

    label: str
    p10: float
    q1: float
    median: float
    q3: float
    p90: float


@cache
def _matplotlib() -> None:
    # matplotlib is imported lazily, here and in the chart functions: loading it takes a second
    # or more and tens of MB, and only processes that draw a report chart need it (a web
    # worker serving pages never does). Kept on purpose.
    import matplotlib
    from matplotlib import font_manager

    matplotlib.use("Agg")
    for _face, path in fonts.built_faces():  # measured in the font the PDF will use
        font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams.update({
        "svg.fonttype": "none",
        "svg.hashsalt": "chaingauge-report",
        "font.family": [fonts.FAMILY, fonts.FALLBACK, "DejaVu Sans"],
        "font.size": 9,
        "axes.edgecolor": colour("muted"),
        "axes.spines.top": False,
        "axes.spines.right": False,
    })


def _svg(figure: object) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None},  # type: ignore[attr-defined]
                   bbox_inches="tight")
    return buffer.getvalue()


def data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode()


@lru_cache(maxsize=256)
def box_plot(boxes: tuple[Box, ...], xlabel: str = "", width_in: float = 6.5) -> str:
    """Horizontal box plots (whiskers at p10 and p90, no outliers), first box on top."""
    _matplotlib()
    from matplotlib.figure import Figure  # lazy: see _matplotlib

    height = 0.6 + 0.32 * len(boxes)
    figure = Figure(figsize=(width_in, height))
    axes = figure.add_subplot()
    stats = [{"label": b.label, "whislo": b.p10, "q1": b.q1, "med": b.median, "q3": b.q3,
              "whishi": b.p90, "fliers": []} for b in reversed(boxes)]
    axes.bxp(stats, orientation="horizontal", showfliers=False, widths=0.55,
             patch_artist=True, boxprops={"facecolor": colour("brand-soft"), "edgecolor": BRAND},
             medianprops={"color": colour("danger"), "linewidth": 1.6},
             whiskerprops={"color": BRAND}, capprops={"color": BRAND})
    axes.set_xlim(0, 100)
    axes.set_xlabel(xlabel)
    axes.grid(axis="x", color=colour("track"))
    return data_url(_svg(figure))


@lru_cache(maxsize=64)
def level_distribution(labels: tuple[str, ...], counts: tuple[int, ...], ylabel: str = "") -> str:
    """Enterprises per level, as bars."""
    _matplotlib()
    from matplotlib.figure import Figure  # lazy: see _matplotlib

    figure = Figure(figsize=(6.0, 2.6))
    axes = figure.add_subplot()
    bars = axes.bar(range(len(labels)), counts, color=LEVEL_COLOURS[:len(labels)],
                    edgecolor=BRAND)
    axes.bar_label(bars, labels=[str(c) for c in counts], padding=2)
    axes.set_xticks(range(len(labels)), labels)
    axes.set_ylabel(ylabel)
    axes.set_ylim(0, max([*counts, 1]) * 1.2)
    return data_url(_svg(figure))


def boxes_from(rows: Sequence[tuple[str, object]]) -> tuple[Box, ...]:
    """Boxes from (label, Distribution) pairs, leaving out suppressed ones (None)."""
    found = []
    for label, dist in rows:
        if dist is None:
            continue
        found.append(Box(label, dist.p10, dist.q1, dist.median, dist.q3, dist.p90))  # type: ignore[attr-defined]
    return tuple(found)


@dataclass(frozen=True)
class Bar:
    """One indicator on a dimension's chart: its score and the cohort's median score."""

    label: str
    score: float | None
    median: float | None = None


@lru_cache(maxsize=512)
def indicator_bars_svg(bars: tuple[Bar, ...], title: str, median_label: str,
                       width: int = 640) -> str:
    """A dimension's indicators as horizontal score bars (0-100) coloured by level, with the
    cohort median as a tick: inline SVG drawn by hand, presentation attributes only.

    Drawn without matplotlib: a report has one per dimension, and a hand-written SVG of a
    few rectangles costs microseconds where a matplotlib figure costs tens of milliseconds."""
    from markupsafe import escape

    label_w, row_h, top = 210, 17, 6
    plot_w = width - label_w - 40
    height = top + row_h * len(bars) + 18
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart indicator-bars" '
             f'role="img" aria-label="{escape(title)}" font-family="{fonts.SVG_FAMILIES}" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">']
    for tick in range(0, 101, 20):
        x = label_w + plot_w * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="{top - 2}" x2="{x:.1f}" '
                     f'y2="{top + row_h * len(bars)}" stroke="{colour("track")}" '
                     f'stroke-width="0.6"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 4}" font-size="8" text-anchor="middle" '
                     f'fill="{colour("muted")}">{tick}</text>')
    for n, bar in enumerate(bars):
        y = top + row_h * n
        label = bar.label if len(bar.label) <= 22 else bar.label[:21] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 11.5}" font-size="8.5" '
                     f'text-anchor="end" fill="{colour("ink")}">{escape(label)}</text>')
        if bar.score is not None:
            level = min(4, int(bar.score // 20))
            w = max(1.0, plot_w * bar.score / 100)
            parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                         f'fill="{LEVEL_COLOURS[level]}" stroke="{BRAND}" stroke-width="0.4"/>')
            parts.append(f'<text x="{label_w + w + 3:.1f}" y="{y + 11.5}" font-size="8" '
                         f'fill="{colour("ink")}">{bar.score:.1f}</text>')
        else:
            parts.append(f'<text x="{label_w + 2}" y="{y + 11.5}" font-size="8" '
                         f'fill="{colour("muted")}">—</text>')
        if bar.median is not None:
            x = label_w + plot_w * bar.median / 100
            parts.append(f'<rect x="{x - 1:.1f}" y="{y + 1}" width="2" height="{row_h - 2}" '
                         f'fill="{colour("danger")}"/>')
    if any(bar.median is not None for bar in bars):
        parts.append(f'<rect x="4" y="{height - 11}" width="2" height="8" '
                     f'fill="{colour("danger")}"/><text x="9" y="{height - 4}" '
                     f'font-size="8" fill="{colour("muted")}">{escape(median_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
