"""Both file-store backends behave the same: the local directory and an S3-compatible
object store (a real moto server over HTTP)."""

from __future__ import annotations

import secrets
import uuid
from pathlib import Path
from typing import Any

import pytest

from tenants.storage import (
    FileStore,
    LocalDirectoryStore,
    S3Store,
    StoredFileMissing,
    check_key,
)


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> FileStore:
    if request.param == "local":
        return LocalDirectoryStore(str(tmp_path / "files"))
    client = request.getfixturevalue("s3_client")
    return S3Store(client, request.getfixturevalue("bucket"), "evidence")


def _key() -> str:
    return f"{uuid.uuid4()}/{secrets.token_hex(16)}"


def test_a_stored_file_reads_back_whole_with_its_size(store: FileStore) -> None:
    key, data = _key(), secrets.token_bytes(300_000)
    store.put(key, data)
    with store.open(key) as handle:
        assert handle.read() == data
    assert store.size(key) == len(data)


def test_a_file_stored_from_disk_reads_back(store: FileStore, tmp_path: Path) -> None:
    source = tmp_path / "report.zip"
    source.write_bytes(b"PK\x03\x04" + secrets.token_bytes(2_000_000))
    key = f"{secrets.token_hex(16)}.zip"
    store.put_file(key, str(source))
    with store.open(key) as handle:
        assert handle.read() == source.read_bytes()


def test_a_deleted_or_unknown_file_is_missing_and_deleting_twice_is_fine(
        store: FileStore) -> None:
    key = _key()
    store.put(key, b"x")
    store.delete(key)
    store.delete(key)
    with pytest.raises(StoredFileMissing):
        store.open(key)
    with pytest.raises(StoredFileMissing):
        store.size(_key())


def test_storing_again_under_a_key_replaces_the_file(store: FileStore) -> None:
    key = _key()
    store.put(key, b"first")
    store.put(key, b"second")
    with store.open(key) as handle:
        assert handle.read() == b"second"


# Fixed, not random: parallel test processes must collect the same test ids.
SOME_TENANT = uuid.UUID("d9441015-7ea5-4662-8425-4317766acd63")


@pytest.mark.parametrize("key", [
    "../../etc/passwd", "/etc/passwd", "evidence/../x", "a" * 32 + "/../b",
    f"{SOME_TENANT}/{'0' * 31}", f"{SOME_TENANT}/{'0' * 32}/x", "",
])
def test_a_key_that_is_not_ours_names_no_file(key: str, store: FileStore) -> None:
    with pytest.raises(StoredFileMissing):
        check_key(key)
    with pytest.raises(StoredFileMissing):
        store.open(key)
    with pytest.raises(StoredFileMissing):
        store.put(key, b"x")


def test_object_keys_sit_under_the_area_prefix(s3_client: Any, bucket: str) -> None:
    store = S3Store(s3_client, bucket, "reports")
    key = f"{secrets.token_hex(16)}.pdf"
    store.put(key, b"%PDF-1.7")
    listed = s3_client.list_objects_v2(Bucket=bucket)["Contents"]
    assert [item["Key"] for item in listed] == [f"reports/{key}"]


def test_a_local_store_leaves_no_partial_file_and_keeps_files_private(tmp_path: Path) -> None:
    store = LocalDirectoryStore(str(tmp_path / "files"))
    key = _key()
    store.put(key, b"data")
    path = tmp_path / "files" / key
    assert path.read_bytes() == b"data"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert not list((tmp_path / "files").rglob("*.part"))
