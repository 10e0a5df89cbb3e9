"""Rendering processes for bulk runs.

A render is CPU-bound Python (WeasyPrint) and renders in one process are serialised anyway
(one shared ``FontConfiguration``, see :mod:`assessment.reports.rendering`), so a Huey worker's
threads cannot render two reports at once. A bulk run therefore hands the rendering to a
small pool of processes: the job's own process keeps everything that touches the database
(the link check, the figures, the HTML, the cache, the ZIP) and sends each report's HTML and
stylesheet to a worker, which sends back the PDF bytes.

Workers are *spawned*, not forked: a fork of a process with threads (the Huey consumer) and
open database connections could inherit a held lock or share a socket. A spawned worker
imports only the rendering module; its first render warms its fonts.
"""

from __future__ import annotations

from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from types import TracebackType

from assessment.reports.rendering import render_pdf

DEFAULT_WORKERS = 2


def _render(html: str, css: str) -> bytes:
    return render_pdf(html, css).content


class RenderPool:
    """``submit(html, css)`` → a future of the PDF bytes; in ``workers`` processes, or in this
    process when ``workers`` is 1 (or less)."""

    def __init__(self, workers: int = DEFAULT_WORKERS) -> None:
        self.workers = max(1, workers)
        self._executor: ProcessPoolExecutor | None = None
        if self.workers > 1:
            self._executor = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"))

    def submit(self, html: str, css: str) -> Future[bytes]:
        if self._executor is not None:
            return self._executor.submit(_render, html, css)
        done: Future[bytes] = Future()
        try:
            done.set_result(_render(html, css))
        except Exception as error:  # surfaced by result(), as from a worker
            done.set_exception(error)
        return done

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
