"""Tables for complaints, the district calendar, supervision meetings and prevention work.

Dates are stored as dates; enums as their human labels (the domain's ``StrEnum`` values), so a
file read with any SQLite tool says what it means.
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from sro_desk import clock
from sro_desk.store.base import BaseRecord
from sro_desk.store.foundation_records import (
    AttachmentRecord,
    BuildingRecord,
    SchoolYearRecord,
    StaffRecord,
)


def _now() -> dt.datetime:
    return clock.now()


class CalendarYearRecord(BaseRecord):
    """A school year's instructional calendar: entered means deadlines can be counted in it."""

    school_year = ForeignKeyField(SchoolYearRecord, unique=True, backref="calendar",
                                  on_delete="RESTRICT")
    first_day = DateField()
    last_day = DateField()


class NonSchoolDayRecord(BaseRecord):
    calendar = ForeignKeyField(CalendarYearRecord, backref="days_off", on_delete="CASCADE")
    day = DateField(unique=True)
    kind = CharField()
    description = CharField(default="")
    added_at = DateTimeField(default=_now)


class ComplaintRecord(BaseRecord):
    received_on = DateField(index=True)
    channel = CharField()
    category = CharField()
    building = ForeignKeyField(BuildingRecord, backref="complaints", on_delete="RESTRICT")
    description = TextField()
    incident_date = DateField(null=True)
    anonymous = BooleanField(default=False)
    complainant_name = CharField(default="")
    complainant_contact = TextField(default="")
    language_assistance = BooleanField(default=False)
    language = CharField(default="")
    stage = CharField(index=True)
    investigator = CharField(default="")
    investigation_started_on = DateField(null=True)
    agency_notified_on = DateField(null=True)
    determination_on = DateField(null=True)
    finding = CharField(default="")
    determination_summary = TextField(default="")
    appeal_received_on = DateField(null=True)
    appellant = CharField(default="")
    appeal_decided_on = DateField(null=True)
    appeal_finding = CharField(default="")
    appeal_summary = TextField(default="")
    closed_on = DateField(null=True)
    closure_note = TextField(default="")


class ComplaintStaffRecord(BaseRecord):
    complaint = ForeignKeyField(ComplaintRecord, backref="staff_links", on_delete="CASCADE")
    staff = ForeignKeyField(StaffRecord, backref="complaint_links", on_delete="RESTRICT")

    class Meta:
        indexes = ((("complaint", "staff"), True),)


class ComplaintStepRecord(BaseRecord):
    complaint = ForeignKeyField(ComplaintRecord, backref="steps", on_delete="CASCADE")
    seq = IntegerField()
    stage = CharField()
    on = DateField()
    by = CharField()
    detail = TextField(default="")

    class Meta:
        indexes = ((("complaint", "seq"), True),)


class ComplaintExtensionRecord(BaseRecord):
    complaint = ForeignKeyField(ComplaintRecord, backref="extensions", on_delete="CASCADE")
    seq = IntegerField()
    deadline = CharField()
    notice_date = DateField()
    notice_reason = TextField()
    new_due = DateField()
    by = CharField()
    previous_due = DateField(null=True)

    class Meta:
        indexes = ((("complaint", "seq"), True),)


class ComplaintAttachmentRecord(BaseRecord):
    complaint = ForeignKeyField(ComplaintRecord, backref="attachments", on_delete="CASCADE")
    attachment = ForeignKeyField(AttachmentRecord, on_delete="CASCADE")


class DeadlineChangeRecord(BaseRecord):
    """A deadline moved by a calendar change, listed for the coordinator and kept for the file."""

    complaint = ForeignKeyField(ComplaintRecord, backref="deadline_changes", on_delete="CASCADE")
    changed_at = DateTimeField(default=_now)
    old_due = DateField(null=True)
    new_due = DateField(null=True)
    explanation = TextField()


class SupervisionMeetingRecord(BaseRecord):
    held_on = DateField(index=True)
    kind = CharField()
    principal = CharField()
    staff = ForeignKeyField(StaffRecord, backref="supervision_meetings", on_delete="RESTRICT")
    building = ForeignKeyField(BuildingRecord, backref="supervision_meetings",
                               on_delete="RESTRICT")
    topics = TextField(default="")
    notes = TextField(default="")


class PreventionActivityRecord(BaseRecord):
    held_on = DateField(index=True)
    kind = CharField()
    building = ForeignKeyField(BuildingRecord, backref="prevention_activities",
                               on_delete="RESTRICT")
    staff = ForeignKeyField(StaffRecord, null=True, backref="prevention_activities",
                            on_delete="RESTRICT")
    participants = IntegerField(default=0)
    notes = TextField(default="")
