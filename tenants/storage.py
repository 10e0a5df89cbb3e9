"""Where files live (evidence, generated reports): one small interface, two backends.

- ``local``: a directory on this machine (the embedded default). Enough for one node.
- ``s3``: an S3-compatible object store (AWS S3, MinIO, Ceph, OSS/COS in S3 mode) through
  boto3, so that every app and worker process of a deployment sees the same files.

A *file area* is a named namespace ("evidence", "reports"): with the local backend each
area is a directory of its own (``EVIDENCE_DIR``, ``REPORT_DIR`` keep working), with S3 a
key prefix in one bucket. Keys are ours, never a user's: they are checked against one
pattern so that no key can climb out of its area.

Downloads are streamed by the app through the same views as before, so every access check
stays where it is; the store never hands out a URL of its own.

Credentials for S3 come only from the environment (boto3's standard ``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, or an instance role), never from a config file.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Callable
from typing import Any, BinaryIO, Protocol

from flask import Flask, current_app

# "<tenant uuid>/<32 or 64 hex>" with an optional short extension, or a plain hex name
# (64 hex: a report's content key, the SHA-256 of everything that goes into it).
_KEY = re.compile(
    r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/)?"
    r"(?:[0-9a-f]{32}|[0-9a-f]{64})(?:\.[a-z0-9]{1,8})?$"
)
AREAS = ("evidence", "reports")
_EXTENSION_KEY = "chaingauge_file_stores"


class StoredFileMissing(FileNotFoundError):
    """The key names no stored file (it was never stored, or it was deleted)."""


def check_key(key: str) -> str:
    """``key`` if it is one of ours; anything else cannot name a file."""
    if not _KEY.match(key):
        raise StoredFileMissing(key)
    return key


class FileStore(Protocol):
    """A place for whole files, addressed by key. Writes are atomic: a reader sees the
    whole file or none of it."""

    def put(self, key: str, data: bytes) -> None: ...

    def put_file(self, key: str, path: str) -> None:
        """Store the local file at ``path`` (large files: not read into memory)."""

    def open(self, key: str) -> BinaryIO:
        """The stored file for reading; raises :class:`StoredFileMissing`."""

    def size(self, key: str) -> int:
        """The stored file's size in bytes; raises :class:`StoredFileMissing`."""

    def delete(self, key: str) -> None:
        """Remove the file; a file already gone is not an error."""

    def put_new(self, key: str, data: bytes) -> bool:
        """Store ``data`` only if no file has ``key`` yet (decided by the store: of two
        processes on two nodes, one creates it). False: it exists already."""

    def modified(self, key: str) -> float:
        """When the file was stored (seconds since the epoch); raises
        :class:`StoredFileMissing`."""


class LocalDirectoryStore:
    """Files under one directory, written through a temporary file and a rename."""

    def __init__(self, root: str):
        self.root = root

    def _path(self, key: str) -> str:
        return os.path.join(self.root, *check_key(key).split("/"))

    def _prepare(self, key: str) -> tuple[str, str]:
        path = self._path(key)
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        return path, f"{path}.part"

    def put(self, key: str, data: bytes) -> None:
        path, temporary = self._prepare(key)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)  # readers never see a half-written file

    def put_file(self, key: str, path: str) -> None:
        target, temporary = self._prepare(key)
        with open(path, "rb") as source, open(temporary, "wb") as handle:
            while chunk := source.read(1024 * 1024):
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)

    def open(self, key: str) -> BinaryIO:
        try:
            return open(self._path(key), "rb")
        except FileNotFoundError:
            raise StoredFileMissing(key) from None

    def size(self, key: str) -> int:
        try:
            return os.path.getsize(self._path(key))
        except FileNotFoundError:
            raise StoredFileMissing(key) from None

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.remove(self._path(key))

    def put_new(self, key: str, data: bytes) -> bool:
        path, _temporary = self._prepare(key)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return False
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        return True

    def modified(self, key: str) -> float:
        try:
            return os.path.getmtime(self._path(key))
        except FileNotFoundError:
            raise StoredFileMissing(key) from None


