"""Where evidence files live: a small interface and its filesystem implementation.

Files are kept outside the web root (by default ``<instance>/evidence/<tenant_id>/``) under
random names, so nothing a user sends decides a path, and a file can only be reached
through the download view, which checks who is asking.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import uuid
from typing import BinaryIO, Protocol

from flask import current_app

_STORED_NAME = re.compile(r"^[0-9a-f]{32}$")


class EvidenceStorage(Protocol):
    def save(self, tenant_id: uuid.UUID, data: bytes) -> str:
        """Store ``data``; return the new random stored name."""

    def open(self, tenant_id: uuid.UUID, stored_name: str) -> BinaryIO:
        """The stored file for reading (raises FileNotFoundError when it is gone)."""

    def delete(self, tenant_id: uuid.UUID, stored_name: str) -> None:
        """Remove the stored file; a file already gone is not an error."""


class FilesystemStorage:
    def __init__(self, root: str):
        self.root = root

    def _path(self, tenant_id: uuid.UUID, stored_name: str) -> str:
        if not _STORED_NAME.match(stored_name):
            raise FileNotFoundError(stored_name)
        return os.path.join(self.root, str(uuid.UUID(str(tenant_id))), stored_name)

    def save(self, tenant_id: uuid.UUID, data: bytes) -> str:
        stored_name = secrets.token_hex(16)
        path = self._path(tenant_id, stored_name)
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        temporary = f"{path}.part"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)  # readers never see a half-written file
        return stored_name

    def open(self, tenant_id: uuid.UUID, stored_name: str) -> BinaryIO:
        return open(self._path(tenant_id, stored_name), "rb")

    def delete(self, tenant_id: uuid.UUID, stored_name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.remove(self._path(tenant_id, stored_name))


def evidence_root() -> str:
    configured = current_app.config.get("EVIDENCE_DIR")
    return str(configured or os.path.join(current_app.instance_path, "evidence"))


def storage() -> EvidenceStorage:
    """The app's storage: ``app.extensions["evidence_storage"]`` if set, else the filesystem
    under EVIDENCE_DIR (another backend, e.g. object storage, is installed there)."""
    installed: EvidenceStorage | None = current_app.extensions.get("evidence_storage")
    return installed or FilesystemStorage(evidence_root())


def max_bytes() -> int:
    return int(current_app.config.get("EVIDENCE_MAX_BYTES") or 20 * 1024 * 1024)
