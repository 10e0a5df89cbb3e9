"""Uploaded file contents for the evidence tests: real magic bytes and Office packages,
and the hostile ones (an executable, a plain zip, a zip bomb). Pure bytes: no app needed."""

from __future__ import annotations

import io
import zipfile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64

_XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


def content_types(main: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{main}"/></Types>'
    ).encode()


def xlsx() -> bytes:
    return _zip({"[Content_Types].xml": content_types(_XLSX_MAIN),
                 "xl/workbook.xml": b"<workbook/>"})


def docx() -> bytes:
    return _zip({"[Content_Types].xml": content_types(_DOCX_MAIN),
                 "word/document.xml": b"<document/>"})


def plain_zip() -> bytes:
    return _zip({"notes.txt": b"hello"})


def zip_bomb() -> bytes:
    """An XLSX-looking package with one member that inflates a thousandfold."""
    return _zip({"[Content_Types].xml": content_types(_XLSX_MAIN),
                 "xl/sharedStrings.xml": b"\x00" * (8 * 1024 * 1024)})
