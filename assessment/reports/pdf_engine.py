"""PDF rendering with WeasyPrint, locked down.

A report's HTML carries text that users wrote (names, comments, a consultancy's logo). The
default WeasyPrint fetcher would follow any URL in it: read local files (``file:``), reach
internal hosts, embed attachments. Ours fetches only ``data:`` URLs and the app's own report
assets through an internal ``asset:`` scheme; everything else is refused and logged, and the
report renders without it.

Fonts: the report font (:mod:`assessment.reports.fonts`, Noto Sans CJK SC cut down at install,
loaded through ``@font-face`` from the asset folder), then Noto Sans CJK from fontconfig, named
explicitly in the CSS on ``html`` and ``@page``; with ``libharfbuzz-subset0`` installed
WeasyPrint embeds subsets. One ``FontConfiguration`` and the prebuilt ``CSS`` are reused across
renders (the latter per issuer stylesheet, the design tokens written in:
:func:`stylesheets_for`), and so are the laid-out pages of a report's static part (its
methodology appendix, :mod:`assessment.reports.static_part`).
"""

from __future__ import annotations

import base64
import binascii
import gc
import hashlib
import logging
import mimetypes
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urlsplit

import weasyprint
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

from assessment.reports import fonts, static_part
from tenants.storage import FileStore, StoredFileMissing

log = logging.getLogger(__name__)

ASSET_SCHEME = "asset"
ASSET_ROOT = Path(__file__).resolve().parents[2] / "static" / "reports"
DATA_URL_LIMIT = 5 * 1024 * 1024  # a logo or chart, not a payload


class RefusedURL(URLFetchingError):
    """A URL outside what reports may load; WeasyPrint skips the resource."""


