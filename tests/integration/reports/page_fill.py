"""How full each page of a PDF is, measured with pdfplumber: the text and the drawn or
embedded images (words, images, rectangles, curves) inside the page's content box.

``vertical`` is the share of the content box's height covered by content (a line's gap to
the next is counted as filled when it is under ``GAP``: the blank between lines of a text is
part of the text); ``area`` the share of the content box's cells (2 mm squares) that content
touches. A page "two-thirds empty" has a vertical fill under a third.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

MM = 72 / 25.4
TOP, BOTTOM, SIDE = 20 * MM, 22 * MM, 16 * MM  # static/reports/report.css @page margins
GAP = 14.0  # points: closer than this, two objects belong to one block
CELL = 2 * MM


@dataclass(frozen=True)
class PageFill:
    number: int
    vertical: float
    area: float
    text: str  # the page's text (words joined by spaces)


def page_fills(pdf: bytes) -> list[PageFill]:
    import pdfplumber

    fills = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            x0, x1 = SIDE, float(page.width) - SIDE
            y0, y1 = TOP, float(page.height) - BOTTOM
            boxes = []
            words = page.extract_words()
            objects = [*words, *page.images, *page.rects, *page.curves]
            for obj in objects:
                top, bottom = float(obj["top"]), float(obj["bottom"])
                left, right = float(obj["x0"]), float(obj["x1"])
                top, bottom = max(top, y0), min(bottom, y1)
                left, right = max(left, x0), min(right, x1)
                if bottom <= top and right <= left:
                    continue
                if bottom < top or right < left:
                    continue
                # A full-page background or a hairline table rule is not content.
                if (right - left) * (bottom - top) > 0.9 * (x1 - x0) * (y1 - y0):
                    continue
                boxes.append((left, top, max(right, left + 0.5), max(bottom, top + 0.5)))
            covered, last = 0.0, None
            for top, bottom in sorted((b[1], b[3]) for b in boxes):
                if last is None or top > last[1] + GAP:
                    if last is not None:
                        covered += last[1] - last[0]
                    last = [top, bottom]
                else:
                    last[1] = max(last[1], bottom)
            if last is not None:
                covered += last[1] - last[0]
            cells = set()
            for left, top, right, bottom in boxes:
                for cx in range(int((left - x0) // CELL), int((right - x0) // CELL) + 1):
                    for cy in range(int((top - y0) // CELL), int((bottom - y0) // CELL) + 1):
                        cells.add((cx, cy))
            total = int((x1 - x0) // CELL + 1) * int((y1 - y0) // CELL + 1)
            fills.append(PageFill(number, round(covered / (y1 - y0), 3),
                                  round(len(cells) / total, 3),
                                  " ".join(str(w["text"]) for w in words)))
    return fills
