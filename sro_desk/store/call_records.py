"""Tables for calls for law enforcement service, the students involved, and district labels.

There is deliberately no column for a student's name, ID number, immigration or citizenship
status or place of birth (RCW 10.93.160); a student row is demographics and outcome only.
Labels are stored as their text so the file reads plainly with any SQLite tool.
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
    TimeField,
)

from sro_desk import clock
from sro_desk.store.base import BaseRecord
from sro_desk.store.foundation_records import BuildingRecord


def _now() -> dt.datetime:
    return clock.now()


class CallRecord(BaseRecord):
    ref = CharField(unique=True)
    occurred_on = DateField(index=True)
    occurred_at = TimeField(null=True)
    building = ForeignKeyField(BuildingRecord, backref="calls", on_delete="RESTRICT")
    location = CharField()
    initiated_by = CharField()
    emergency = BooleanField(default=False)
    offense_type = CharField()
    description = TextField(default="")
    outcome = CharField()
    source = CharField(default="entered")
    created_at = DateTimeField(default=_now)


class CallStudentRecord(BaseRecord):
    call = ForeignKeyField(CallRecord, backref="students", on_delete="CASCADE")
    position = IntegerField()
    age = IntegerField()
    gender = CharField()
    race = CharField()
    iep = BooleanField()
    section_504 = BooleanField()
    outcome = CharField()
    use_of_force = BooleanField()
    discipline = BooleanField()


class CallLabelRecord(BaseRecord):
    """An offense type or outcome the district added to the built-in catalog."""

    kind = CharField()
    label = CharField()
    added_at = DateTimeField(default=_now)

    class Meta:
        indexes = ((("kind", "label"), True),)
