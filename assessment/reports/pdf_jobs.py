"""A PDF render as a job: the request gathers, the job renders, the page polls.

A request for a PDF reads the report's figures and builds its HTML (what the preview does, a
fraction of a second) in its own transaction, and answers at once: with the PDF when the
content-keyed cache has it, otherwise with a page that polls the render's state. The render
itself is a job (:func:`render_report`) that touches no database at all: it sends the HTML to
this process's rendering worker (:mod:`assessment.reports.workers`, with its time and memory
budget) and writes the PDF into the cache. So no transaction, and on SQLite no write lock, is
held while a report renders.

The job's state lives beside the PDF in the ``reports`` file store (a local directory, or
object storage that every node shares), keyed like the PDF by the hash of its content:
``<key>.pending`` while queued or rendering (created only if absent, decided by the store, so
two requests for the same report start one render, on one node or several),
``<key>.failed`` holding the reason, kept
for :data:`FAILED_KEPT_SECONDS` so that a report that cannot render is not tried again on
every click. A changed report has a new key and renders afresh.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import gettext as _

from assessment.reports.report_render import PdfRequest, cache, render_budget, render_request
from assessment.reports.workers import RenderBudget, RenderFailed
from tenants import jobs
from tenants.jobs import app_task

log = logging.getLogger(__name__)

FAILED_KEPT_SECONDS = 600


class RenderState(StrEnum):
    none = "none"
    pending = "pending"
    done = "done"
    failed = "failed"


@dataclass(frozen=True)
class RenderStatus:
    state: RenderState
    reason: str = ""  # of a failure: timeout, memory, crashed, error


def _pending_is_stale(age: float, budget: RenderBudget) -> bool:
    """A pending marker older than any render could take: its job was lost (a worker that
    stopped, a queue flushed). Start-up plus the budget, with room for a queue ahead of it."""
    return age > 10 * (budget.seconds + 60)


def status(cache_tenant: str, key: str) -> RenderStatus:
    store = cache()
    if store.get(cache_tenant, key) is not None:
        return RenderStatus(RenderState.done)
    failed = store.marker_age(cache_tenant, key, "failed")
    if failed is not None and failed < FAILED_KEPT_SECONDS:
        return RenderStatus(RenderState.failed, store.read_marker(cache_tenant, key, "failed"))
    pending = store.marker_age(cache_tenant, key, "pending")
    if pending is not None and not _pending_is_stale(pending, render_budget()):
        return RenderStatus(RenderState.pending)
    return RenderStatus(RenderState.none)


def start(request: PdfRequest) -> RenderStatus:
    """Start rendering ``request`` unless it is rendered, rendering, or failed just now; its
    state afterwards (``done`` already where jobs run inline)."""
    found = status(request.cache_tenant, request.key)
    if found.state is not RenderState.none:
        return found
    if not _claim(request.cache_tenant, request.key):
        return RenderStatus(RenderState.pending)
    cache().remove_marker(request.cache_tenant, request.key, "failed")
    jobs.start(render_report, request.cache_tenant, request.key, request.html, request.css)
    return status(request.cache_tenant, request.key)


def _claim(cache_tenant: str, key: str) -> bool:
    """Create the pending marker only if absent (decided by the file store, on any node):
    of two requests for the same report, one starts the render. A marker left by a lost
    job (stale) is replaced once."""
    store = cache()
    for _attempt in range(2):
        if store.claim(cache_tenant, key, "pending"):
            return True
        age = store.marker_age(cache_tenant, key, "pending")
        if age is None:
            continue  # finished meanwhile: try once more
        if not _pending_is_stale(age, render_budget()):
            return False
        store.remove_marker(cache_tenant, key, "pending")
    return False


@app_task()
def render_report(cache_tenant: str, key: str, html: str, css: str) -> None:
    """Render one report into the cache, or leave the reason it failed. No database."""
    request = PdfRequest(html, css, key, cache_tenant)
    store = cache()
    try:
        render_request(request)
    except RenderFailed as failed:
        log.warning("report render failed", extra={"reason": failed.reason})
        store.write_marker(cache_tenant, key, "failed", failed.reason)
    except Exception:
        log.exception("report render failed")
        store.write_marker(cache_tenant, key, "failed", "error")
    finally:
        store.remove_marker(cache_tenant, key, "pending")


def failure_message(reason: str) -> str:
    """Why a render failed, for the reader, in their language."""
    budget = render_budget()
    if reason == "timeout":
        return _("Rendering this report took longer than %(seconds)s seconds and was stopped. "
                 "Try again in a few minutes; if it fails again, simplify the issuer's logo or "
                 "contact support.", seconds=f"{budget.seconds:g}")
    if reason == "memory":
        return _("Rendering this report needed more than %(mb)s MB of memory and was stopped. "
                 "Try again in a few minutes; if it fails again, simplify the issuer's logo or "
                 "contact support.", mb=budget.memory_mb)
    return _("This report could not be rendered. Try again in a few minutes.")
