"""Generated reports and their render state in an S3-compatible object store (moto's
server): PDFs by content key under the issuer's id, the pending marker created only if
absent (of two claims, on any node, one wins), the failure reason kept, and a render job
that runs on another process's store finding and writing the same objects."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tenants.storage import S3Store, install_stores

TENANT = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
PAGE = '<html lang="en"><head><title>t</title></head><body><p>Stored report</p></body></html>'


@pytest.fixture
def reports_in_s3(app: Flask, s3_client: Any, bucket: str) -> Any:
    install_stores(app, {"reports": S3Store(s3_client, bucket, "reports")})
    yield bucket
    install_stores(app, {})


def _keys(s3_client: Any, bucket: str) -> list[str]:
    return sorted(item["Key"] for item in
                  s3_client.list_objects_v2(Bucket=bucket).get("Contents", []))


def test_a_render_claims_stores_and_serves_through_the_object_store(
        app: Flask, reports_in_s3: str, s3_client: Any, tmp_path: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from assessment.reports import pdf_jobs
    from assessment.reports.pdf_engine import content_key
    from assessment.reports.pdf_jobs import RenderState
    from assessment.reports.report_render import PdfRequest, cache

    monkeypatch.setitem(app.config, "REPORTS_DIR", str(tmp_path / "local-reports"))
    request = PdfRequest(PAGE, "", content_key("s3", PAGE), TENANT)
    with app.test_request_context():
        store = cache()
        assert pdf_jobs.status(TENANT, request.key).state is RenderState.none
        # two nodes asking at once: the store lets one create the pending marker
        assert pdf_jobs._claim(TENANT, request.key)
        assert not pdf_jobs._claim(TENANT, request.key)
        assert pdf_jobs.status(TENANT, request.key).state is RenderState.pending
        assert _keys(s3_client, reports_in_s3) == [f"reports/{TENANT}/{request.key}.pending"]
        # the worker renders (inline here) into the store and clears the marker
        pdf_jobs.render_report.call_local(TENANT, request.key, request.html, request.css)
        assert _keys(s3_client, reports_in_s3) == [f"reports/{TENANT}/{request.key}.pdf"]
        assert pdf_jobs.status(TENANT, request.key).state is RenderState.done
        assert (store.get(TENANT, request.key) or b"").startswith(b"%PDF")
        # another tenant's id never reaches this PDF
        assert store.get("bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb", request.key) is None
        # a failure keeps its reason for the page
        store.write_marker(TENANT, "f" * 64, "failed", "timeout")
        failed = pdf_jobs.status(TENANT, "f" * 64)
        assert (failed.state, failed.reason) == (RenderState.failed, "timeout")
    assert not (tmp_path / "local-reports").exists()  # nothing on this node's disk


def test_a_bulk_zip_key_lives_under_the_association_in_the_object_store(
        app: Flask, reports_in_s3: str, s3_client: Any) -> None:
    import uuid

    from assessment.reports import tasks
    from tenants.storage import file_store

    job_id = uuid.uuid4()
    key = tasks.zip_key(uuid.UUID(TENANT), job_id)
    with app.app_context():
        file_store("reports").put(key, b"PK\x05\x06" + b"\0" * 18)
        assert file_store("reports").open(key).read().startswith(b"PK")
    assert _keys(s3_client, reports_in_s3) == [f"reports/{key}"]
