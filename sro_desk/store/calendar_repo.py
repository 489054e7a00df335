"""The district calendar: instructional first/last days and non-school days per school year.

A school year (the foundation's) has a calendar only once one is entered here; until then the
deadline engine says the calendar is missing instead of guessing. Every write is audited.
Recomputing deadlines after a change is the complaint service's job, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sro_desk.domain.dates import format_date
from sro_desk.domain.errors import NotFound, ValidationError
from sro_desk.domain.school_calendar import (
    DayOffKind,
    DistrictCalendar,
    NonSchoolDay,
    SchoolCalendar,
    calendar_problems,
    new_day_off_problems,
)
from sro_desk.store.audit import audited_create, audited_delete, audited_update
from sro_desk.store.base import database_proxy
from sro_desk.store.complaint_records import CalendarYearRecord, NonSchoolDayRecord
from sro_desk.store.foundation_records import SchoolYearRecord


def _calendar(row: CalendarYearRecord, days: list[NonSchoolDayRecord]) -> SchoolCalendar:
    return SchoolCalendar(
        row.school_year.label, row.first_day, row.last_day,
        tuple(NonSchoolDay(d.day, DayOffKind(d.kind), d.description) for d in days),
    )


def list_calendars() -> list[SchoolCalendar]:
    """Every entered calendar, oldest first, in two queries."""
    rows = list(
        CalendarYearRecord.select(CalendarYearRecord, SchoolYearRecord)
        .join(SchoolYearRecord)
        .order_by(CalendarYearRecord.first_day)
    )
    by_calendar: dict[int, list[NonSchoolDayRecord]] = {r.id: [] for r in rows}
    for day in NonSchoolDayRecord.select().order_by(NonSchoolDayRecord.day):
        by_calendar.setdefault(day.calendar_id, []).append(day)
    return [_calendar(r, by_calendar[r.id]) for r in rows]


def load_district_calendar() -> DistrictCalendar:
    """All entered calendars as one, for the deadline engine."""
    return DistrictCalendar(tuple(list_calendars()))


def calendar_for(label: str) -> SchoolCalendar | None:
    """The calendar of one school year, or ``None`` when not entered yet."""
    return next((c for c in list_calendars() if c.label == label.strip()), None)


def _school_year(label: str) -> SchoolYearRecord:
    row = SchoolYearRecord.get_or_none(SchoolYearRecord.label == label.strip())
    if row is None:
        known = ", ".join(r.label for r in SchoolYearRecord.select().order_by(
            SchoolYearRecord.first_day)) or "none yet"
        raise NotFound(f"There is no school year {label} (known: {known}). Add it first.")
    return row


def _calendar_row(label: str) -> CalendarYearRecord:
    row = CalendarYearRecord.get_or_none(CalendarYearRecord.school_year == _school_year(label))
    if row is None:
        raise NotFound(f"The {label} calendar has not been entered yet.")
    return row


def save_calendar_year(
    label: str, first_day: dt.date, last_day: dt.date, *, reason: str = ""
) -> SchoolCalendar:
    """Create or change a year's instructional first and last days.

    Refused, in words, when the days are backwards, the label does not match, or a recorded
    non-school day would fall outside the new range. Other years may not overlap.
    """
    year = _school_year(label)
    with database_proxy.atomic():
        row = CalendarYearRecord.get_or_none(CalendarYearRecord.school_year == year)
        existing = calendar_for(label)
        days = existing.days_off if existing else ()
        problems = calendar_problems(year.label, first_day, last_day, days)
        if problems:
            raise ValidationError(problems)
        candidate = SchoolCalendar(year.label, first_day, last_day, days)
        others = [c for c in list_calendars() if c.label != year.label]
        DistrictCalendar((*others, candidate))  # raises on overlap
        if row is None:
            audited_create(CalendarYearRecord, reason=reason, school_year=year,
                           first_day=first_day, last_day=last_day)
        else:
            audited_update(row, reason=reason, first_day=first_day, last_day=last_day)
    result = calendar_for(label)
    assert result is not None
    return result


def add_days_off(label: str, days: Iterable[NonSchoolDay], *, reason: str = "") -> SchoolCalendar:
    """Add closures to a year's calendar, all or none; each refusal reason is listed."""
    wanted = list(days)
    with database_proxy.atomic():
        row = _calendar_row(label)
        if not wanted:
            raise ValidationError("No days to add.")
        calendar = calendar_for(label)
        assert calendar is not None
        problems: list[str] = []
        for off in wanted:
            problems.extend(new_day_off_problems(calendar, off))
            if not new_day_off_problems(calendar, off):
                calendar = calendar.with_days_off([off])
        if problems:
            raise ValidationError(problems)
        for off in wanted:
            audited_create(NonSchoolDayRecord, reason=reason, calendar=row, day=off.day,
                           kind=off.kind.value, description=off.reason.strip())
    result = calendar_for(label)
    assert result is not None
    return result


def remove_day_off(day: dt.date, *, reason: str = "") -> SchoolCalendar:
    """Remove a closure entered by mistake; the year it belonged to is returned."""
    row = NonSchoolDayRecord.get_or_none(NonSchoolDayRecord.day == day)
    if row is None:
        raise NotFound(f"{format_date(day)} is not recorded as a non-school day.")
    label = row.calendar.school_year.label
    audited_delete(row, reason=reason)
    result = calendar_for(label)
    assert result is not None
    return result


def delete_calendar_year(label: str, *, reason: str = "") -> None:
    """Delete a year's calendar and its days off, each deletion audited."""
    with database_proxy.atomic():
        row = _calendar_row(label)
        for day in NonSchoolDayRecord.select().where(NonSchoolDayRecord.calendar == row):
            audited_delete(day, reason=reason)
        audited_delete(row, reason=reason)
