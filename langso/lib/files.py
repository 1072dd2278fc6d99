"""What an uploaded document really is, by its content, not its name."""

import zipfile
from typing import IO, Literal

MAX_UPLOAD_DOCUMENT_BYTES = 20 * 1024 * 1024

Kind = Literal["pdf", "docx", "xlsx", "jpeg", "png", ""]

_SIGNATURES: tuple[tuple[bytes, Kind], ...] = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG", "png"),
)
_OFFICE_PARTS: tuple[tuple[str, Kind], ...] = (
    ("word/document.xml", "docx"),
    ("xl/workbook.xml", "xlsx"),
)


def kind_of(upload: IO[bytes]) -> Kind:
    """ "pdf", "docx", "xlsx", "jpeg" or "png" for an uploaded file, "" for anything else.

    An Office file is a zip: it is told by the part it must contain. The file is left
    at its start.
    """
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if not head.startswith(b"PK\x03\x04"):
        return ""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return ""
    finally:
        upload.seek(0)
    return next((kind for part, kind in _OFFICE_PARTS if part in names), "")
