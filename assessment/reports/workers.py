"""Rendering processes: every PDF is rendered in a child process with a time and memory budget.

A render is CPU-bound Python (WeasyPrint) whose cost follows its input: a hostile logo or a
huge document could keep a process busy for minutes and grow it without limit. So no report
is rendered in the process that asked for it. A :class:`RenderWorker` is one long-lived child
process fed through a pipe:

- the child caps its own address space (``resource.setrlimit(RLIMIT_AS)``) before it imports
  anything, so an allocation past the cap is a ``MemoryError`` in the child (answered as such,
  after which the child exits) and never touches the parent;
- the parent waits for the answer at most the time budget; past it, the child is killed and
  the render fails alone, with its reason (:class:`RenderFailed`). The next render starts a
  new child;
- the child lives on between renders, so the per-process caches a warm render depends on (the
  ``FontConfiguration``, the parsed stylesheet, the kept appendix pages of
  :mod:`assessment.reports.static_part`) stay warm. The budget counts from the moment the
  render is sent, not the child's start-up.

Each process that renders keeps one such worker (:func:`renderer`); a bulk run adds
``REPORT_WORKERS`` of its own (:class:`RenderPool`) so that two members render at once.
Children are new interpreters (``python -m assessment.reports.workers``), not forks: a fork
of a process with threads (the Huey consumer, the job thread) and open database connections
could inherit a held lock or share a socket. Not ``multiprocessing``'s spawn either, which
runs the parent's main script again in the child (gunicorn's, pytest's, a bench's).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import queue
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_WORKERS = 2
DEFAULT_SECONDS = 60.0
DEFAULT_MEMORY_MB = 1536  # a full report peaks at ~330 MB of address space
STARTUP_SECONDS = 60.0  # importing WeasyPrint and loading fonts: seconds on a busy machine
# What the child calls: "module:function", taking (html, css) and returning PDF bytes. A
# module attribute so that tests can put a slow or greedy function in the child's place.
RENDER_TARGET = "assessment.reports.pdf_engine:render_pdf_bytes"
WARM_UP = "assessment.reports.pdf_engine:warm_up"
PROJECT_ROOT = Path(__file__).resolve().parents[2]


class RenderFailed(Exception):
    """A render that did not produce a PDF. ``reason``: ``timeout`` (over the time budget,
    killed), ``memory`` (over the memory cap), ``crashed`` (the child died) or ``error`` (the
    renderer raised)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class RenderBudget:
    seconds: float = DEFAULT_SECONDS
    memory_mb: int = DEFAULT_MEMORY_MB  # 0: no cap

    @classmethod
    def from_config(cls, config: Any) -> RenderBudget:
        return cls(float(config["REPORT_RENDER_SECONDS"] or DEFAULT_SECONDS),
                   int(config["REPORT_RENDER_MEMORY_MB"] or 0))


def _resolve(target: str) -> Callable[..., Any]:
    module, _, name = target.partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


def _child_main(connection: Connection, memory_mb: int, target: str, warm_up: str) -> None:
    """The child: cap memory, warm up, then render what arrives until the pipe closes."""
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        render = _resolve(target)
        _resolve(warm_up)()
    except BaseException as error:  # reported to the parent, which gives up on this child
        connection.send(("error", f"start-up: {type(error).__name__}: {error}"[:500]))
        return
    connection.send(("ready", ""))
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return  # the parent went away
        if job is None:
            return
        try:
            pdf = render(*job)
        except MemoryError:
            job = pdf = None
            connection.send(("memory", ""))
            return  # a process that ran out of memory may be in any state: start afresh
        except Exception as error:
            connection.send(("error", f"{type(error).__name__}: {error}"[:500]))
            continue
        connection.send(("ok", pdf))


