"""Principal–staff supervision meetings and prevention activities, as domain objects."""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import JOIN

from sro_desk.domain.errors import NotFound, ValidationError
from sro_desk.domain.meetings import (
    ActivityKind,
    MeetingKind,
    PreventionActivity,
    SupervisionMeeting,
)
from sro_desk.store.audit import audited_create, audited_delete, audited_update
from sro_desk.store.complaint_records import PreventionActivityRecord, SupervisionMeetingRecord
from sro_desk.store.foundation_records import BuildingRecord, StaffRecord


def _name(staff: StaffRecord | None) -> str:
    return f"{staff.first_name} {staff.last_name}".strip() if staff is not None else ""


def _meeting(row: SupervisionMeetingRecord) -> SupervisionMeeting:
    return SupervisionMeeting(
        on=row.held_on, kind=MeetingKind(row.kind), principal=row.principal,
        staff_id=row.staff_id, staff_name=_name(row.staff), building=row.building.name,
        topics=row.topics, notes=row.notes, id=row.id, building_id=row.building_id,
    )


def list_meetings(start: dt.date | None = None, end: dt.date | None = None
                  ) -> list[SupervisionMeeting]:
    """Meetings, oldest first, optionally from ``start`` to ``end`` inclusive."""
    query = (SupervisionMeetingRecord.select(SupervisionMeetingRecord, StaffRecord, BuildingRecord)
             .join(StaffRecord).switch(SupervisionMeetingRecord).join(BuildingRecord))
    if start is not None:
        query = query.where(SupervisionMeetingRecord.held_on >= start)
    if end is not None:
        query = query.where(SupervisionMeetingRecord.held_on <= end)
    return [_meeting(r) for r in query.order_by(SupervisionMeetingRecord.held_on,
                                                 SupervisionMeetingRecord.id)]


def _check(staff_id: int | None, building_id: int | None, need_staff: bool) -> None:
    problems = []
    if building_id is None or BuildingRecord.get_or_none(BuildingRecord.id == building_id) is None:
        problems.append("Choose the building.")
    if staff_id is None:
        if need_staff:
            problems.append("Choose the staff member.")
    elif StaffRecord.get_or_none(StaffRecord.id == staff_id) is None:
        problems.append("The staff member is not on the roster.")
    if problems:
        raise ValidationError(problems)


def _meeting_fields(m: SupervisionMeeting) -> dict[str, Any]:
    return {"held_on": m.on, "kind": m.kind.value, "principal": m.principal.strip(),
            "staff": m.staff_id, "building": m.building_id, "topics": m.topics.strip(),
            "notes": m.notes.strip()}


def save_meeting(m: SupervisionMeeting, *, reason: str = "") -> SupervisionMeeting:
    """Create or update a meeting (validated by the service first)."""
    _check(m.staff_id, m.building_id, need_staff=True)
    if m.id is None:
        row = audited_create(SupervisionMeetingRecord, reason=reason, **_meeting_fields(m))
    else:
        found = SupervisionMeetingRecord.get_or_none(SupervisionMeetingRecord.id == m.id)
        if found is None:
            raise NotFound(f"Meeting {m.id} does not exist.")
        row = audited_update(found, reason=reason, **_meeting_fields(m))
    return next(x for x in list_meetings(m.on, m.on) if x.id == row.id)


def delete_meeting(meeting_id: int, *, reason: str = "") -> None:
    row = SupervisionMeetingRecord.get_or_none(SupervisionMeetingRecord.id == meeting_id)
    if row is None:
        raise NotFound(f"Meeting {meeting_id} does not exist.")
    audited_delete(row, reason=reason)


def _activity(row: PreventionActivityRecord) -> PreventionActivity:
    return PreventionActivity(
        on=row.held_on, building=row.building.name, kind=ActivityKind(row.kind),
        participants=row.participants, notes=row.notes, staff_id=row.staff_id, id=row.id,
        building_id=row.building_id, staff_name=_name(row.staff) if row.staff_id else "",
    )


def list_activities(start: dt.date | None = None, end: dt.date | None = None
                    ) -> list[PreventionActivity]:
    """Prevention activities, oldest first, optionally within a date range."""
    query = (PreventionActivityRecord
             .select(PreventionActivityRecord, BuildingRecord, StaffRecord)
             .join(BuildingRecord).switch(PreventionActivityRecord)
             .join(StaffRecord, JOIN.LEFT_OUTER))
    if start is not None:
        query = query.where(PreventionActivityRecord.held_on >= start)
    if end is not None:
        query = query.where(PreventionActivityRecord.held_on <= end)
    return [_activity(r) for r in query.order_by(PreventionActivityRecord.held_on,
                                                  PreventionActivityRecord.id)]


def _activity_fields(a: PreventionActivity) -> dict[str, Any]:
    return {"held_on": a.on, "kind": a.kind.value, "building": a.building_id,
            "staff": a.staff_id, "participants": a.participants, "notes": a.notes.strip()}


def save_activity(a: PreventionActivity, *, reason: str = "") -> PreventionActivity:
    _check(a.staff_id, a.building_id, need_staff=False)
    if a.id is None:
        row = audited_create(PreventionActivityRecord, reason=reason, **_activity_fields(a))
    else:
        found = PreventionActivityRecord.get_or_none(PreventionActivityRecord.id == a.id)
        if found is None:
            raise NotFound(f"Activity {a.id} does not exist.")
        row = audited_update(found, reason=reason, **_activity_fields(a))
    return next(x for x in list_activities(a.on, a.on) if x.id == row.id)


def delete_activity(activity_id: int, *, reason: str = "") -> None:
    row = PreventionActivityRecord.get_or_none(PreventionActivityRecord.id == activity_id)
    if row is None:
        raise NotFound(f"Activity {activity_id} does not exist.")
    audited_delete(row, reason=reason)
