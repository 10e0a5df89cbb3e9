"""Writes of evidence: attach a checked file to an indicator, remove it; confidence follows.

Rules enforced here: a file is accepted by what its content is (``sniff``), never by its
name or the browser's claim; it must fit EVIDENCE_MAX_BYTES; only someone who may edit the
indicator's page of an editable assessment attaches or removes files. Attaching makes the
indicator's confidence *documented* (a reviewer's *verified* is kept); removing the last
file of a documented indicator makes it *self-declared* again.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from typing import IO
from urllib.parse import quote

from flask_babel import lazy_gettext as _l

from assessment.assessments import answering
from assessment.assessments import queries as assessment_queries
from assessment.assessments.documents import framework_of
from assessment.assessments.models import Assessment, Confidence
from assessment.assessments.pages import page_of_indicator
from assessment.evidence import queries, sniff
from assessment.evidence.models import EvidenceFile
from assessment.evidence.storage import max_bytes, storage
from tenants import queries as platform_queries
from tenants.billing import entitlements
from tenants.db import after_commit, after_rollback, db
from tenants.errors import DomainError, NotFound
from tenants.models import Membership, User
from tenants.services import audit

ORIGINAL_NAME_MAX = 255


class EvidenceRefused(DomainError):
    status_code = 422

    def __init__(self, reason: sniff.Refusal, limit_bytes: int):
        super().__init__(refusal_message(reason, limit_bytes), "file")
        self.reason = reason


def refusal_message(reason: sniff.Refusal, limit_bytes: int) -> object:
    if reason == sniff.Refusal.empty:
        return _l("The file is empty.")
    if reason == sniff.Refusal.too_large:
        return _l("The file is larger than the limit of %(limit)s MB.",
                  limit=f"{limit_bytes / (1024 * 1024):g}")
    if reason == sniff.Refusal.zip_bomb:
        return _l("The file unpacks to an unreasonable size or number of parts and was "
                  "refused.")
    return _l("This type of file is not accepted. Attach a PDF, a PNG or JPEG image, an Excel "
              "workbook (XLSX) or a Word document (DOCX).")


# -- writes -------------------------------------------------------------------------------
def _require_editor(assessment: Assessment, membership: Membership, code: str) -> None:
    framework = framework_of(assessment)
    if code not in framework.indicators:
        raise NotFound(_l("Not found."))
    answering.require_page(assessment, membership, page_of_indicator(framework, code))


def read_limited(stream: IO[bytes], limit_bytes: int) -> bytes:
    """At most one byte more than the limit, so that an oversized file is recognised
    without reading all of it."""
    return stream.read(limit_bytes + 1)


def clean_original_name(name: str) -> str:
    """The uploaded name without any path, control characters or surrounding blanks."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name)
                   if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".") or "evidence"
    if len(name) > ORIGINAL_NAME_MAX:
        stem, ext = os.path.splitext(name)
        name = stem[: ORIGINAL_NAME_MAX - len(ext[:20])] + ext[:20]
    return name


def attach(assessment: Assessment, membership: Membership, user: User, code: str,
           original_name: str, stream: IO[bytes]) -> EvidenceFile:
    _require_editor(assessment, membership, code)
    tenant = platform_queries.tenant_by_id(assessment.tenant_id)
    assert tenant is not None
    entitlements.require(tenant, "evidence_storage")
    limit = max_bytes()
    data = read_limited(stream, limit)
    try:
        file_type = sniff.detect(data, limit)
    except sniff.FileRefused as refused:
        raise EvidenceRefused(refused.reason, limit) from None
    store = storage()
    tenant_id = assessment.tenant_id
    stored_name = store.save(tenant_id, data)
    # No row, no file: if this unit of work does not commit, the file goes too.
    after_rollback(lambda: store.delete(tenant_id, stored_name))
    evidence = EvidenceFile(
        assessment_id=assessment.id, indicator_code=code,
        original_name=clean_original_name(original_name), stored_name=stored_name,
        content_type=file_type.content_type, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), uploaded_by_id=user.id,
    )
    db.session.add(evidence)
    try:
        state = assessment_queries.indicator_state(assessment.id, code)
        if state is None or state.confidence == Confidence.self_declared:
            answering.set_confidence(assessment, code, Confidence.documented, user)
        audit.record("evidence.attached", tenant_id=assessment.tenant_id, subject=code,
                     file=evidence.original_name, type=file_type.label, size=len(data))
        db.session.flush()
    except Exception:
        store.delete(tenant_id, stored_name)  # at once: a caller may recover and commit
        raise
    return evidence


def remove(assessment: Assessment, membership: Membership, user: User,
           evidence: EvidenceFile) -> None:
    _require_editor(assessment, membership, evidence.indicator_code)
    code = evidence.indicator_code
    db.session.delete(evidence)
    db.session.flush()
    if not queries.files_of(assessment.id, code):
        state = assessment_queries.indicator_state(assessment.id, code)
        if state is not None and state.confidence == Confidence.documented:
            answering.set_confidence(assessment, code, Confidence.self_declared, user)
    audit.record("evidence.removed", tenant_id=assessment.tenant_id, subject=code,
                 file=evidence.original_name)
    tenant_id, stored_name = assessment.tenant_id, evidence.stored_name
    # The row goes with the commit; the file only once the commit has happened.
    after_commit(lambda: storage().delete(tenant_id, stored_name))


# -- downloads ----------------------------------------------------------------------------
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")


def download_name(evidence: EvidenceFile) -> str:
    """The name to offer: the uploaded stem with the extension of the detected type."""
    stem = os.path.splitext(evidence.original_name)[0] or "evidence"
    extension = next((t.extension for t in sniff.ALLOWED_TYPES
                      if t.content_type == evidence.content_type), "")
    return f"{stem}{extension}"


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback and the exact name in RFC 5987 form."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    stem, ext = os.path.splitext(ascii_name)
    stem = _UNSAFE_ASCII.sub("_", stem).strip("._") or "evidence"
    fallback = f"{stem}{_UNSAFE_ASCII.sub('', ext)}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