class RenderWorker:
    """One long-lived rendering child; :meth:`render` sends it a report and waits, at most
    the budget. Thread-safe: renders through one worker are serialised."""

    def __init__(self, budget: RenderBudget, target: str | None = None) -> None:
        self.budget = budget
        self.target = target or RENDER_TARGET
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._connection: Connection | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _start(self) -> None:
        parent, child = Pipe()
        environment = dict(os.environ)
        # The child imports this very tree (and whatever the parent could import), wherever
        # it was started from.
        environment["PYTHONPATH"] = os.pathsep.join(
            [str(PROJECT_ROOT), *(path or os.getcwd() for path in sys.path)])
        process = subprocess.Popen(  # noqa: S603 - our own module, no shell, no user input
            [sys.executable, "-m", "assessment.reports.workers", str(child.fileno()),
             str(self.budget.memory_mb), self.target, WARM_UP],
            pass_fds=[child.fileno()], env=environment, stdin=subprocess.DEVNULL)
        child.close()
        self._process, self._connection = process, parent
        try:
            ready = parent.poll(STARTUP_SECONDS)
            kind, detail = parent.recv() if ready else ("timeout", "start-up")
        except (EOFError, OSError):
            kind, detail = "crashed", "start-up"
        if kind != "ready":
            self._stop()
            log.error("rendering process did not start", extra={"reason": detail})
            raise RenderFailed("memory" if "MemoryError" in detail else "crashed", detail)

    def _stop(self) -> None:
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if connection is not None:
            connection.close()
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)

    def _alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def render(self, html: str, css: str = "") -> bytes:
        with self._lock:
            if not self._alive():
                self._stop()
                self._start()
            connection = self._connection
            assert connection is not None
            started = time.monotonic()
            detail: Any = ""
            try:
                connection.send((html, css))
                answered = connection.poll(self.budget.seconds)
                kind, detail = connection.recv() if answered else ("timeout", "")
            except (EOFError, OSError):
                kind = "crashed"
            if kind == "ok":
                return bytes(detail)
            if kind == "error":
                raise RenderFailed("error", detail)
            exitcode = self._process.poll() if self._process is not None else None
            self._stop()  # over budget, out of memory or dead: the next render starts afresh
            log.warning("render stopped", extra={"reason": f"{kind} after "
                        f"{time.monotonic() - started:.1f} s (exit code {exitcode})"})
            raise RenderFailed(kind)

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                with contextlib.suppress(OSError):  # already gone: nothing to tell it
                    self._connection.send(None)
            self._stop()


_renderers: dict[tuple[RenderBudget, str], RenderWorker] = {}
_renderers_lock = threading.Lock()


def renderer(budget: RenderBudget) -> RenderWorker:
    """This process's rendering worker for ``budget`` (started at its first render)."""
    key = (budget, RENDER_TARGET)
    with _renderers_lock:
        worker = _renderers.get(key)
        if worker is None:
            worker = _renderers[key] = RenderWorker(budget, RENDER_TARGET)
        return worker


def close_renderers() -> None:
    with _renderers_lock:
        workers = list(_renderers.values())
        _renderers.clear()
    for worker in workers:
        worker.close()


class RenderPool:
    """``submit(html, css)`` → a future of the PDF bytes, rendered by ``workers`` rendering
    processes at once (each with the budget); with one, by this process's own worker."""

    def __init__(self, workers: int = DEFAULT_WORKERS, budget: RenderBudget | None = None
                 ) -> None:
        self.workers = max(1, workers)
        self.budget = budget or RenderBudget()
        self._own = self.workers > 1
        self._idle: queue.Queue[RenderWorker] = queue.Queue()
        for _ in range(self.workers):
            self._idle.put(RenderWorker(self.budget) if self._own else renderer(self.budget))
        self._threads = ThreadPoolExecutor(self.workers, thread_name_prefix="render-pool")

    def _render(self, html: str, css: str) -> bytes:
        worker = self._idle.get()
        try:
            return worker.render(html, css)
        finally:
            self._idle.put(worker)

    def submit(self, html: str, css: str) -> Future[bytes]:
        return self._threads.submit(self._render, html, css)

    def close(self) -> None:
        self._threads.shutdown(wait=True, cancel_futures=True)
        if self._own:
            while not self._idle.empty():
                self._idle.get_nowait().close()

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


if __name__ == "__main__":  # a rendering child: fd, memory cap (MB), target, warm-up
    _child_main(Connection(int(sys.argv[1])), int(sys.argv[2]), sys.argv[3], sys.argv[4])
