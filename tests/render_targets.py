"""Render targets that tests put in a rendering child's place (``workers.RENDER_TARGET``).

They run in the child process, so they prove what the child's budget does to a render that
is slow, greedy or broken, and what the parent then sees."""

from __future__ import annotations

import time

SLOW_MARK = "RENDER-FOREVER"


def render(html: str, css: str = "") -> bytes:
    """Behaves by what the "report" says: slow, greedy, broken, or a tiny fake PDF."""
    if html == "slow":
        time.sleep(120)
    if html == "greedy":
        hoard = bytearray(1024 * 1024 * 1024)  # a gigabyte, far past the test's cap
        return bytes(hoard[:1])
    if html == "broken":
        raise ValueError("a renderer bug")
    return b"%PDF-fake " + html.encode()


def slow_when_marked(html: str, css: str = "") -> bytes:
    """The real renderer, except for a report that carries :data:`SLOW_MARK`, which never
    finishes (as a pathological document would not, in any useful time). It sleeps rather
    than spins: on a shared 2-core machine a spinning child would slow the other tenant's
    real render past the budget too, which would test the machine, not the isolation."""
    if SLOW_MARK in html:
        time.sleep(3600)
    from assessment.reports.pdf_engine import render_pdf_bytes

    return render_pdf_bytes(html, css)
