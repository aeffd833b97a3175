"""What an uploaded file is, read from its first bytes: never from its name or from what the
browser claims. Pure: the caller reads the head of the file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str


PDF = FileType("application/pdf", ".pdf", "PDF")
JPEG = FileType("image/jpeg", ".jpg", "JPEG")
PNG = FileType("image/png", ".png", "PNG")

# Magic bytes of the types a dossier may carry (scans and electronic documents).
SIGNATURES: tuple[tuple[bytes, FileType], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
HEAD_BYTES = 8  # enough for every signature above


def sniff(head: bytes) -> FileType | None:
    """The type of a file starting with `head`, or None when it is none we accept."""
    for magic, file_type in SIGNATURES:
        if head.startswith(magic):
            return file_type
    return None
