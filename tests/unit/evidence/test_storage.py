"""Evidence files on a real local directory store (no database, no app): one folder per
tenant, random stored names, a file gone is not an error to delete; the size limit."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from flask import Flask

from assessment.evidence.storage import EvidenceStorage, max_bytes
from tenants.storage import LocalDirectoryStore


@pytest.fixture
def storage(tmp_path: Path) -> EvidenceStorage:
    return EvidenceStorage(LocalDirectoryStore(str(tmp_path)))


def test_a_saved_file_reads_back_under_its_tenant(storage: EvidenceStorage,
                                                   tmp_path: Path) -> None:
    tenant = uuid.uuid4()
    name = storage.save(tenant, b"%PDF-1.7 evidence")
    assert len(name) == 32 and int(name, 16) >= 0  # 16 random bytes, hex
    with storage.open(tenant, name) as stored:
        assert stored.read() == b"%PDF-1.7 evidence"
    assert (tmp_path / str(tenant) / name).read_bytes() == b"%PDF-1.7 evidence"
    assert storage.save(tenant, b"again") != name


def test_another_tenant_does_not_find_the_file(storage: EvidenceStorage) -> None:
    name = storage.save(uuid.uuid4(), b"secret")
    with pytest.raises(FileNotFoundError):
        storage.open(uuid.uuid4(), name)


def test_delete_removes_and_a_second_delete_is_quiet(storage: EvidenceStorage) -> None:
    tenant = uuid.uuid4()
    name = storage.save(tenant, b"x")
    storage.delete(tenant, name)
    with pytest.raises(FileNotFoundError):
        storage.open(tenant, name)
    storage.delete(tenant, name)


@pytest.mark.parametrize(("configured", "expected"), [(5_000_000, 5_000_000),
                                                      (0, 20 * 1024 * 1024),
                                                      (None, 20 * 1024 * 1024)])
def test_the_size_limit_comes_from_the_settings(configured, expected: int) -> None:
    app = Flask("evidence_limit")
    app.config["EVIDENCE_MAX_BYTES"] = configured
    with app.app_context():
        assert max_bytes() == expected
