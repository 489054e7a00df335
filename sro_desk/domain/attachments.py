"""What may be attached as evidence: PDFs and images, checked by content rather than by name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from sro_desk.domain.errors import ValidationError

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".webp": "image/webp",
}


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    id: int
    filename: str
    mime_type: str
    size: int
    sha256: str


def sniff_mime(data: bytes) -> str | None:
    for signature, mime in _SIGNATURES:
        if data.startswith(signature):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_attachment(filename: str, data: bytes) -> str:
    """The MIME type of an acceptable attachment; raises ``ValidationError`` in words otherwise."""
    name = PurePath(filename).name or "the file"
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            f"{name} is {len(data) / 1024 / 1024:.1f} MB; attachments are limited to 25 MB."
        )
    if not data:
        raise ValidationError(f"{name} is empty.")
    expected = _EXTENSIONS.get(PurePath(filename).suffix.lower())
    if expected is None:
        raise ValidationError(f"{name} is not a PDF or an image (PDF, PNG, JPEG, GIF, TIFF, WebP).")
    actual = sniff_mime(data)
    if actual is None:
        raise ValidationError(f"{name} is named like a {expected.split('/')[1].upper()} file but its content is not one.")
    if actual != expected:
        raise ValidationError(
            f"{name} is named like a {expected.split('/')[1].upper()} file but is really a "
            f"{actual.split('/')[1].upper()} file. Rename it or choose the right file."
        )
    return actual


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
