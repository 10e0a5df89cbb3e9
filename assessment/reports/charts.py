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
