"""Training records read as domain objects and written through audited saves.

Rules that need the requirements catalog (what may be waived, what an on-the-job day must name)
are checked in ``sro_desk.services.training`` before these functions are called; this module keeps
the writes atomic and audited, and refuses what the database itself would get wrong.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sro_desk import clock
from sro_desk.domain.attachments import AttachmentInfo
from sro_desk.domain.dates import format_date
from sro_desk.domain.errors import NotFound, RuleViolation
from sro_desk.domain.training import (
    Delivery,
    EsdDocumentation,
    Provider,
    TrainingCompletion,
    TrainingWaiver,
)
from sro_desk.store.attachments import attachment_info, store_attachment
from sro_desk.store.audit import audited_create, audited_delete, audited_update
from sro_desk.store.base import database_proxy
from sro_desk.store.foundation_records import AttachmentRecord, StaffRecord
from sro_desk.store.training_records import (
    EsdDocumentationRecord,
    TrainingCompletionRecord,
    TrainingEvidenceRecord,
    TrainingWaiverRecord,
)


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """A file to attach: its name (for the type check and the record) and its bytes."""

    filename: str
    data: bytes


@dataclass(frozen=True, slots=True)
class CompletionInput:
    """What the completion dialog (or the group-entry dialog, once per person) collects."""

    staff_id: int
    requirement_code: str
    completed_on: dt.date
    provider: Provider
    provider_name: str = ""
    delivery: Delivery = Delivery.IN_PERSON
    hours: float | None = None
    notes: str = ""
    mentor: str = ""
    mentor_school: str = ""
    certificate_number: str = ""
    module_version: str = ""
    issuing_esd: str = ""


def _now() -> dt.datetime:
    return clock.now()


def _completion(row: TrainingCompletionRecord, evidence_count: int) -> TrainingCompletion:
    return TrainingCompletion(
        id=row.id,
        staff_id=row.staff_id,
        requirement_code=row.requirement_code,
        completed_on=row.completed_on,
        provider=Provider(row.provider_kind),
        provider_name=row.provider_name,
        delivery=Delivery(row.delivery),
        hours=row.hours,
        notes=row.notes,
        mentor=row.mentor,
        mentor_school=row.mentor_school,
        verified_by=row.verified_by,
        verified_at=row.verified_at,
        evidence_count=evidence_count,
        certificate_number=row.certificate_number,
        module_version=row.module_version,
        issuing_esd=row.issuing_esd,
    )


def _evidence_counts(completion_ids: Sequence[int] | None = None) -> dict[int, int]:
    from peewee import fn

    query = TrainingEvidenceRecord.select(
        TrainingEvidenceRecord.completion, fn.COUNT(TrainingEvidenceRecord.id).alias("n")
    ).group_by(TrainingEvidenceRecord.completion)
    if completion_ids is not None:
        query = query.where(TrainingEvidenceRecord.completion.in_(list(completion_ids)))
    return {row.completion_id: int(row.n) for row in query}


def list_completions(staff_id: int | None = None) -> list[TrainingCompletion]:
    """Completion records (all, or one person's), oldest first; two queries in all.

    Reads plain tuples rather than model instances: the matrix reads every record on each
    refresh, and building thousands of peewee objects is most of that cost.
    """
    t = TrainingCompletionRecord
    query = t.select(
        t.id, t.staff, t.requirement_code, t.completed_on, t.provider_kind, t.provider_name,
        t.delivery, t.hours, t.notes, t.mentor, t.mentor_school, t.verified_by, t.verified_at,
        t.certificate_number, t.module_version, t.issuing_esd,
    ).order_by(t.completed_on, t.id)
    if staff_id is not None:
        query = query.where(t.staff == staff_id)
    counts = _evidence_counts()
    providers = {p.value: p for p in Provider}
    deliveries = {d.value: d for d in Delivery}
    return [
        TrainingCompletion(
            id=cid, staff_id=sid, requirement_code=code, completed_on=completed_on,
            provider=providers[provider], provider_name=provider_name,
            delivery=deliveries[delivery], hours=hours, notes=notes, mentor=mentor,
            mentor_school=mentor_school, verified_by=verified_by, verified_at=verified_at,
            evidence_count=counts.get(cid, 0), certificate_number=certificate,
            module_version=module_version, issuing_esd=issuing_esd,
        )
        for (cid, sid, code, completed_on, provider, provider_name, delivery, hours, notes,
             mentor, mentor_school, verified_by, verified_at, certificate, module_version,
             issuing_esd) in query.tuples().iterator()
    ]


def _completion_row(completion_id: int) -> TrainingCompletionRecord:
    row = TrainingCompletionRecord.get_or_none(TrainingCompletionRecord.id == completion_id)
    if row is None:
        raise NotFound(f"Training record {completion_id} does not exist.")
    return row


def get_completion(completion_id: int) -> TrainingCompletion:
    row = _completion_row(completion_id)
    return _completion(row, _evidence_counts([completion_id]).get(completion_id, 0))


def _require_staff(staff_ids: Iterable[int]) -> None:
    wanted = set(staff_ids)
    found = {r.id for r in StaffRecord.select(StaffRecord.id).where(StaffRecord.id.in_(wanted))}
    missing = sorted(wanted - found)
    if missing:
        if len(missing) == 1:
            raise NotFound(f"Staff member {missing[0]} does not exist.")
        raise NotFound(f"Staff members {', '.join(map(str, missing))} do not exist.")


def _completion_fields(item: CompletionInput) -> dict[str, Any]:
    return {
        "staff": item.staff_id,
        "requirement_code": item.requirement_code,
        "completed_on": item.completed_on,
        "provider_kind": item.provider.value,
        "provider_name": item.provider_name.strip(),
        "delivery": item.delivery.value,
        "hours": item.hours,
        "notes": item.notes,
        "mentor": item.mentor.strip(),
        "mentor_school": item.mentor_school.strip(),
        "certificate_number": item.certificate_number.strip(),
        "module_version": item.module_version.strip(),
        "issuing_esd": item.issuing_esd.strip(),
    }


def add_completions(
    items: Sequence[CompletionInput],
    evidence: Sequence[EvidenceFile] = (),
    *,
    claimed_by: str = "",
    verified_by: str = "",
) -> list[TrainingCompletion]:
    """Record completions as one transaction; shared evidence files are stored once and linked
    to every record (a sign-in sheet for a whole ESD session). Nothing is saved if any part fails.
    With ``verified_by`` the records are verified by that person as they are created (an import
    of rows the district marks verified).
    """
    _require_staff(item.staff_id for item in items)
    verified: dict[str, Any] = (
        {"verified_by": verified_by.strip(), "verified_at": _now()} if verified_by.strip() else {}
    )
    with database_proxy.atomic():
        attachments = [store_attachment(f.filename, f.data) for f in evidence]
        rows: list[TrainingCompletionRecord] = []
        for item in items:
            row = audited_create(
                TrainingCompletionRecord, claimed_by=claimed_by, **_completion_fields(item),
                **verified,
            )
            for info in attachments:
                audited_create(TrainingEvidenceRecord, completion=row.id, attachment=info.id)
            rows.append(row)
    return [_completion(row, len(attachments)) for row in rows]


def update_completion(completion_id: int, item: CompletionInput, *, reason: str = "") -> (
    TrainingCompletion
):
    """Change a record's details. A verified record loses its verification: what was verified
    is no longer what it says."""
    row = _completion_row(completion_id)
    fields = _completion_fields(item)
    with database_proxy.atomic():
        before = (row.requirement_code, row.completed_on, row.staff_id)
        audited_update(row, reason=reason, **fields)
        if row.verified_by and before != (row.requirement_code, row.completed_on, row.staff_id):
            audited_update(row, verified_by="", verified_at=None,
                           reason="details changed after verification")
    return get_completion(completion_id)


def verify_completion(completion_id: int, verifier: str, at: dt.datetime | None = None) -> (
    TrainingCompletion
):
    """Mark a claimed record verified by ``verifier`` now: from then on it counts."""
    if not verifier.strip():
        raise RuleViolation("Say who verified the training (your name).")
    row = _completion_row(completion_id)
    if row.verified_by:
        when = row.verified_at
        raise RuleViolation(
            f"This record was already verified by {row.verified_by}"
            + (f" on {format_date(when.date())}." if when is not None else ".")
        )
    audited_update(row, verified_by=verifier.strip(), verified_at=at or _now())
    return get_completion(completion_id)


def unverify_completion(completion_id: int, reason: str) -> TrainingCompletion:
    """Withdraw a verification (for example, the certificate turned out to be for someone else)."""
    if not reason.strip():
        raise RuleViolation("Give the reason for withdrawing the verification.")
    row = _completion_row(completion_id)
    audited_update(row, verified_by="", verified_at=None, reason=reason.strip())
    return get_completion(completion_id)


def delete_completion(completion_id: int, reason: str) -> None:
    if not reason.strip():
        raise RuleViolation("Give the reason for deleting a training record.")
    row = _completion_row(completion_id)
    with database_proxy.atomic():
        for link in TrainingEvidenceRecord.select().where(
            TrainingEvidenceRecord.completion == completion_id
        ):
            audited_delete(link, reason=reason)
        audited_delete(row, reason=reason)


def add_evidence(completion_id: int, file: EvidenceFile) -> AttachmentInfo:
    """Attach one more evidence file (validated: PDF or image, content matches name, ≤ 25 MB)."""
    _completion_row(completion_id)
    with database_proxy.atomic():
        info = store_attachment(file.filename, file.data)
        audited_create(TrainingEvidenceRecord, completion=completion_id, attachment=info.id)
    return info


def completion_evidence(completion_id: int) -> list[AttachmentInfo]:
    query = (
        TrainingEvidenceRecord.select(TrainingEvidenceRecord.attachment)
        .where(TrainingEvidenceRecord.completion == completion_id)
        .order_by(TrainingEvidenceRecord.id)
    )
    return [attachment_info(link.attachment_id) for link in query]


# ---------------------------------------------------------------- waivers


def _waiver(row: TrainingWaiverRecord) -> TrainingWaiver:
    return TrainingWaiver(
        id=row.id, staff_id=row.staff_id, requirement_code=row.requirement_code,
        waived_on=row.waived_on, issuing_esd=row.issuing_esd, reason=row.grounds,
        has_document=row.document_id is not None, recorded_by=row.recorded_by,
    )


def list_waivers(staff_id: int | None = None) -> list[TrainingWaiver]:
    query = TrainingWaiverRecord.select().order_by(TrainingWaiverRecord.waived_on)
    if staff_id is not None:
        query = query.where(TrainingWaiverRecord.staff == staff_id)
    return [_waiver(r) for r in query]


def waiver_document_id(waiver_id: int) -> int | None:
    row = TrainingWaiverRecord.get_or_none(TrainingWaiverRecord.id == waiver_id)
    if row is None:
        raise NotFound(f"Waiver {waiver_id} does not exist.")
    return int(row.document_id) if row.document_id is not None else None


def add_waiver(
    staff_id: int, requirement_code: str, waived_on: dt.date, issuing_esd: str, reason: str,
    document: EvidenceFile | None = None, *, recorded_by: str = "",
) -> TrainingWaiver:
    _require_staff([staff_id])
    existing = TrainingWaiverRecord.get_or_none(
        (TrainingWaiverRecord.staff == staff_id)
        & (TrainingWaiverRecord.requirement_code == requirement_code)
    )
    if existing is not None:
        raise RuleViolation(
            f"A waiver for this requirement is already recorded (dated "
            f"{format_date(existing.waived_on)}). Remove it first to record another."
        )
    with database_proxy.atomic():
        doc = store_attachment(document.filename, document.data) if document else None
        row = audited_create(
            TrainingWaiverRecord, staff=staff_id, requirement_code=requirement_code,
            waived_on=waived_on, issuing_esd=issuing_esd.strip(), grounds=reason.strip(),
            document=doc.id if doc else None, recorded_by=recorded_by,
        )
    return _waiver(row)


def delete_waiver(waiver_id: int, reason: str) -> None:
    if not reason.strip():
        raise RuleViolation("Give the reason for removing a waiver.")
    row = TrainingWaiverRecord.get_or_none(TrainingWaiverRecord.id == waiver_id)
    if row is None:
        raise NotFound(f"Waiver {waiver_id} does not exist.")
    audited_delete(row, reason=reason)


# ---------------------------------------------------------------- ESD documentation


def _esd(row: EsdDocumentationRecord) -> EsdDocumentation:
    return EsdDocumentation(
        id=row.id, staff_id=row.staff_id, received_on=row.received_on,
        issuing_esd=row.issuing_esd, has_document=row.document_id is not None,
        confirmed_by=row.confirmed_by, confirmed_at=row.confirmed_at, notes=row.notes,
    )


def list_esd_documentation(staff_id: int | None = None) -> list[EsdDocumentation]:
    query = EsdDocumentationRecord.select().order_by(EsdDocumentationRecord.received_on)
    if staff_id is not None:
        query = query.where(EsdDocumentationRecord.staff == staff_id)
    return [_esd(r) for r in query]


def esd_document_id(esd_id: int) -> int | None:
    row = EsdDocumentationRecord.get_or_none(EsdDocumentationRecord.id == esd_id)
    if row is None:
        raise NotFound(f"ESD documentation {esd_id} does not exist.")
    return int(row.document_id) if row.document_id is not None else None


def add_esd_documentation(
    staff_id: int, received_on: dt.date, issuing_esd: str,
    document: EvidenceFile | None = None, *, notes: str = "",
) -> EsdDocumentation:
    _require_staff([staff_id])
    with database_proxy.atomic():
        doc = store_attachment(document.filename, document.data) if document else None
        row = audited_create(
            EsdDocumentationRecord, staff=staff_id, received_on=received_on,
            issuing_esd=issuing_esd.strip(), document=doc.id if doc else None, notes=notes,
        )
    return _esd(row)


def confirm_esd_documentation(
    esd_id: int, confirmer: str, at: dt.datetime | None = None
) -> EsdDocumentation:
    if not confirmer.strip():
        raise RuleViolation("Say who confirmed the ESD documentation (your name).")
    row = EsdDocumentationRecord.get_or_none(EsdDocumentationRecord.id == esd_id)
    if row is None:
        raise NotFound(f"ESD documentation {esd_id} does not exist.")
    if row.document_id is None:
        raise RuleViolation(
            "Attach the ESD's training series documentation before confirming it."
        )
    audited_update(row, confirmed_by=confirmer.strip(), confirmed_at=at or _now())
    return _esd(row)


def attach_esd_document(esd_id: int, document: EvidenceFile) -> EsdDocumentation:
    """Attach (or replace) the scanned ESD documentation."""
    row = EsdDocumentationRecord.get_or_none(EsdDocumentationRecord.id == esd_id)
    if row is None:
        raise NotFound(f"ESD documentation {esd_id} does not exist.")
    with database_proxy.atomic():
        info = store_attachment(document.filename, document.data)
        audited_update(row, document=info.id)
    return _esd(row)


def attach_waiver_document(waiver_id: int, document: EvidenceFile) -> TrainingWaiver:
    row = TrainingWaiverRecord.get_or_none(TrainingWaiverRecord.id == waiver_id)
    if row is None:
        raise NotFound(f"Waiver {waiver_id} does not exist.")
    with database_proxy.atomic():
        info = store_attachment(document.filename, document.data)
        audited_update(row, document=info.id)
    return _waiver(row)


def delete_esd_documentation(esd_id: int, reason: str) -> None:
    if not reason.strip():
        raise RuleViolation("Give the reason for removing ESD documentation.")
    row = EsdDocumentationRecord.get_or_none(EsdDocumentationRecord.id == esd_id)
    if row is None:
        raise NotFound(f"ESD documentation {esd_id} does not exist.")
    audited_delete(row, reason=reason)


def attachment_ids_by_completion() -> dict[int, list[int]]:
    """Evidence attachment ids per completion (for the verification record's evidence list)."""
    result: dict[int, list[int]] = defaultdict(list)
    for link in TrainingEvidenceRecord.select().order_by(TrainingEvidenceRecord.id):
        result[link.completion_id].append(link.attachment_id)
    return result


def attachment_names(ids: Iterable[int]) -> dict[int, AttachmentInfo]:
    rows = AttachmentRecord.select(
        AttachmentRecord.id, AttachmentRecord.filename, AttachmentRecord.mime_type,
        AttachmentRecord.size, AttachmentRecord.sha256,
    ).where(AttachmentRecord.id.in_(list(ids)))
    return {
        r.id: AttachmentInfo(r.id, r.filename, r.mime_type, r.size, r.sha256) for r in rows
    }
