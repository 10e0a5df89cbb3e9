"""Evidence stored in an S3-compatible object store: uploaded through the web, kept in the
bucket (nothing on local disk), downloaded with the same access checks, deleted with its
row; and FILE_STORAGE=s3 from configuration alone builds the same store."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from assessment.evidence.models import EvidenceFile
from tenants.storage import S3Store, file_store, install_stores
from tests.integration.assessment_review import factories
from tests.web.helpers import ENGLISH

CODE = "lean.on_time_delivery_rate"


@pytest.fixture
def evidence_in_s3(app: Flask, s3_client: Any, bucket: str, tmp_path: Path,
                   monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "local-evidence"))
    install_stores(app, {"evidence": S3Store(s3_client, bucket, "evidence")})
    yield bucket
    install_stores(app, {})


def _keys(s3_client: Any, bucket: str) -> list[str]:
    return [item["Key"] for item in s3_client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_evidence_round_trips_through_the_object_store(
        app, client, evidence_in_s3, s3_client, make_enterprise, make_assessment, sign_in,
        post, fetch, tmp_path):
    from tests.factories import owner_of

    enterprise = make_enterprise()
    assessment = make_assessment(enterprise)
    sign_in(owner_of(app, enterprise))
    response = post(f"/t/{enterprise.slug}/assessments/{assessment.id}/evidence",
                    {"indicator_code": CODE, "file": (io.BytesIO(factories.PDF), "log.pdf")},
                    headers=ENGLISH, content_type="multipart/form-data")
    assert response.status_code == 303
    [stored] = fetch(EvidenceFile, EvidenceFile.tenant_id == enterprise.id)
    assert _keys(s3_client, evidence_in_s3) == [f"evidence/{enterprise.id}/{stored.stored_name}"]
    assert not (tmp_path / "local-evidence").exists()  # nothing tied to this node's disk

    url = f"/t/{enterprise.slug}/assessments/{assessment.id}/evidence/{stored.id}"
    response = client.get(url)
    assert response.status_code == 200 and response.data == factories.PDF

    # Another tenant's member asking for the same file: 404, as with the local backend.
    other = make_enterprise()
    sign_in(owner_of(app, other))
    assert client.get(url).status_code == 404


def test_the_configuration_alone_selects_the_object_store(
        app, s3_endpoint, s3_client, bucket, monkeypatch):
    monkeypatch.setitem(app.config, "FILE_STORAGE", "s3")
    monkeypatch.setitem(app.config, "S3_BUCKET", bucket)
    monkeypatch.setitem(app.config, "S3_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setitem(app.config, "S3_REGION", "us-east-1")
    state = app.extensions["chaingauge_file_stores"]
    monkeypatch.setattr(state, "s3_client", None)
    with app.app_context():
        store = file_store("evidence")
        assert isinstance(store, S3Store)
        store.put("0" * 32, b"hello")
        assert _keys(s3_client, bucket) == ["evidence/" + "0" * 32]
