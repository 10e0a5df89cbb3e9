"""Server-rendered SVG charts (pure functions: no Flask, no database).

The output is deterministic (fixed number formatting, no random ids), every label is
escaped, and the markup needs no inline styles or scripts, so it passes a strict
Content-Security-Policy and renders the same in a browser and in WeasyPrint. Presentation
attributes give a readable default; the ``class`` names let the stylesheet restyle them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from assessment.design_tokens import SERIES, colour

PALETTE = SERIES  # the series colours, brand first (assessment/design_tokens.py)
INK, MUTED, LINE, TRACK, BRAND = (colour(n) for n in ("ink", "muted", "line", "track", "brand"))


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # 0-100 per axis; None where there is no figure
    css_class: str = ""


def coordinate(number: float) -> str:
    """A coordinate with two decimals and no negative zero, the same on every platform."""
    text = f"{number:.2f}"
    return "0.00" if text == "-0.00" else text


_n = coordinate  # short, for the long SVG strings below


def _clamp(value: float | None) -> float:
    if value is None or math.isnan(value):
        return 0.0
    return max(0.0, min(100.0, float(value)))


def radar_svg(axes: list[str], series: list[Series], *, size: int = 420,
              title: str = "", rings: Sequence[int] = (20, 40, 60, 80, 100)) -> str:
    """A radar (spider) chart of ``series`` over ``axes``, scores 0-100 from the centre out.

    Points with no figure (None) are drawn at the centre and not marked; the legend lists
    the series in order. Needs at least three axes to enclose an area.
    """
    if len(axes) < 3:
        raise ValueError("a radar chart needs at least three axes")
    for one in series:
        if len(one.values) != len(axes):
            raise ValueError(f"series {one.name!r} has {len(one.values)} values "
                             f"for {len(axes)} axes")
    legend_height = 22 * len(series)
    # Room left and right for axis labels, so that none is clipped by the viewBox: a Chinese
    # name such as 供应链韧性和安全水平 is ten 12-px characters; an English one is wrapped.
    label_lines = [_wrap_label(name) for name in axes]
    side = max(0, max(_text_width(line) for lines in label_lines for line in lines) - 60)
    width = size + 2 * side
    centre_x, centre_y = width / 2, size / 2
    centre = centre_x
    radius = size / 2 - 80
    height = size + legend_height

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / len(axes)
        r = radius * value / 100
        return centre_x + r * math.cos(angle), centre_y + r * math.sin(angle)

    label = title or ", ".join(one.name for one in series)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart radar" role="img" '
        f'viewBox="0 0 {_n(width)} {height}" width="{_n(width)}" height="{height}" '
        f"aria-label={quoteattr(label)}>",
        f"<title>{escape(label)}</title>",
        f'<g class="radar-grid" fill="none" stroke="{LINE}" stroke-width="1">',
    ]
    for ring in rings:
        corners = " ".join(f"{_n(x)},{_n(y)}" for x, y in
                           (point(i, ring) for i in range(len(axes))))
        out.append(f'<polygon class="radar-ring" points="{corners}"/>')
    for i in range(len(axes)):
        x, y = point(i, 100)
        out.append(f'<line class="radar-axis" x1="{_n(centre_x)}" y1="{_n(centre_y)}" '
                   f'x2="{_n(x)}" y2="{_n(y)}"/>')
    out.append("</g>")
    out.append(f'<g class="radar-labels" font-size="12" fill="{INK}">')
    for i, lines in enumerate(label_lines):
        x, y = point(i, 114)
        anchor = "middle"
        if x < centre - 1:
            anchor = "end"
        elif x > centre + 1:
            anchor = "start"
        top = y + 4 - 7 * (len(lines) - 1)  # centre a two-line label on its point
        spans = "".join(
            f'<tspan x="{_n(x)}" dy="{0 if n == 0 else 14}">{escape(line)}</tspan>'
            for n, line in enumerate(lines))
        out.append(f'<text x="{_n(x)}" y="{_n(top)}" text-anchor="{anchor}">{spans}</text>')
    for ring in rings:
        x, y = point(0, ring)
        out.append(f'<text class="radar-tick" x="{_n(x + 4)}" y="{_n(y - 2)}" '
                   f'font-size="9" fill="{MUTED}">{ring}</text>')
    out.append("</g>")
    for n, one in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        css = " ".join(filter(None, ["radar-series", f"radar-series-{n}", one.css_class]))
        corners = " ".join(f"{_n(x)},{_n(y)}" for x, y in
                           (point(i, _clamp(v)) for i, v in enumerate(one.values)))
        out.append(f"<g class={quoteattr(css)}>")
        out.append(f'<polygon points="{corners}" fill="{colour}" fill-opacity="0.15" '
                   f'stroke="{colour}" stroke-width="2"><title>{escape(one.name)}</title>'
                   f"</polygon>")
        for i, value in enumerate(one.values):
            if value is None:
                continue
            x, y = point(i, _clamp(value))
            out.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3" fill="{colour}">'
                       f"<title>{escape(axes[i])}: {_n(float(value))}</title></circle>")
        out.append("</g>")
    out.append(f'<g class="radar-legend" font-size="12" fill="{INK}">')
    for n, one in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        y = size + 22 * n
        out.append(f'<rect x="20" y="{y}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="38" y="{y + 11}">{escape(one.name)}</text>')
    out.append("</g></svg>")
    return "".join(out)


def score_bar_svg(score: float | None, *, marks: Sequence[float] = (), width: int = 160,
                  height: int = 14, label: str = "") -> str:
    """A horizontal 0-100 bar for one score, with optional marks (e.g. level thresholds or
    a cohort's median). No figure draws only the empty track."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart score-bar" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f"aria-label={quoteattr(label or ('' if score is None else _n(score)))}>",
        f'<rect class="score-bar-track" x="0" y="0" width="{width}" height="{height}" '
        f'rx="3" fill="{TRACK}"/>',
    ]
    if score is not None:
        filled = width * _clamp(score) / 100
        out.append(f'<rect class="score-bar-fill" x="0" y="0" width="{_n(filled)}" '
                   f'height="{height}" rx="3" fill="{BRAND}"/>')
    for mark in marks:
        x = width * _clamp(mark) / 100
        out.append(f'<line class="score-bar-mark" x1="{_n(x)}" y1="0" x2="{_n(x)}" '
                   f'y2="{height}" stroke="{INK}" stroke-width="1"/>')
    out.append("</svg>")
    return "".join(out)


def _char_width(char: str) -> float:
    """Approximate advance of one character at font-size 12: CJK about one em, Latin half."""
    return 12.0 if ord(char) > 0x2E7F else 6.8


def _text_width(text: str) -> float:
    return sum(_char_width(c) for c in text)


def _wrap_label(name: str, max_width: float = 110.0) -> list[str]:
    """One line, or two split at the space nearest the middle when a name is too wide.
    Chinese names have no spaces and stay on one line (they are short)."""
    if _text_width(name) <= max_width or " " not in name:
        return [name]
    middle = len(name) / 2
    cut = min((i for i, c in enumerate(name) if c == " "), key=lambda i: abs(i - middle))
    return [name[:cut], name[cut + 1:]]
