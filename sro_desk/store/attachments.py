"""Evidence files stored inside the database, with their SHA-256, so one file holds the whole record."""

from __future__ import annotations

from pathlib import Path

from sro_desk.domain.attachments import AttachmentInfo, check_attachment, sha256_hex
from sro_desk.domain.errors import NotFound, ValidationError
from sro_desk.store.audit import audited_create
from sro_desk.store.foundation_records import AttachmentRecord


def _info(row: AttachmentRecord) -> AttachmentInfo:
    return AttachmentInfo(row.id, row.filename, row.mime_type, row.size, row.sha256)


def store_attachment(filename: str, data: bytes) -> AttachmentInfo:
    """Validate (PDF or image, ≤ 25 MB, content matches name) and store; returns its info."""
    mime = check_attachment(filename, data)
    row = audited_create(
        AttachmentRecord,
        filename=Path(filename).name,
        mime_type=mime,
        size=len(data),
        sha256=sha256_hex(data),
        data=data,
    )
    return _info(row)


def store_attachment_file(path: Path | str) -> AttachmentInfo:
    path = Path(path)
    try:
        if path.stat().st_size > 25 * 1024 * 1024:
            raise ValidationError(f"{path.name} is larger than 25 MB; attachments are limited to 25 MB.")
        data = path.read_bytes()
    except OSError as error:
        raise ValidationError(f"{path.name} could not be read: {error.strerror or error}.") from error
    return store_attachment(path.name, data)


def attachment_info(attachment_id: int) -> AttachmentInfo:
    row = (
        AttachmentRecord.select(
            AttachmentRecord.id, AttachmentRecord.filename, AttachmentRecord.mime_type,
            AttachmentRecord.size, AttachmentRecord.sha256,
        )
        .where(AttachmentRecord.id == attachment_id)
        .first()
    )
    if row is None:
        raise NotFound(f"Attachment {attachment_id} does not exist.")
    return _info(row)


def attachment_data(attachment_id: int) -> bytes:
    row = AttachmentRecord.get_or_none(AttachmentRecord.id == attachment_id)
    if row is None:
        raise NotFound(f"Attachment {attachment_id} does not exist.")
    return bytes(row.data)


def save_attachment_to(attachment_id: int, dest: Path | str) -> Path:
    from sro_desk.exports.atomic import write_bytes  # the shared writer: all or nothing

    return write_bytes(Path(dest), attachment_data(attachment_id))


def mismatched_attachments() -> list[AttachmentInfo]:
    """Attachments whose stored bytes no longer match their recorded SHA-256 (``check`` reports them)."""
    bad: list[AttachmentInfo] = []
    for row in AttachmentRecord.select().iterator():
        if sha256_hex(bytes(row.data)) != row.sha256 or len(bytes(row.data)) != row.size:
            bad.append(_info(row))
    return bad
