"""Agreements, checklists, review meetings and start-of-year duties, as domain objects.

Every write is validated by the domain rules and audited; a delete that would cascade (an
agreement's checklist and meetings) audits each removed row too, so the trail shows what went.
Attachment bytes are never loaded here: only their id, file name and SHA-256.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import peewee

from sro_desk.domain.agreements import (
    Agreement,
    AgreementWithChecklist,
    ChecklistEntry,
    ChecklistItemDefinition,
    ItemStatus,
    MeetingKind,
    ParticipantGroup,
    ReviewMeeting,
    validate_agreement,
    validate_entry,
    validate_meeting,
)
from sro_desk.domain.errors import NotFound, ValidationError
from sro_desk.domain.roster import ProviderKind
from sro_desk.domain.start_of_year import BuildingStartOfYear, DistributionMethod
from sro_desk.store.agreement_records import (
    AgreementItemRecord,
    AgreementRecord,
    BuildingStartOfYearRecord,
    ReviewMeetingRecord,
)
from sro_desk.store.audit import audited_create, audited_delete, audited_update
from sro_desk.store.base import database_proxy
from sro_desk.store.foundation_records import AttachmentRecord, BuildingRecord, ProviderRecord

_GROUP_COLUMNS: tuple[tuple[ParticipantGroup, str], ...] = (
    (ParticipantGroup.PARENTS, "parents"),
    (ParticipantGroup.STUDENTS, "students"),
    (ParticipantGroup.COMMUNITY, "community"),
    (ParticipantGroup.STAFF, "staff"),
    (ParticipantGroup.AGENCY, "agency"),
)

# --------------------------------------------------------------------------- agreements


def _agreement_query() -> Any:
    return (
        AgreementRecord.select(
            AgreementRecord,
            ProviderRecord.id,
            ProviderRecord.name,
            AttachmentRecord.id,
            AttachmentRecord.filename,
            AttachmentRecord.sha256,
        )
        .join(ProviderRecord)
        .switch(AgreementRecord)
        .join(AttachmentRecord, peewee.JOIN.LEFT_OUTER)
    )


def _agreement(row: AgreementRecord) -> Agreement:
    document = row.document if row.document_id is not None else None
    return Agreement(
        school_year=row.school_year,
        provider_id=row.provider_id,
        provider_name=row.provider.name,
        title=row.title,
        effective_on=row.effective_on,
        expires_on=row.expires_on,
        adopted_on=row.adopted_on,
        responsible=row.responsible,
        notes=row.notes,
        previous_notes=row.previous_notes,
        rolled_from_id=row.rolled_from_id,
        document_attachment_id=row.document_id,
        document_filename=document.filename if document is not None else "",
        document_sha256=document.sha256 if document is not None else "",
        id=row.id,
    )


def list_agreements(school_year: str | None = None) -> list[Agreement]:
    query = _agreement_query()
    if school_year is not None:
        query = query.where(AgreementRecord.school_year == school_year)
    query = query.order_by(AgreementRecord.school_year.desc(), ProviderRecord.name)
    return [_agreement(r) for r in query]


def get_agreement(agreement_id: int) -> Agreement:
    row = _agreement_query().where(AgreementRecord.id == agreement_id).first()
    if row is None:
        raise NotFound(f"Agreement {agreement_id} does not exist.")
    return _agreement(row)


def find_agreement(school_year: str, provider_id: int) -> Agreement | None:
    row = (
        _agreement_query()
        .where(
            (AgreementRecord.school_year == school_year)
            & (AgreementRecord.provider == provider_id)
        )
        .first()
    )
    return None if row is None else _agreement(row)


def _check_provider_and_uniqueness(agreement: Agreement) -> None:
    provider = ProviderRecord.get_or_none(ProviderRecord.id == agreement.provider_id)
    if provider is None:
        raise ValidationError("Choose the agency or company the agreement is with.")
    if provider.kind == ProviderKind.DISTRICT.value:
        raise ValidationError(
            f"{provider.name} is the district itself; agreements are made with the police "
            "agencies and security companies that supply staff."
        )
    other = find_agreement(agreement.school_year, agreement.provider_id)
    if other is not None and other.id != agreement.id:
        raise ValidationError(
            f"{provider.name} already has an agreement for {agreement.school_year} "
            f"('{other.title}'). Open that one instead."
        )


def _agreement_fields(agreement: Agreement) -> dict[str, Any]:
    return {
        "school_year": agreement.school_year.strip(),
        "provider": agreement.provider_id,
        "title": agreement.title,
        "effective_on": agreement.effective_on,
        "expires_on": agreement.expires_on,
        "adopted_on": agreement.adopted_on,
        "responsible": agreement.responsible,
        "notes": agreement.notes,
    }


def create_agreement(source: AgreementWithChecklist, *, reason: str = "") -> Agreement:
    """A new agreement and its whole checklist, in one transaction."""
    agreement = validate_agreement(source.agreement)
    with database_proxy.atomic():
        _check_provider_and_uniqueness(agreement)
        row = audited_create(
            AgreementRecord,
            reason=reason,
            previous_notes=agreement.previous_notes,
            rolled_from_id=agreement.rolled_from_id,
            **_agreement_fields(agreement),
        )
        for entry in source.entries:
            _create_entry(row.id, entry, reason=reason)
    return get_agreement(row.id)


def update_agreement(agreement: Agreement, *, reason: str = "") -> Agreement:
    if agreement.id is None:
        raise NotFound("This agreement has not been saved yet.")
    agreement = validate_agreement(agreement)
    with database_proxy.atomic():
        row = AgreementRecord.get_or_none(AgreementRecord.id == agreement.id)
        if row is None:
            raise NotFound(f"Agreement {agreement.id} does not exist.")
        _check_provider_and_uniqueness(agreement)
        audited_update(row, reason=reason, **_agreement_fields(agreement))
    return get_agreement(row.id)


def set_agreement_document(
    agreement_id: int, attachment_id: int | None, *, reason: str = ""
) -> Agreement:
    row = AgreementRecord.get_or_none(AgreementRecord.id == agreement_id)
    if row is None:
        raise NotFound(f"Agreement {agreement_id} does not exist.")
    audited_update(row, reason=reason, document=attachment_id)
    return get_agreement(agreement_id)


def delete_agreement(agreement_id: int, *, reason: str = "") -> None:
    """Delete an agreement with its checklist and its own meetings, each deletion audited."""
    with database_proxy.atomic():
        row = AgreementRecord.get_or_none(AgreementRecord.id == agreement_id)
        if row is None:
            raise NotFound(f"Agreement {agreement_id} does not exist.")
        for item in AgreementItemRecord.select().where(AgreementItemRecord.agreement == row.id):
            audited_delete(item, reason=reason)
        for meeting in ReviewMeetingRecord.select().where(ReviewMeetingRecord.agreement == row.id):
            audited_delete(meeting, reason=reason)
        audited_delete(row, reason=reason)


# --------------------------------------------------------------------------- checklist


def _entry(row: AgreementItemRecord) -> ChecklistEntry:
    return ChecklistEntry(
        item_key=row.item_key,
        status=ItemStatus(row.status),
        not_applicable_reason=row.not_applicable_reason,
        section=row.section,
        evidence=row.evidence,
        checked_by=row.checked_by,
        checked_on=row.checked_on,
        notes=row.notes,
        previous_notes=row.previous_notes,
        id=row.id,
    )


def _entry_fields(entry: ChecklistEntry) -> dict[str, Any]:
    return {
        "status": entry.status.value,
        "not_applicable_reason": entry.not_applicable_reason,
        "section": entry.section,
        "evidence": entry.evidence,
        "checked_by": entry.checked_by,
        "checked_on": entry.checked_on,
        "notes": entry.notes,
    }


def _create_entry(agreement_id: int, entry: ChecklistEntry, *, reason: str = "") -> None:
    audited_create(
        AgreementItemRecord,
        reason=reason,
        agreement=agreement_id,
        item_key=entry.item_key,
        previous_notes=entry.previous_notes,
        **_entry_fields(validate_entry(entry)),
    )


def list_entries(agreement_id: int) -> tuple[ChecklistEntry, ...]:
    query = (
        AgreementItemRecord.select()
        .where(AgreementItemRecord.agreement == agreement_id)
        .order_by(AgreementItemRecord.id)
    )
    return tuple(_entry(r) for r in query)


def entries_by_agreement(agreement_ids: Iterable[int]) -> dict[int, tuple[ChecklistEntry, ...]]:
    ids = list(agreement_ids)
    found: dict[int, list[ChecklistEntry]] = {i: [] for i in ids}
    if ids:
        query = (
            AgreementItemRecord.select()
            .where(AgreementItemRecord.agreement.in_(ids))
            .order_by(AgreementItemRecord.id)
        )
        for row in query:
            found[row.agreement_id].append(_entry(row))
    return {k: tuple(v) for k, v in found.items()}


def save_entry(
    agreement_id: int,
    entry: ChecklistEntry,
    *,
    reason: str = "",
    today: dt.date | None = None,
    definition: ChecklistItemDefinition | None = None,
) -> ChecklistEntry:
    """Create or update the item ``entry.item_key`` of an agreement (validated, audited).

    With the item's catalog ``definition`` its own rules apply too (an item judged live cannot
    be marked not applicable).
    """
    entry = validate_entry(entry, today, definition)
    with database_proxy.atomic():
        if AgreementRecord.get_or_none(AgreementRecord.id == agreement_id) is None:
            raise NotFound(f"Agreement {agreement_id} does not exist.")
        row = AgreementItemRecord.get_or_none(
            (AgreementItemRecord.agreement == agreement_id)
            & (AgreementItemRecord.item_key == entry.item_key)
        )
        if row is None:
            _create_entry(agreement_id, entry, reason=reason)
        else:
            audited_update(row, reason=reason, **_entry_fields(entry))
        row = AgreementItemRecord.get(
            (AgreementItemRecord.agreement == agreement_id)
            & (AgreementItemRecord.item_key == entry.item_key)
        )
    return _entry(row)


# --------------------------------------------------------------------------- review meetings


def _meeting(row: ReviewMeetingRecord) -> ReviewMeeting:
    minutes = row.minutes if row.minutes_id is not None else None
    return ReviewMeeting(
        school_year=row.school_year,
        held_on=row.held_on,
        kind=MeetingKind(row.kind),
        participants=tuple(
            (group, getattr(row, column))
            for group, column in _GROUP_COLUMNS
            if getattr(row, column)
        ),
        notes=row.notes,
        agreement_id=row.agreement_id,
        minutes_attachment_id=row.minutes_id,
        minutes_filename=minutes.filename if minutes is not None else "",
        id=row.id,
    )


def _meeting_query() -> Any:
    return (
        ReviewMeetingRecord.select(
            ReviewMeetingRecord, AttachmentRecord.id, AttachmentRecord.filename
        )
        .join(AttachmentRecord, peewee.JOIN.LEFT_OUTER)
        .order_by(ReviewMeetingRecord.held_on, ReviewMeetingRecord.id)
    )


def list_meetings(school_year: str | None = None) -> list[ReviewMeeting]:
    query = _meeting_query()
    if school_year is not None:
        query = query.where(ReviewMeetingRecord.school_year == school_year)
    return [_meeting(r) for r in query]


def get_meeting(meeting_id: int) -> ReviewMeeting:
    row = _meeting_query().where(ReviewMeetingRecord.id == meeting_id).first()
    if row is None:
        raise NotFound(f"Review meeting {meeting_id} does not exist.")
    return _meeting(row)


def save_meeting(meeting: ReviewMeeting, *, reason: str = "") -> ReviewMeeting:
    meeting = validate_meeting(meeting)
    fields: dict[str, Any] = {
        "school_year": meeting.school_year,
        "agreement": meeting.agreement_id,
        "held_on": meeting.held_on,
        "kind": meeting.kind.value,
        "notes": meeting.notes,
        "minutes": meeting.minutes_attachment_id,
    }
    for group, column in _GROUP_COLUMNS:
        fields[column] = meeting.count(group)
    with database_proxy.atomic():
        if meeting.agreement_id is not None:
            owner = AgreementRecord.get_or_none(AgreementRecord.id == meeting.agreement_id)
            if owner is None:
                raise NotFound(f"Agreement {meeting.agreement_id} does not exist.")
            if owner.school_year != meeting.school_year:
                raise ValidationError(
                    f"The meeting is for {meeting.school_year} but the agreement is for "
                    f"{owner.school_year}."
                )
        if meeting.id is None:
            row = audited_create(ReviewMeetingRecord, reason=reason, **fields)
        else:
            found = ReviewMeetingRecord.get_or_none(ReviewMeetingRecord.id == meeting.id)
            if found is None:
                raise NotFound(f"Review meeting {meeting.id} does not exist.")
            row = audited_update(found, reason=reason, **fields)
    return get_meeting(row.id)


def delete_meeting(meeting_id: int, *, reason: str = "") -> None:
    row = ReviewMeetingRecord.get_or_none(ReviewMeetingRecord.id == meeting_id)
    if row is None:
        raise NotFound(f"Review meeting {meeting_id} does not exist.")
    audited_delete(row, reason=reason)


# --------------------------------------------------------------------------- start of year


def _split(text: str) -> tuple[str, ...]:
    return tuple(p for p in (s.strip() for s in text.split("|")) if p)


def _start_of_year(row: BuildingStartOfYearRecord) -> BuildingStartOfYear:
    return BuildingStartOfYear(
        building_id=row.building_id,
        building_name=row.building.name,
        school_year=row.school_year,
        presented_on=row.presented_on,
        presenter=row.presenter,
        audience=row.audience,
        presentation_notes=row.presentation_notes,
        distributed_on=row.distributed_on,
        methods=tuple(DistributionMethod(m) for m in _split(row.methods)),
        languages=_split(row.languages),
        distribution_notes=row.distribution_notes,
        id=row.id,
        intervention_training_on=row.intervention_training_on,
        intervention_trainer=row.intervention_trainer,
        intervention_training_notes=row.intervention_training_notes,
    )


def list_start_of_year(school_year: str | None = None) -> list[BuildingStartOfYear]:
    query = (
        BuildingStartOfYearRecord.select(
            BuildingStartOfYearRecord, BuildingRecord.id, BuildingRecord.name
        )
        .join(BuildingRecord)
        .order_by(BuildingRecord.name)
    )
    if school_year is not None:
        query = query.where(BuildingStartOfYearRecord.school_year == school_year)
    return [_start_of_year(r) for r in query]


def save_start_of_year(record: BuildingStartOfYear, *, reason: str = "") -> BuildingStartOfYear:
    """Create or update the building's record for the year. Validate with the domain first."""
    fields: dict[str, Any] = {
        "presented_on": record.presented_on,
        "presenter": record.presenter,
        "audience": record.audience,
        "presentation_notes": record.presentation_notes,
        "distributed_on": record.distributed_on,
        "methods": "|".join(m.value for m in record.methods),
        "languages": "|".join(lang.replace("|", "/") for lang in record.languages),
        "distribution_notes": record.distribution_notes,
        "intervention_training_on": record.intervention_training_on,
        "intervention_trainer": record.intervention_trainer,
        "intervention_training_notes": record.intervention_training_notes,
    }
    with database_proxy.atomic():
        if BuildingRecord.get_or_none(BuildingRecord.id == record.building_id) is None:
            raise NotFound(f"Building {record.building_id} does not exist.")
        row = BuildingStartOfYearRecord.get_or_none(
            (BuildingStartOfYearRecord.building == record.building_id)
            & (BuildingStartOfYearRecord.school_year == record.school_year)
        )
        if row is None:
            row = audited_create(
                BuildingStartOfYearRecord,
                reason=reason,
                building=record.building_id,
                school_year=record.school_year,
                **fields,
            )
        else:
            audited_update(row, reason=reason, **fields)
        row = (
            BuildingStartOfYearRecord.select(
            BuildingStartOfYearRecord, BuildingRecord.id, BuildingRecord.name
        )
            .join(BuildingRecord)
            .where(BuildingStartOfYearRecord.id == row.id)
            .get()
        )
    return _start_of_year(row)


def delete_start_of_year(record_id: int, *, reason: str = "") -> None:
    row = BuildingStartOfYearRecord.get_or_none(BuildingStartOfYearRecord.id == record_id)
    if row is None:
        raise NotFound(f"Start-of-year record {record_id} does not exist.")
    audited_delete(row, reason=reason)
