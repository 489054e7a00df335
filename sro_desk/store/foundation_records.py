"""Tables of the foundation: settings, audit trail, attachments, district set-up and roster."""

from __future__ import annotations

import datetime as dt

from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from sro_desk import clock
from sro_desk.store.base import BaseRecord


def _now() -> dt.datetime:
    return clock.now()


class SettingRecord(BaseRecord):
    key = CharField(unique=True)
    value = TextField()


class AuditRecord(BaseRecord):
    at = CharField()
    actor = CharField()
    action = CharField()
    record_type = CharField(index=True)
    record_id = CharField()
    changes = TextField()
    prev_hash = CharField()
    entry_hash = CharField()


class AttachmentRecord(BaseRecord):
    filename = CharField()
    mime_type = CharField()
    size = IntegerField()
    sha256 = CharField(index=True)
    data = BlobField()
    added_at = DateTimeField(default=_now)


class BuildingRecord(BaseRecord):
    name = CharField(unique=True)
    code = CharField(unique=True)
    grade_span = CharField(default="")
    active = BooleanField(default=True)


class ProviderRecord(BaseRecord):
    name = CharField(unique=True)
    kind = CharField()
    contact_name = CharField(default="")
    phone = CharField(default="")
    email = CharField(default="")


class SchoolYearRecord(BaseRecord):
    label = CharField(unique=True)
    first_day = DateField()
    last_day = DateField()


class StaffRecord(BaseRecord):
    first_name = CharField(default="")
    last_name = CharField(index=True)
    role = CharField()
    commissioned = BooleanField(default=False)
    provider = ForeignKeyField(ProviderRecord, backref="staff", on_delete="RESTRICT")
    badge_number = CharField(default="")
    phone = CharField(default="")
    email = CharField(default="")
    first_day_with_students = DateField(null=True)
    assignment_start = DateField(null=True)
    assignment_end = DateField(null=True)
    status = CharField(index=True)
    notes = TextField(default="")
    created_at = DateTimeField(default=_now)


class StaffAssignmentRecord(BaseRecord):
    staff = ForeignKeyField(StaffRecord, backref="assignments", on_delete="CASCADE")
    building = ForeignKeyField(BuildingRecord, backref="assignments", on_delete="RESTRICT")
    days_per_week = FloatField()

    class Meta:
        indexes = ((("staff", "building"), True),)
