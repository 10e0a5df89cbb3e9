"""Server-rendered SVG for the dashboard and the peers section (pure functions).

Like :mod:`assessment.results.charts`: deterministic output, escaped labels, no inline
styles or scripts (a strict Content-Security-Policy), ``class`` names for the stylesheet.
A box plot's whiskers reach the 10th and 90th percentiles: the lowest and highest figures
are one enterprise's, and are never drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from assessment.benchmarks.stats import Distribution
from assessment.design_tokens import colour
from assessment.results.charts import coordinate as _n  # the same rounding as the radar

INK, MUTED, LINE = colour("ink"), colour("muted"), colour("line")
BRAND, BRAND_DARK, BRAND_SOFT, ACCENT = (colour(n) for n in ("brand", "brand-dark", "brand-soft",
                                                             "accent"))


def _x(score: float, left: float, span: float) -> float:
    return left + span * max(0.0, min(100.0, float(score))) / 100


def box_plot_svg(summary: Distribution, *, width: int = 260, height: int = 30,
                 label: str = "") -> str:
    """One horizontal box on a 0-100 scale: whiskers p10-p90, box q1-q3, median line,
    mean dot."""
    left, span = 6.0, width - 12.0
    mid = height / 2
    p10, q1, med, q3, p90 = (_x(v, left, span) for v in
                             (summary.p10, summary.q1, summary.median, summary.q3,
                              summary.p90))
    mean = _x(summary.mean, left, span)
    text = label or (f"P10 {summary.p10:.1f} · Q1 {summary.q1:.1f} · "
                     f"median {summary.median:.1f} · Q3 {summary.q3:.1f} · "
                     f"P90 {summary.p90:.1f}")
    return "".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart box-plot" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f"aria-label={quoteattr(text)}>",
        f"<title>{escape(text)}</title>",
        f'<line class="box-axis" x1="{_n(left)}" y1="{_n(height - 2)}" '
        f'x2="{_n(left + span)}" y2="{_n(height - 2)}" stroke="{LINE}" stroke-width="1"/>',
        f'<line class="box-whisker" x1="{_n(p10)}" y1="{_n(mid)}" x2="{_n(p90)}" '
        f'y2="{_n(mid)}" stroke="{MUTED}" stroke-width="1"/>',
        f'<line class="box-whisker-end" x1="{_n(p10)}" y1="{_n(mid - 5)}" x2="{_n(p10)}" '
        f'y2="{_n(mid + 5)}" stroke="{MUTED}" stroke-width="1"/>',
        f'<line class="box-whisker-end" x1="{_n(p90)}" y1="{_n(mid - 5)}" x2="{_n(p90)}" '
        f'y2="{_n(mid + 5)}" stroke="{MUTED}" stroke-width="1"/>',
        f'<rect class="box-iqr" x="{_n(q1)}" y="{_n(mid - 8)}" width="{_n(max(q3 - q1, 1))}" '
        f'height="16" fill="{BRAND_SOFT}" stroke="{BRAND}" stroke-width="1"/>',
        f'<line class="box-median" x1="{_n(med)}" y1="{_n(mid - 8)}" x2="{_n(med)}" '
        f'y2="{_n(mid + 8)}" stroke="{BRAND_DARK}" stroke-width="2"/>',
        f'<circle class="box-mean" cx="{_n(mean)}" cy="{_n(mid)}" r="2.5" fill="{ACCENT}"/>',
        "</svg>",
    ])


def histogram_svg(counts: Sequence[int], labels: Sequence[str], *, width: int = 260,
                  height: int = 90, label: str = "") -> str:
    """Vertical bars, one per bin, with each count above its bar and the bin's label
    below it."""
    if len(counts) != len(labels):
        raise ValueError("one label per bin")
    top, bottom = 14.0, 16.0
    plot = height - top - bottom
    slot = width / max(len(counts), 1)
    highest = max(counts) if counts and max(counts) > 0 else 1
    text = label or ", ".join(f"{name}: {count}" for name, count in zip(labels, counts,
                                                                         strict=True))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart histogram" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f"aria-label={quoteattr(text)}>",
        f"<title>{escape(text)}</title>",
        f'<g class="histogram-bars" fill="{BRAND}">',
    ]
    for i, count in enumerate(counts):
        bar = plot * count / highest
        x = i * slot + slot * 0.15
        out.append(f'<rect x="{_n(x)}" y="{_n(top + plot - bar)}" width="{_n(slot * 0.7)}" '
                   f'height="{_n(bar)}"><title>{escape(labels[i])}: {count}</title></rect>')
    out.append(f'</g><g class="histogram-labels" font-size="10" fill="{INK}" '
               'text-anchor="middle">')
    for i, count in enumerate(counts):
        centre = i * slot + slot / 2
        bar = plot * count / highest
        out.append(f'<text x="{_n(centre)}" y="{_n(top + plot - bar - 3)}">{count}</text>')
        out.append(f'<text x="{_n(centre)}" y="{_n(height - 4)}">{escape(labels[i])}</text>')
    out.append("</g></svg>")
    return "".join(out)
