"""What an uploaded file really is, judged by its content alone (pure: no Flask).

The name and the content type the browser sends are the uploader's claims; neither is
trusted. PDF, PNG and JPEG are recognised by their magic bytes; XLSX and DOCX are zip
packages whose ``[Content_Types].xml`` declares the spreadsheet or word-processing main
part. Zip packages are inspected from their central directory with limits on the member
count, the declared uncompressed size and the compression ratio, so that a zip bomb is
refused before anything is inflated (only the small content-types part is ever read).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from enum import StrEnum


class Refusal(StrEnum):
    empty = "empty"
    too_large = "too_large"
    wrong_type = "wrong_type"
    zip_bomb = "zip_bomb"


class FileRefused(ValueError):
    def __init__(self, reason: Refusal):
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str


PDF = FileType("application/pdf", ".pdf", "PDF")
PNG = FileType("image/png", ".png", "PNG")
JPEG = FileType("image/jpeg", ".jpg", "JPEG")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ".xlsx", "XLSX")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                ".docx", "DOCX")
ALLOWED_TYPES = (PDF, PNG, JPEG, XLSX, DOCX)

_MAGIC = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
_ZIP_MAGIC = b"PK\x03\x04"
# The main-part content types of the two Office Open XML packages we accept. Macro-enabled
# variants (…macroEnabled.main+xml) are deliberately not among them.
_MAIN_PARTS = (
    (b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", XLSX),
    (b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
     DOCX),
)

MAX_ZIP_MEMBERS = 2000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100  # per member above 1 MB; real XLSX/DOCX stay far below
MAX_CONTENT_TYPES_BYTES = 256 * 1024


def detect(data: bytes, max_bytes: int) -> FileType:
    """The allowed type ``data`` is, or :class:`FileRefused` saying why not."""
    if not data:
        raise FileRefused(Refusal.empty)
    if len(data) > max_bytes:
        raise FileRefused(Refusal.too_large)
    for magic, file_type in _MAGIC:
        if data.startswith(magic):
            return file_type
    if data.startswith(_ZIP_MAGIC):
        return _office_package(data)
    raise FileRefused(Refusal.wrong_type)


def _office_package(data: bytes) -> FileType:
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused(Refusal.wrong_type) from None
    with package:
        members = package.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise FileRefused(Refusal.zip_bomb)
        total = 0
        for member in members:
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
                raise FileRefused(Refusal.zip_bomb)
        if total > MAX_ZIP_UNCOMPRESSED:
            raise FileRefused(Refusal.zip_bomb)
        try:
            info = package.getinfo("[Content_Types].xml")
        except KeyError:
            raise FileRefused(Refusal.wrong_type) from None
        if info.file_size > MAX_CONTENT_TYPES_BYTES or info.flag_bits & 0x1:
            raise FileRefused(Refusal.wrong_type)  # oversized or encrypted: not an Office file
        try:
            with package.open(info) as part:
                # Read at most the limit: the declared size may lie.
                content_types = part.read(MAX_CONTENT_TYPES_BYTES + 1)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError):
            raise FileRefused(Refusal.wrong_type) from None
    if len(content_types) > MAX_CONTENT_TYPES_BYTES:
        raise FileRefused(Refusal.zip_bomb)
    # A byte search rather than an XML parser: nothing is expanded, nothing is fetched.
    found = [file_type for marker, file_type in _MAIN_PARTS if marker in content_types]
    if len(found) != 1:
        raise FileRefused(Refusal.wrong_type)
    return found[0]