class S3Store:
    """Files as objects under ``prefix`` in one bucket of an S3-compatible store."""

    def __init__(self, client: Any, bucket: str, prefix: str):
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.rstrip("/") + "/"

    def _key(self, key: str) -> str:
        return self.prefix + check_key(key)

    def put(self, key: str, data: bytes) -> None:
        # A PUT is atomic in S3: the object appears whole or not at all.
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)

    def put_file(self, key: str, path: str) -> None:
        self.client.upload_file(path, self.bucket, self._key(key))

    def _missing(self, error: Exception) -> bool:
        code = str(getattr(error, "response", {}).get("Error", {}).get("Code", ""))
        return code in ("NoSuchKey", "404", "NotFound")

    def _object(self, call: Callable[..., Any], key: str) -> Any:
        """``call`` (get_object, head_object) on ``key``; a missing object is
        :class:`StoredFileMissing`, any other failure is the client's own."""
        try:
            return call(Bucket=self.bucket, Key=self._key(key))
        except Exception as error:
            if self._missing(error):
                raise StoredFileMissing(key) from None
            raise

    def open(self, key: str) -> BinaryIO:
        found = self._object(self.client.get_object, key)
        return io.BufferedReader(_StreamingFile(found["Body"]), buffer_size=64 * 1024)

    def size(self, key: str) -> int:
        return int(self._object(self.client.head_object, key)["ContentLength"])

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def put_new(self, key: str, data: bytes) -> bool:
        # S3 conditional write: the store refuses the PUT when the key exists (412).
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data,
                                   IfNoneMatch="*")
        except Exception as error:
            code = str(getattr(error, "response", {}).get("Error", {}).get("Code", ""))
            if code in ("PreconditionFailed", "412", "ConditionalRequestConflict"):
                return False
            raise
        return True

    def modified(self, key: str) -> float:
        return float(self._object(self.client.head_object, key)["LastModified"].timestamp())


class _StreamingFile(io.RawIOBase):
    """botocore's streaming body as a readable binary file (what ``wrap_file`` reads)."""

    def __init__(self, body: Any):
        self._body = body

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._body.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._body.close()
        super().close()


# -- configuration ------------------------------------------------------------------------
def _local_root(app: Flask, area: str) -> str:
    configured = app.config.get(f"{area.upper()}_DIR")
    return str(configured or os.path.join(app.instance_path, area))


def _s3_client(app: Flask) -> Any:
    import boto3  # only deployments with object storage need it loaded

    return boto3.client(
        "s3",
        endpoint_url=app.config.get("S3_ENDPOINT_URL") or None,
        region_name=app.config.get("S3_REGION") or None,
    )


def _store(app: Flask, area: str, state: _Stores) -> FileStore:
    installed = state.installed.get(area)
    if installed is not None:
        return installed
    backend = app.config.get("FILE_STORAGE") or "local"
    if backend == "local":
        # Built per call from the current config: cheap, and a changed *_DIR takes effect.
        return LocalDirectoryStore(_local_root(app, area))
    if backend == "s3":
        bucket = app.config.get("S3_BUCKET")
        if not bucket:
            raise RuntimeError("FILE_STORAGE=s3 needs S3_BUCKET")
        if state.s3_client is None:  # one client per app: it holds the connection pool
            state.s3_client = _s3_client(app)
        return S3Store(state.s3_client, bucket, area)
    raise RuntimeError(f"FILE_STORAGE must be 'local' or 's3', not {backend!r}")


class _Stores:
    def __init__(self) -> None:
        self.installed: dict[str, FileStore] = {}
        self.s3_client: Any = None


def init_app(app: Flask) -> None:
    """Check the backend choice at start-up; stores are made on use (no S3 client is
    made for a command that never touches a file)."""
    if (app.config.get("FILE_STORAGE") or "local") not in ("local", "s3"):
        raise RuntimeError("FILE_STORAGE must be 'local' or 's3'")
    app.extensions[_EXTENSION_KEY] = _Stores()


def file_store(area: str) -> FileStore:
    """The current app's store for ``area`` ("evidence" or "reports")."""
    if area not in AREAS:
        raise ValueError(f"unknown file area {area!r}")
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return _store(app, area, app.extensions[_EXTENSION_KEY])


def install_stores(app: Flask, stores: dict[str, FileStore]) -> None:
    """Use ``stores`` instead of the configured backend (tests against a live object
    store); an empty dict goes back to the configuration."""
    app.extensions[_EXTENSION_KEY].installed = dict(stores)
