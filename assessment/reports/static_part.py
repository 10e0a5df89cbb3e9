"""A report's static part, laid out once per process and page position, its pages reused.

The methodology appendix of an enterprise report (levels, weights, the cohort rule and the
cohort used, factor sources, every formula with its bands) is the same text for every report
of one framework version, language, issuer and cohort, and laying it out is about a sixth of
a render. The template marks it, at the very end of the report::

    ...running footer...<!--cg:content-->...the report...
    <!--cg:static-part methodology--><section id="methodology">...</section><!--cg:/static-part-->
    </body></html>

and a render lays out only the report before it, joined to the appendix pages kept from an
earlier render with WeasyPrint's ``Document.copy``, its documented way of combining pages of
several documents into one PDF.

Page numbers stay exact with no arithmetic in CSS, by placeholder pages (``.page-placeholder``
in report.css: a page with nothing on it that never reaches the PDF):

- the report before the appendix is laid out followed by as many placeholders as the appendix
  has pages, the first carrying the appendix's id. Its ``counter(pages)`` is then the whole
  report's, and the contents' ``target-counter`` to the appendix is the appendix's first page;
- kept appendix pages were laid out after as many placeholders as there are report pages
  before them, so their footers carry their own page numbers and the same total.

Kept pages are therefore keyed by everything that goes into them (the part's HTML, the head but
for the document's title and author, the running footer, the issuer's stylesheet) and by the
page they start on. The first report with a
given appendix renders whole, which tells how many pages the appendix has; the next lays out
the report before it and then the appendix alone, at its page, and keeps that; the ones after
lay out the report before the appendix only.

Anything unexpected (a marker missing, a placeholder not where it should be) renders the report
whole: reuse can make a render faster, never different. One rule for the templates: what the
static part's pages show must come from the key. A running header fed by ``string-set`` from the
report's body, say, would show the first enterprise's name on every later report's appendix.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from weasyprint.document import Document, Page

CONTENT_MARK = "<!--cg:content-->"
_STATIC_PART = re.compile(r"<!--cg:static-part ([A-Za-z][\w-]*)-->(.*?)<!--cg:/static-part-->",
                          re.DOTALL)
_CLOSING_ONLY = re.compile(r"\s*</body>\s*</html>\s*", re.IGNORECASE)
PLACEHOLDER = '<div class="page-placeholder"></div>'
_METADATA = re.compile(r"<title>.*?</title>|<meta name=[^>]*>", re.DOTALL | re.IGNORECASE)

Layout = Callable[[str], Document]


@dataclass(frozen=True)
class MarkedReport:
    """A report's HTML cut at its markers (see the module's docstring)."""

    preamble: str  # the head and the running footer: every part needs them
    before: str  # the report up to its static part
    static: str  # the static part
    closing: str  # what follows it: the closing tags only
    anchor: str  # the static part's id, on its first page

    @property
    def layout_preamble(self) -> str:
        """The preamble without the document's metadata (title, author), which lays nothing
        out: the title names the enterprise, and the appendix is the same for all of them."""
        return _METADATA.sub("", self.preamble)

    def key(self, extra_css: str) -> str:
        """What the static part's pages are made of, the page numbers aside."""
        digest = hashlib.sha256()
        for text in (self.layout_preamble, self.static, self.closing, extra_css):
            digest.update(text.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()

    def without_static(self, static_pages: int) -> str:
        """The report with placeholder pages in place of its static part."""
        first = f'<div class="page-placeholder" id="{self.anchor}"></div>'
        return self.preamble + self.before + first + PLACEHOLDER * (static_pages - 1) \
            + self.closing

    def static_alone(self, start: int) -> str:
        """The static part after ``start`` placeholder pages, where it begins in the report."""
        return self.layout_preamble + PLACEHOLDER * start + self.static + self.closing


def marked(html: str) -> MarkedReport | None:
    """The report cut at its markers, or None when it has none or they are out of place."""
    preamble, mark, body = html.partition(CONTENT_MARK)
    found = _STATIC_PART.search(body) if mark else None
    if found is None or not _CLOSING_ONLY.fullmatch(body[found.end():]):
        return None
    return MarkedReport(preamble=preamble + mark, before=body[:found.start()],
                        static=found.group(2), closing=body[found.end():],
                        anchor=found.group(1))


class KeptPages:
    """Laid-out pages of static parts by (content key, first page), the least recently used
    dropped beyond ``capacity``; and each part's page count by content key."""

    def __init__(self, capacity: int = 16) -> None:
        self.capacity = capacity
        self._pages: OrderedDict[tuple[str, int], tuple[Page, ...]] = OrderedDict()
        self._lengths: OrderedDict[str, int] = OrderedDict()

    def length(self, key: str) -> int | None:
        return self._lengths.get(key)

    def get(self, key: str, start: int) -> tuple[Page, ...] | None:
        pages = self._pages.get((key, start))
        if pages is not None:
            self._pages.move_to_end((key, start))
            self._lengths.move_to_end(key)
        return pages

    def keep(self, key: str, start: int, pages: tuple[Page, ...]) -> None:
        self._pages[(key, start)] = pages
        self._pages.move_to_end((key, start))
        self.note_length(key, len(pages))
        while len(self._pages) > self.capacity:
            self._pages.popitem(last=False)

    def note_length(self, key: str, pages: int) -> None:
        self._lengths[key] = pages
        self._lengths.move_to_end(key)
        while len(self._lengths) > self.capacity * 8:  # a number each: keep many more
            self._lengths.popitem(last=False)

    def clear(self) -> None:
        self._pages.clear()
        self._lengths.clear()


def laid_out(html: str, extra_css: str, layout: Layout, kept: KeptPages) -> Document:
    """The report's document, its static part's pages reused from ``kept`` when they can be.

    ``layout`` turns HTML into a laid-out document (same stylesheets, fonts and fetcher for
    every part). Not thread-safe: the caller serialises renders.
    """
    report = marked(html)
    if report is None:
        return layout(html)
    key = report.key(extra_css)
    static_pages = kept.length(key)
    if static_pages is None:
        return _whole(html, report.anchor, key, layout, kept)
    rest = layout(report.without_static(static_pages))
    start = len(rest.pages) - static_pages
    if first_page_of(rest, report.anchor) != start:
        return _whole(html, report.anchor, key, layout, kept)
    pages = kept.get(key, start)
    if pages is None:
        alone = layout(report.static_alone(start))
        if first_page_of(alone, report.anchor) != start or \
                len(alone.pages) - start != static_pages:
            return _whole(html, report.anchor, key, layout, kept)
        pages = tuple(alone.pages[start:])
        kept.keep(key, start, pages)
    return rest.copy([*rest.pages[:start], *pages])


def _whole(html: str, anchor: str, key: str, layout: Layout, kept: KeptPages) -> Document:
    """The report laid out whole, noting how many pages its static part (last in it) has.

    Its pages are not kept: they hold on to the whole report's layout (some 20 MB), where the
    part laid out alone, the next time, holds on to its own few pages only."""
    document = layout(html)
    start = first_page_of(document, anchor)
    if start is not None:
        kept.note_length(key, len(document.pages) - start)
    return document


def first_page_of(document: Document, anchor: str) -> int | None:
    """The index of the page that holds ``anchor`` (an element's id), if any does."""
    return next((index for index, page in enumerate(document.pages) if anchor in page.anchors),
                None)
