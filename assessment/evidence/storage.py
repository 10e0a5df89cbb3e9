"""Where evidence files live: the platform's file store (``tenants.storage``), area
"evidence", under random names per tenant.

Files are kept outside the web root (locally ``EVIDENCE_DIR``, by default
``<instance>/evidence/<tenant_id>/``; in object storage under ``evidence/<tenant_id>/``),
so nothing a user sends decides a key, and a file can only be reached through the download
view, which checks who is asking.
"""

from __future__ import annotations

import secrets
import uuid
from typing import BinaryIO

from flask import current_app

from tenants.storage import FileStore, file_store


def _key(tenant_id: uuid.UUID, stored_name: str) -> str:
    return f"{uuid.UUID(str(tenant_id))}/{stored_name}"


class EvidenceStorage:
    """Evidence files of each tenant in the "evidence" file area."""

    def __init__(self, store: FileStore):
        self.store = store

    def save(self, tenant_id: uuid.UUID, data: bytes) -> str:
        """Store ``data``; return the new random stored name."""
        stored_name = secrets.token_hex(16)
        self.store.put(_key(tenant_id, stored_name), data)
        return stored_name

    def open(self, tenant_id: uuid.UUID, stored_name: str) -> BinaryIO:
        """The stored file for reading (raises FileNotFoundError when it is gone)."""
        return self.store.open(_key(tenant_id, stored_name))

    def delete(self, tenant_id: uuid.UUID, stored_name: str) -> None:
        """Remove the stored file; a file already gone is not an error."""
        self.store.delete(_key(tenant_id, stored_name))


def storage() -> EvidenceStorage:
    """Evidence storage of the current app, in the backend ``FILE_STORAGE`` chose."""
    return EvidenceStorage(file_store("evidence"))


def max_bytes() -> int:
    return int(current_app.config["EVIDENCE_MAX_BYTES"] or 20 * 1024 * 1024)
