"""One template per report, rendered to HTML (the page preview) and to PDF (WeasyPrint).

The PDF is cached by the hash of everything that goes into it (the rendered HTML, the
issuer's stylesheet, WeasyPrint's version and the report stylesheet: see
:func:`~assessment.reports.pdf_engine.content_key`), so an unchanged report is served from
the file store and any change to a figure, a name, a translation or the branding renders it
again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale

from assessment import design_tokens
from assessment.reports import fonts
from assessment.reports.branding import BRAND_COLOUR, ReportBranding
from assessment.reports.models import DEFAULT_BRAND_COLOUR
from assessment.reports.pdf_engine import PdfCache, content_key
from assessment.reports.workers import RenderBudget, renderer
from tenants.storage import file_store

LOCALES = {"zh": "zh_CN", "en": "en"}


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    cached: bool  # served from the cache, not rendered


def locale_of(lang: str) -> str:
    return LOCALES.get(lang, "zh_CN")


def brand_css(branding: ReportBranding) -> str:
    """The design tokens as CSS variables, with the issuer's colour as the brand. Only a
    validated #RRGGBB ever reaches CSS; no user text is interpolated into a stylesheet."""
    colour = branding.brand_colour if BRAND_COLOUR.match(branding.brand_colour or "") else \
        DEFAULT_BRAND_COLOUR
    return design_tokens.css_custom_properties(brand=colour)


def report_html(template: str, report: Any, lang: str, *, for_pdf: bool,
                toolbar: list[tuple[str, str]] | None = None) -> str:
    """``template`` rendered in the report's language. ``for_pdf`` leaves out the browser's
    stylesheet link (the PDF gets the prebuilt stylesheet) and the preview's toolbar
    (``(label, url)`` pairs)."""
    with force_locale(locale_of(lang)):
        return render_template(template, report=report, for_pdf=for_pdf, lang=lang,
                               toolbar=toolbar or [], report_font=fonts.SVG_FAMILIES,
                               colours=design_tokens.COLOURS)


def cache() -> PdfCache:
    """Rendered reports live in the ``reports`` file store (``FILE_STORAGE``: local
    ``REPORTS_DIR``, by default ``instance/reports``, or object storage)."""
    return PdfCache(file_store("reports"))


@dataclass(frozen=True)
class PdfRequest:
    """A report ready to render: its HTML and stylesheet, and where its PDF is cached.

    Plain strings only, so that it can be sent to a rendering process (bulk runs)."""

    html: str
    css: str
    key: str
    cache_tenant: str

    def cached(self) -> bytes | None:
        return cache().get(self.cache_tenant, self.key)

    def store(self, pdf: bytes) -> None:
        cache().put(self.cache_tenant, self.key, pdf)


def pdf_request(template: str, report: Any, lang: str, branding: ReportBranding,
                cache_tenant: str) -> PdfRequest:
    html = report_html(template, report, lang, for_pdf=True)
    css = brand_css(branding)
    return PdfRequest(html, css, content_key(template, html, css), cache_tenant)


def render_budget() -> RenderBudget:
    """The time and memory a render may use (``REPORT_RENDER_SECONDS``, ``..._MEMORY_MB``)."""
    return RenderBudget.from_config(current_app.config)


def render_request(request: PdfRequest) -> ReportFile:
    """The PDF of ``request``: from the cache, else rendered by this process's rendering
    worker within the budget (raises :class:`~assessment.reports.workers.RenderFailed`).

    The caller holds no database transaction: a render takes seconds, and on SQLite an open
    transaction is the write lock every other request waits for."""
    found = request.cached()
    if found is not None:
        return ReportFile(found, cached=True)
    pdf = renderer(render_budget()).render(request.html, request.css)
    request.store(pdf)
    return ReportFile(pdf, cached=False)


def report_pdf(template: str, report: Any, lang: str, branding: ReportBranding,
               cache_tenant: str) -> ReportFile:
    """The PDF of ``report``: from the cache of ``cache_tenant`` when nothing in it changed."""
    return render_request(pdf_request(template, report, lang, branding, cache_tenant))