class LockedDownFetcher(URLFetcher):
    """Fetches ``data:`` URLs and files under the report asset folder; nothing else."""

    def __init__(self, asset_root: Path = ASSET_ROOT) -> None:
        super().__init__(allowed_protocols=("data", ASSET_SCHEME), allow_redirects=False)
        self.asset_root = asset_root.resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._data(url)
        if scheme == ASSET_SCHEME:
            return self._asset(url)
        return self._refuse(url)

    def _refuse(self, url: str) -> URLFetcherResponse:
        self.refused.append(url)
        log.warning("report tried to load a refused URL", extra={"reason": url[:200]})
        raise RefusedURL(f"refused: {url[:200]}")

    def _data(self, url: str) -> URLFetcherResponse:
        header, _, payload = url[5:].partition(",")
        if len(payload) > DATA_URL_LIMIT:
            return self._refuse(url[:64])
        media_type, *params = header.split(";")
        try:
            body = (base64.b64decode(payload, validate=False) if "base64" in params
                    else unquote_to_bytes(payload))
        except (binascii.Error, ValueError):
            return self._refuse(url[:64])
        return URLFetcherResponse(url, body, {"Content-Type": media_type or "text/plain"})

    def _asset(self, url: str) -> URLFetcherResponse:
        relative = unquote(urlsplit(url).path).lstrip("/")
        path = (self.asset_root / relative).resolve()
        if not path.is_relative_to(self.asset_root) or not path.is_file():
            return self._refuse(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


_fonts_lock = threading.Lock()
_kept_pages = static_part.KeptPages()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one render.

    A render allocates some hundred thousand boxes and style objects, which sets off a few
    hundred collections, each walking every object of the (large) application process:
    measured at a quarter of a warm render's time. Reference counting still frees almost
    everything at once; the cycles left over are collected after the render.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@cache
def font_configuration() -> FontConfiguration:
    return FontConfiguration()


def _stylesheet(text: str) -> weasyprint.CSS:
    return weasyprint.CSS(string=text, base_url=f"{ASSET_SCHEME}:/",
                          font_config=font_configuration(), url_fetcher=LockedDownFetcher())


@cache
def font_faces() -> weasyprint.CSS:
    """The report font's ``@font-face`` rules, parsed (and the font registered) once."""
    return _stylesheet(fonts.font_face_css(f"{ASSET_SCHEME}:/fonts/"))


@cache
def base_stylesheet() -> weasyprint.CSS:
    """report.css as written (its colours ``var(--token)``), parsed once."""
    return _stylesheet((ASSET_ROOT / "report.css").read_text(encoding="utf-8"))


_ROOT_RULE = re.compile(r"\s*:root\s*\{((?:\s*--[\w-]+\s*:[^;{}]+;)*)\s*\}\s*")
_DECLARATION = re.compile(r"(--[\w-]+)\s*:\s*([^;{}]+?)\s*;")
_VARIABLE = re.compile(r"var\(\s*(--[\w-]+)\s*\)")


def _custom_properties(css: str) -> dict[str, str] | None:
    """The declarations of ``css`` when it is one ``:root`` rule of custom properties with
    plain values (what ``report_render.brand_css`` writes), else None."""
    rule = _ROOT_RULE.fullmatch(css)
    if rule is None:
        return None
    values = dict(_DECLARATION.findall(rule.group(1)))
    if any("(" in value and not value.startswith(("rgb(", "rgba(")) for value in values.values()):
        return None  # a url(), a var() or a function the tokens never hold: used as written
    return values


@lru_cache(maxsize=16)
def stylesheets_for(extra_css: str) -> tuple[weasyprint.CSS, ...]:
    """The stylesheets of a render with ``extra_css`` (an issuer's colours), parsed once per
    issuer stylesheet.

    When ``extra_css`` is only the design tokens as custom properties (as every report's is),
    their values are written into report.css in place of its ``var()``: WeasyPrint resolves a
    ``var()`` afresh for each element and property that uses it (some 1,700 per report, 4 % of
    a render). Any other stylesheet, or a ``var()`` it does not define, is used as written.
    """
    report_css = (ASSET_ROOT / "report.css").read_text(encoding="utf-8")
    values = _custom_properties(extra_css) if extra_css else None
    if values is not None:
        resolved = _VARIABLE.sub(lambda found: values.get(found.group(1), found.group(0)),
                                 report_css)
        if "var(" not in resolved:
            return (font_faces(), _stylesheet(resolved))
    sheets = [font_faces(), base_stylesheet()]
    if extra_css:
        sheets.append(_stylesheet(extra_css))
    return tuple(sheets)


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    refused_urls: tuple[str, ...]


def render_pdf(html: str, extra_css: str = "", *, uncompressed: bool = False) -> RenderedPdf:
    """Render report HTML (title, author and lang taken from its <head> and <html>).

    ``uncompressed`` keeps PDF objects readable, for inspection in tests.
    """
    fetcher = LockedDownFetcher()
    stylesheets = list(stylesheets_for(extra_css))

    def layout(source: str) -> Document:
        return weasyprint.HTML(string=source, base_url=f"{ASSET_SCHEME}:/",
                               url_fetcher=fetcher).render(stylesheets=stylesheets,
                                                           font_config=font_configuration())

    # FontConfiguration is not documented as thread-safe; renders share it (and the kept
    # pages), so serialise. The laid-out document is a temporary, released before the
    # collector runs again: kept past that point (in a local), a process rendering one report
    # after another grew from 140 MB to over 500 MB in 30 reports.
    with _fonts_lock, _collector_paused():
        pdf = static_part.laid_out(html, extra_css, layout, _kept_pages).write_pdf(
            uncompressed_pdf=uncompressed)
    assert pdf is not None
    return RenderedPdf(pdf, tuple(fetcher.refused))


def content_key(*parts: str) -> str:
    """The cache key of a report: the hash of everything that goes into it."""
    digest = hashlib.sha256()
    digest.update(weasyprint.__version__.encode())
    digest.update((ASSET_ROOT / "report.css").read_bytes())
    digest.update(fonts.SPEC_FILE.read_bytes())
    for part in parts:
        digest.update(b"\0")
        digest.update(part.encode("utf-8"))
    return digest.hexdigest()


class PdfCache:
    """PDFs by content key in the ``reports`` file store (:mod:`tenants.storage`: a local
    directory, or object storage shared by every node): a report is rendered again only
    when its content changes. Keys start with the issuing tenant's id, so that a cached file
    can never be served across tenants even if a key were guessed.

    A render job's state lives beside its PDF: ``<key>.pending`` (created only if absent,
    decided by the store, so of two requests on two nodes one starts the render) and
    ``<key>.failed`` (holding the reason).
    """

    def __init__(self, store: FileStore):
        self.store = store

    @staticmethod
    def _key(tenant_key: str, key: str, kind: str = "pdf") -> str:
        if not key.isalnum() or not tenant_key.replace("-", "").isalnum():
            raise ValueError("bad cache key")
        return f"{tenant_key}/{key}.{kind}"

    def get(self, tenant_key: str, key: str) -> bytes | None:
        try:
            with self.store.open(self._key(tenant_key, key)) as handle:
                return handle.read()
        except StoredFileMissing:
            return None

    def put(self, tenant_key: str, key: str, pdf: bytes) -> None:
        self.store.put(self._key(tenant_key, key), pdf)  # atomic: never half a PDF

    def claim(self, tenant_key: str, key: str, kind: str = "pending") -> bool:
        """Create the marker only if it does not exist yet."""
        return self.store.put_new(self._key(tenant_key, key, kind), b"")

    def marker_age(self, tenant_key: str, key: str, kind: str) -> float | None:
        """Seconds since the marker was written, or None when there is none."""
        try:
            return time.time() - self.store.modified(self._key(tenant_key, key, kind))
        except StoredFileMissing:
            return None

    def read_marker(self, tenant_key: str, key: str, kind: str) -> str:
        try:
            with self.store.open(self._key(tenant_key, key, kind)) as handle:
                return handle.read().decode("utf-8").strip()
        except StoredFileMissing:
            return ""

    def write_marker(self, tenant_key: str, key: str, kind: str, text: str) -> None:
        self.store.put(self._key(tenant_key, key, kind), text.encode("utf-8"))

    def remove_marker(self, tenant_key: str, key: str, kind: str) -> None:
        self.store.delete(self._key(tenant_key, key, kind))


def render_pdf_bytes(html: str, extra_css: str = "") -> bytes:
    """:func:`render_pdf`'s bytes: what a rendering process (:mod:`.workers`) runs."""
    return render_pdf(html, extra_css).content


def warm_up() -> None:
    """Load fonts and parse the stylesheet once, when a rendering process starts."""
    font_faces()
    base_stylesheet()
