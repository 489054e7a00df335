"""Complaint, calendar and meeting records as the Complaints tab reads and removes them (the UI talks to services only; rules live in services.complaints and the domain)."""

from __future__ import annotations

import datetime as dt

from sro_desk.domain.attachments import AttachmentInfo
from sro_desk.domain.complaints import Complaint
from sro_desk.domain.meetings import PreventionActivity, SupervisionMeeting
from sro_desk.domain.school_calendar import DistrictCalendar, SchoolCalendar
from sro_desk.store import calendar_repo, complaint_repo, meeting_repo


def list_complaints() -> list[Complaint]:
    """Every complaint, oldest first, in four queries (table models hold these)."""
    return complaint_repo.list_complaints()


def delete_complaint(complaint_id: int, *, reason: str) -> None:
    """Delete a complaint entered by mistake, with every dependent row, each audited."""
    complaint_repo.delete_complaint(complaint_id, reason=reason)


def attach_file(complaint_id: int, path: str, *, reason: str = '') -> AttachmentInfo:
    """Store a PDF or image as evidence on a complaint."""
    return complaint_repo.attach_file(complaint_id, path, reason=reason)


def complaint_attachments(complaint_id: int) -> list[AttachmentInfo]:
    """The evidence files on a complaint (without their bytes)."""
    return complaint_repo.complaint_attachments(complaint_id)


def deadline_changes(complaint_id: int | None = None) -> list[tuple[dt.datetime, int, str]]:
    """(when, complaint id, explanation) for every recorded deadline move, newest first."""
    return complaint_repo.deadline_changes(complaint_id)


def calendar_for(label: str) -> SchoolCalendar | None:
    """The calendar of one school year, or ``None`` when not entered yet."""
    return calendar_repo.calendar_for(label)


def load_district_calendar() -> DistrictCalendar:
    """All entered calendars as one, for the deadline engine."""
    return calendar_repo.load_district_calendar()


def list_meetings(start: dt.date | None = None, end: dt.date | None = None) -> list[SupervisionMeeting]:
    """Meetings, oldest first, optionally from ``start`` to ``end`` inclusive."""
    return meeting_repo.list_meetings(start, end)


def delete_meeting(meeting_id: int, *, reason: str = '') -> None:
    meeting_repo.delete_meeting(meeting_id, reason=reason)


def list_activities(start: dt.date | None = None, end: dt.date | None = None) -> list[PreventionActivity]:
    """Prevention activities, oldest first, optionally within a date range."""
    return meeting_repo.list_activities(start, end)


def delete_activity(activity_id: int, *, reason: str = '') -> None:
    meeting_repo.delete_activity(activity_id, reason=reason)
