"""Complaints, their steps, extensions, attachments and deadline changes, as domain objects.

The domain decides whether a step is allowed; this module stores the result. ``save_progress``
writes the changed columns and appends only the history entries and extension notices not yet
stored, so the trail can grow but never be rewritten. Every write is audited.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sro_desk.domain.attachments import AttachmentInfo
from sro_desk.domain.complaints import (
    Category,
    Channel,
    Complaint,
    DeadlineKind,
    Extension,
    Finding,
    InvolvedStaff,
    Stage,
    StepEntry,
)
from sro_desk.domain.errors import NotFound, RuleViolation, ValidationError
from sro_desk.store.attachments import store_attachment_file
from sro_desk.store.audit import audited_create, audited_delete, audited_update
from sro_desk.store.base import database_proxy
from sro_desk.store.complaint_records import (
    ComplaintAttachmentRecord,
    ComplaintExtensionRecord,
    ComplaintRecord,
    ComplaintStaffRecord,
    ComplaintStepRecord,
    DeadlineChangeRecord,
)
from sro_desk.store.foundation_records import AttachmentRecord, BuildingRecord, StaffRecord


def _finding(text: str) -> Finding | None:
    return Finding(text) if text else None


def _complaint(
    row: ComplaintRecord,
    staff: list[InvolvedStaff],
    steps: list[ComplaintStepRecord],
    extensions: list[ComplaintExtensionRecord],
) -> Complaint:
    return Complaint(
        id=row.id,
        received_on=row.received_on,
        channel=Channel(row.channel),
        category=Category(row.category),
        building=row.building.name,
        building_id=row.building_id,
        description=row.description,
        incident_date=row.incident_date,
        anonymous=bool(row.anonymous),
        complainant_name=row.complainant_name,
        complainant_contact=row.complainant_contact,
        language_assistance=bool(row.language_assistance),
        language=row.language,
        staff=tuple(staff),
        stage=Stage(row.stage),
        investigator=row.investigator,
        investigation_started_on=row.investigation_started_on,
        agency_notified_on=row.agency_notified_on,
        determination_on=row.determination_on,
        finding=_finding(row.finding),
        determination_summary=row.determination_summary,
        appeal_received_on=row.appeal_received_on,
        appellant=row.appellant,
        appeal_decided_on=row.appeal_decided_on,
        appeal_finding=_finding(row.appeal_finding),
        appeal_summary=row.appeal_summary,
        closed_on=row.closed_on,
        closure_note=row.closure_note,
        history=tuple(StepEntry(Stage(s.stage), s.on, s.by, s.detail) for s in steps),
        extensions=tuple(
            Extension(DeadlineKind(e.deadline), e.notice_date, e.notice_reason, e.new_due, e.by,
                      e.previous_due)
            for e in extensions
        ),
    )


def _load(where: Any = None) -> list[Complaint]:
    query = ComplaintRecord.select(ComplaintRecord, BuildingRecord).join(BuildingRecord)
    if where is not None:
        query = query.where(where)
    rows = list(query.order_by(ComplaintRecord.received_on, ComplaintRecord.id))
    ids = [r.id for r in rows]
    if not ids:
        return []
    staff: dict[int, list[InvolvedStaff]] = defaultdict(list)
    for link in (ComplaintStaffRecord.select(ComplaintStaffRecord, StaffRecord)
                 .join(StaffRecord).where(ComplaintStaffRecord.complaint.in_(ids))
                 .order_by(StaffRecord.last_name, StaffRecord.first_name)):
        person = link.staff
        staff[link.complaint_id].append(
            InvolvedStaff(person.id, f"{person.first_name} {person.last_name}".strip()))
    steps: dict[int, list[ComplaintStepRecord]] = defaultdict(list)
    for step in (ComplaintStepRecord.select().where(ComplaintStepRecord.complaint.in_(ids))
                 .order_by(ComplaintStepRecord.seq)):
        steps[step.complaint_id].append(step)
    extensions: dict[int, list[ComplaintExtensionRecord]] = defaultdict(list)
    for ext in (ComplaintExtensionRecord.select()
                .where(ComplaintExtensionRecord.complaint.in_(ids))
                .order_by(ComplaintExtensionRecord.seq)):
        extensions[ext.complaint_id].append(ext)
    return [_complaint(r, staff[r.id], steps[r.id], extensions[r.id]) for r in rows]


def list_complaints() -> list[Complaint]:
    """Every complaint, oldest first, in four queries (table models hold these)."""
    return _load()


def complaints_received_between(start: dt.date, end: dt.date) -> list[Complaint]:
    """Complaints received from ``start`` to ``end`` inclusive."""
    return _load((ComplaintRecord.received_on >= start) & (ComplaintRecord.received_on <= end))


def open_complaints() -> list[Complaint]:
    """Complaints not yet closed."""
    return _load(ComplaintRecord.stage != Stage.CLOSED.value)


def get_complaint(complaint_id: int) -> Complaint:
    found = _load(ComplaintRecord.id == complaint_id)
    if not found:
        raise NotFound(f"Complaint {complaint_id} does not exist.")
    return found[0]


def _intake_fields(c: Complaint) -> dict[str, Any]:
    return {
        "received_on": c.received_on,
        "channel": c.channel.value,
        "category": c.category.value,
        "building": c.building_id,
        "description": c.description,
        "incident_date": c.incident_date,
        "anonymous": c.anonymous,
        "complainant_name": c.complainant_name,
        "complainant_contact": c.complainant_contact,
        "language_assistance": c.language_assistance,
        "language": c.language,
    }


def _progress_fields(c: Complaint) -> dict[str, Any]:
    return {
        "stage": c.stage.value,
        "investigator": c.investigator,
        "investigation_started_on": c.investigation_started_on,
        "agency_notified_on": c.agency_notified_on,
        "determination_on": c.determination_on,
        "finding": c.finding.value if c.finding else "",
        "determination_summary": c.determination_summary,
        "appeal_received_on": c.appeal_received_on,
        "appellant": c.appellant,
        "appeal_decided_on": c.appeal_decided_on,
        "appeal_finding": c.appeal_finding.value if c.appeal_finding else "",
        "appeal_summary": c.appeal_summary,
        "closed_on": c.closed_on,
        "closure_note": c.closure_note,
    }


def _check_references(c: Complaint) -> None:
    problems = []
    if c.building_id is None or BuildingRecord.get_or_none(
            BuildingRecord.id == c.building_id) is None:
        problems.append("Choose the building where the incident happened.")
    known = {r.id for r in StaffRecord.select(StaffRecord.id).where(
        StaffRecord.id.in_([s.staff_id for s in c.staff]))} if c.staff else set()
    for person in c.staff:
        if person.staff_id not in known:
            problems.append(f"{person.name or person.staff_id} is not on the roster.")
    if problems:
        raise ValidationError(problems)


def _write_staff(row: ComplaintRecord, staff: tuple[InvolvedStaff, ...], reason: str) -> None:
    wanted = {s.staff_id for s in staff}
    have = {link.staff_id: link for link in
            ComplaintStaffRecord.select().where(ComplaintStaffRecord.complaint == row)}
    for staff_id, link in have.items():
        if staff_id not in wanted:
            audited_delete(link, reason=reason)
    for staff_id in sorted(wanted - have.keys()):
        audited_create(ComplaintStaffRecord, reason=reason, complaint=row, staff=staff_id)


def _append_trail(row: ComplaintRecord, c: Complaint, reason: str) -> None:
    stored_steps = ComplaintStepRecord.select().where(ComplaintStepRecord.complaint == row).count()
    for seq, step in enumerate(c.history[stored_steps:], start=stored_steps + 1):
        audited_create(ComplaintStepRecord, reason=reason, complaint=row, seq=seq,
                       stage=step.stage.value, on=step.on, by=step.by, detail=step.detail)
    stored_ext = (ComplaintExtensionRecord.select()
                  .where(ComplaintExtensionRecord.complaint == row).count())
    for seq, ext in enumerate(c.extensions[stored_ext:], start=stored_ext + 1):
        audited_create(ComplaintExtensionRecord, reason=reason, complaint=row, seq=seq,
                       deadline=ext.deadline.value, notice_date=ext.notice_date,
                       notice_reason=ext.reason, new_due=ext.new_due, by=ext.by,
                       previous_due=ext.previous_due)


def create_complaint(c: Complaint, *, reason: str = "") -> Complaint:
    """Store a validated intake (from ``domain.complaints.new_complaint``) with its history."""
    if c.id is not None:
        raise RuleViolation("This complaint is already saved.")
    _check_references(c)
    with database_proxy.atomic():
        row = audited_create(ComplaintRecord, reason=reason, **_intake_fields(c),
                             **_progress_fields(c))
        _write_staff(row, c.staff, reason)
        _append_trail(row, c, reason)
    return get_complaint(row.id)


def update_intake(c: Complaint, *, reason: str = "") -> Complaint:
    """Correct the intake details (names, contact, description, staff) of a saved complaint."""
    row = _row(c)
    _check_references(c)
    with database_proxy.atomic():
        audited_update(row, reason=reason, **_intake_fields(c))
        _write_staff(row, c.staff, reason)
    return get_complaint(row.id)


def save_progress(c: Complaint, *, reason: str = "") -> Complaint:
    """Store a workflow step or extension produced by the domain rules."""
    row = _row(c)
    stored = get_complaint(row.id)
    if c.history[: len(stored.history)] != stored.history or \
            c.extensions[: len(stored.extensions)] != stored.extensions:
        raise RuleViolation(
            f"{c.reference} was changed by someone else while you worked on it. "
            "Reopen it and try again."
        )
    with database_proxy.atomic():
        audited_update(row, reason=reason, **_progress_fields(c))
        _append_trail(row, c, reason)
    return get_complaint(row.id)


def _row(c: Complaint) -> ComplaintRecord:
    if c.id is None:
        raise NotFound("This complaint has not been saved yet.")
    row = ComplaintRecord.get_or_none(ComplaintRecord.id == c.id)
    if row is None:
        raise NotFound(f"Complaint {c.id} does not exist.")
    return row


def delete_complaint(complaint_id: int, *, reason: str) -> None:
    """Delete a complaint entered by mistake, with every dependent row, each audited."""
    if not reason.strip():
        raise ValidationError("Say why this complaint is being deleted.")
    row = ComplaintRecord.get_or_none(ComplaintRecord.id == complaint_id)
    if row is None:
        raise NotFound(f"Complaint {complaint_id} does not exist.")
    with database_proxy.atomic():
        for model in (ComplaintStaffRecord, ComplaintStepRecord, ComplaintExtensionRecord,
                      ComplaintAttachmentRecord, DeadlineChangeRecord):
            for dependent in model.select().where(model.complaint == row):
                audited_delete(dependent, reason=reason)
        audited_delete(row, reason=reason)


# ------------------------------------------------------------------------------ attachments


def attach_file(complaint_id: int, path: str, *, reason: str = "") -> AttachmentInfo:
    """Store a PDF or image as evidence on a complaint."""
    row = ComplaintRecord.get_or_none(ComplaintRecord.id == complaint_id)
    if row is None:
        raise NotFound(f"Complaint {complaint_id} does not exist.")
    with database_proxy.atomic():
        info = store_attachment_file(path)
        audited_create(ComplaintAttachmentRecord, reason=reason, complaint=row,
                       attachment=info.id)
    return info


def complaint_attachments(complaint_id: int) -> list[AttachmentInfo]:
    """The evidence files on a complaint (without their bytes)."""
    rows = (ComplaintAttachmentRecord
            .select(ComplaintAttachmentRecord, AttachmentRecord.id, AttachmentRecord.filename,
                    AttachmentRecord.mime_type, AttachmentRecord.size, AttachmentRecord.sha256)
            .join(AttachmentRecord)
            .where(ComplaintAttachmentRecord.complaint == complaint_id)
            .order_by(ComplaintAttachmentRecord.id))
    return [AttachmentInfo(r.attachment.id, r.attachment.filename, r.attachment.mime_type,
                           r.attachment.size, r.attachment.sha256) for r in rows]


# ------------------------------------------------------------------------- deadline changes


def record_deadline_change(complaint_id: int, old_due: dt.date | None, new_due: dt.date | None,
                           explanation: str, *, reason: str = "") -> None:
    """List (and audit) a deadline moved by a calendar change."""
    audited_create(DeadlineChangeRecord, reason=reason, complaint=complaint_id, old_due=old_due,
                   new_due=new_due, explanation=explanation)


def deadline_changes(complaint_id: int | None = None) -> list[tuple[dt.datetime, int, str]]:
    """(when, complaint id, explanation) for every recorded deadline move, newest first."""
    query = DeadlineChangeRecord.select().order_by(DeadlineChangeRecord.id.desc())
    if complaint_id is not None:
        query = query.where(DeadlineChangeRecord.complaint == complaint_id)
    return [(r.changed_at, r.complaint_id, r.explanation) for r in query]
