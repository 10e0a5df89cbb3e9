"""A PDF render started from a request is queued in Redis (when configured) and rendered by
the worker: the request only leaves a pending marker, and the worker's run fills the cache."""

from __future__ import annotations

from pathlib import Path

from tenants import jobs
from tests.integration.test_jobs_and_redis import REDIS_URL, redis_db, restore_jobs  # noqa: F401

PAGE = '<html lang="en"><head><title>t</title></head><body><p>Queued report</p></body></html>'


def test_a_render_is_queued_in_redis_and_run_by_the_worker(fresh_app, redis_db,  # noqa: F811
                                                          restore_jobs, tmp_path: Path):  # noqa: F811
    from assessment.reports import pdf_jobs
    from assessment.reports.pdf_engine import content_key
    from assessment.reports.pdf_jobs import RenderState
    from assessment.reports.report_render import PdfRequest

    application = fresh_app(REDIS_URL=REDIS_URL, REPORTS_DIR=str(tmp_path / "reports"))
    assert jobs.huey.immediate is False
    request = PdfRequest(PAGE, "", content_key("test", PAGE),
                         "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa")
    with application.test_request_context():
        assert pdf_jobs.start(request).state is RenderState.pending
        assert pdf_jobs.start(request).state is RenderState.pending  # one job, not two
    assert jobs.huey.pending_count() == 1
    task = jobs.huey.dequeue()
    assert task is not None
    with application.app_context():
        jobs.huey.execute(task)
        assert pdf_jobs.status(request.cache_tenant, request.key).state is RenderState.done
        assert (request.cached() or b"").startswith(b"%PDF")
