"""The prioritisation matrix: expected gain in the overall score against effort, three by
three, as inline SVG that the page and the PDF both draw (fonts named by the page's CSS)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

from assessment.design_tokens import COLOURS
from assessment.plans.models import Band

# Overall-score points: below LOW a small step, from HIGH a large one (a level of one
# indicator of a heavy dimension is worth about one point overall).
LOW_GAIN = 0.5
HIGH_GAIN = 1.5
EFFORTS = (Band.low, Band.medium, Band.high)
IMPACTS = (Band.high, Band.medium, Band.low)  # top row first


def impact_band(gain: float | None) -> Band:
    if gain is None or gain < LOW_GAIN:
        return Band.low
    return Band.high if gain >= HIGH_GAIN else Band.medium


def is_quick_win(gain: float | None, effort: str) -> bool:
    """Worth at least a medium gain for a low effort: the matrix's top-left corner."""
    return effort == Band.low and impact_band(gain) != Band.low


def priority_key(gain: float | None, effort: str) -> tuple[int, float, int]:
    """Quick wins first, then the largest expected gain, then the least effort."""
    order = {Band.low.value: 0, Band.medium.value: 1, Band.high.value: 2}
    return (0 if is_quick_win(gain, effort) else 1, -(gain or 0.0), order.get(effort, 1))


@dataclass(frozen=True)
class Point:
    number: int  # the action's number in the list
    label: str
    gain: float | None
    effort: str


W, H, PAD_L, PAD_B, PAD_T = 420, 300, 64, 44, 12


def matrix_svg(points: Sequence[Point]) -> Markup:
    """The 3x3 grid with each action drawn as a numbered dot in its cell."""
    cell_w = (W - PAD_L - 8) / 3
    cell_h = (H - PAD_B - PAD_T) / 3
    band_names = {Band.low: _("Low"), Band.medium: _("Medium"), Band.high: _("High")}
    # Outside the f-strings below: message extraction does not read inside them.
    aria, quick_wins = _("Prioritisation: expected gain against effort"), _("Quick wins")
    effort_axis, gain_axis = _("Effort"), _("Expected gain")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="plan-matrix" '
             f'viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
             f'aria-label="{escape(aria)}">']
    for row, impact in enumerate(IMPACTS):
        for column, effort in enumerate(EFFORTS):
            x = PAD_L + column * cell_w
            y = PAD_T + row * cell_h
            quick = effort == Band.low and impact != Band.low
            fill = COLOURS["ok-bg"] if quick else (
                COLOURS["danger-bg"] if effort == Band.high and impact == Band.low
                else COLOURS["bg"])
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_w:.1f}" '
                         f'height="{cell_h:.1f}" fill="{fill}" stroke="{COLOURS["line"]}"/>')
    parts.append(f'<text x="{PAD_L + 6}" y="{PAD_T + 14}" font-size="10" '
                 f'fill="{COLOURS["ok"]}">'
                 f'{escape(quick_wins)}</text>')
    for column, effort in enumerate(EFFORTS):
        x = PAD_L + (column + 0.5) * cell_w
        parts.append(f'<text x="{x:.1f}" y="{H - PAD_B + 16}" font-size="11" '
                     f'text-anchor="middle">{escape(band_names[effort])}</text>')
    parts.append(f'<text x="{PAD_L + 1.5 * cell_w:.1f}" y="{H - 6}" font-size="11" '
                 f'text-anchor="middle">{escape(effort_axis)}</text>')
    for row, impact in enumerate(IMPACTS):
        y = PAD_T + (row + 0.5) * cell_h + 4
        parts.append(f'<text x="{PAD_L - 6}" y="{y:.1f}" font-size="11" '
                     f'text-anchor="end">{escape(band_names[impact])}</text>')
    parts.append(f'<text x="14" y="{PAD_T + 1.5 * cell_h:.1f}" font-size="11" '
                 f'text-anchor="middle" transform="rotate(-90 14 {PAD_T + 1.5 * cell_h:.1f})">'
                 f'{escape(gain_axis)}</text>')
    # Dots in a cell are laid out on a small grid so that numbers never overlap.
    slots: dict[tuple[int, int], int] = {}
    for point in points:
        effort = Band(point.effort) if point.effort in {b.value for b in Band} else Band.medium
        column = EFFORTS.index(effort)
        row = IMPACTS.index(impact_band(point.gain))
        n = slots.get((row, column), 0)
        slots[(row, column)] = n + 1
        per_row = max(1, int((cell_w - 12) // 24))
        cx = PAD_L + column * cell_w + 16 + (n % per_row) * 24
        cy = PAD_T + row * cell_h + 30 + (n // per_row) * 22
        if cy > PAD_T + (row + 1) * cell_h - 8:
            continue  # a crowded cell: the list below names every action anyway
        parts.append(f'<g><title>{escape(point.label)}</title>'
                     f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="9" fill="{COLOURS["brand"]}"/>'
                     f'<text x="{cx:.1f}" y="{cy + 3.5:.1f}" font-size="9" '
                     f'fill="{COLOURS["on-brand"]}" '
                     f'text-anchor="middle">{point.number}</text></g>')
    parts.append("</svg>")
    # Every text in it went through escape() above; the rest is our own numbers.
    return Markup("".join(parts))  # noqa: S704
