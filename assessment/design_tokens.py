"""The product's design tokens: every colour and spacing step, in one table (pure data).

``static/css/tokens.css`` declares the same values as CSS custom properties (``--name``),
which the web stylesheet (``static/css/app.css``) and the report stylesheet
(``static/reports/report.css``) use through ``var(--name)``; the SVG charts
(``assessment/results/charts.py``, ``assessment/dashboard/charts.py``, the report's
``templates/reports/_charts.html``) and the matplotlib charts
(``assessment/reports/charts.py``) read this table. ``tests/unit/test_design_tokens.py``
keeps the two equal and finds any colour written anywhere else.

A PDF gets the tokens from :func:`css_custom_properties` (its stylesheet cannot fetch
``tokens.css``: the report's URL fetcher reads no files), with the issuer's brand colour.
"""

from __future__ import annotations

from types import MappingProxyType

COLOURS = MappingProxyType({
    # text, surfaces and rules
    "ink": "#1c2733",
    "muted": "#5b6b7a",
    "line": "#d9e1e8",
    "bg": "#f5f7f9",
    "card": "#ffffff",
    "on-brand": "#ffffff",  # text on a brand-coloured surface
    "field-border": "#b8c4ce",
    "head-bg": "#fafbfc",
    "track": "#eef2f5",  # an empty bar, a code's background, the report preview's desk
    "formula-bg": "#f3f6f9",
    "focus": "#9cc7e4",
    # the brand
    "brand": "#0f5c8c",
    "brand-dark": "#0a4468",
    "brand-tint": "#e6f1f8",
    "brand-soft": "#cfe3f0",  # a box plot's box
    # states
    "ok": "#1f7a4d",
    "ok-bg": "#effaf4",
    "ok-line": "#a6d8bd",
    "warn": "#9a6700",
    "warn-strong": "#8a5a00",
    "notice-bg": "#fff8e6",
    "notice-line": "#f0d48a",
    "comment-bg": "#fffaf0",
    "danger": "#b42318",
    "danger-bg": "#fdf0ef",
    "danger-line": "#f2b8b5",
    "info-bg": "#eef6fb",
    "review-bg": "#fbf8ee",
    "review-line": "#d8cfa6",
    # charts: series after the brand, and the five maturity levels from light to dark
    "accent": "#b26b00",
    "violet": "#8a3ffc",
    "level-1": "#dfe7ee",
    "level-2": "#c8d6e2",
    "level-3": "#a9c1d5",
    "level-4": "#86a8c4",
    "level-5": "#5f8db2",
    # shadows (colours with alpha)
    "shadow": "rgba(0, 0, 0, 0.08)",
    "shadow-strong": "rgba(0, 0, 0, 0.15)",
})

SPACING = MappingProxyType({
    "space-1": "0.25rem",
    "space-2": "0.5rem",
    "space-3": "0.8rem",
    "space-4": "1rem",
    "space-5": "1.5rem",
    "radius": "8px",
    "radius-small": "6px",
})

# Series of a chart in order: the first is always the brand.
SERIES = (COLOURS["brand"], COLOURS["accent"], COLOURS["ok"], COLOURS["violet"],
          COLOURS["danger"])
LEVELS = tuple(COLOURS[f"level-{n}"] for n in range(1, 6))


def colour(name: str) -> str:
    """A colour by its token name (a ``KeyError`` names an unknown token)."""
    return COLOURS[name]


def css_custom_properties(brand: str | None = None) -> str:
    """Every token as a ``:root`` rule of CSS custom properties; ``brand``, a validated
    ``#rrggbb``, replaces the brand colour (an issuer's reports)."""
    values = {**COLOURS, **SPACING}
    if brand is not None:
        values["brand"] = brand
    body = " ".join(f"--{name}: {value};" for name, value in values.items())
    return f":root {{ {body} }}\n"
