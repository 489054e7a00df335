"""Tables of the Training tab: completion records with their evidence, ESD waivers and ESD
training series documentation.

District changes to the requirements catalog and the alert thresholds are settings (audited JSON
in ``SettingRecord``), so the catalog itself stays data. Staff rows are ``RESTRICT``: a person
with training records is deactivated, not deleted, because the records are what the district keeps
to verify that training took place.
"""

from __future__ import annotations

from peewee import (
    CharField,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    TextField,
)

from sro_desk.store.base import BaseRecord
from sro_desk.store.foundation_records import AttachmentRecord, StaffRecord


class TrainingCompletionRecord(BaseRecord):
    staff = ForeignKeyField(StaffRecord, backref="training_completions", on_delete="RESTRICT")
    requirement_code = CharField(index=True)
    completed_on = DateField()
    provider_kind = CharField()
    provider_name = CharField(default="")
    delivery = CharField()
    hours = FloatField(null=True)
    notes = TextField(default="")
    mentor = CharField(default="")
    mentor_school = CharField(default="")
    claimed_by = CharField(default="")
    verified_by = CharField(default="")
    verified_at = DateTimeField(null=True)
    # From an ESD's completion roster (migration 0008); empty when not given.
    certificate_number = CharField(default="")
    module_version = CharField(default="")
    issuing_esd = CharField(default="")


class TrainingEvidenceRecord(BaseRecord):
    completion = ForeignKeyField(
        TrainingCompletionRecord, backref="evidence", on_delete="CASCADE"
    )
    attachment = ForeignKeyField(AttachmentRecord, backref="training_evidence", on_delete="RESTRICT")

    class Meta:
        indexes = ((("completion", "attachment"), True),)


class TrainingWaiverRecord(BaseRecord):
    staff = ForeignKeyField(StaffRecord, backref="training_waivers", on_delete="RESTRICT")
    requirement_code = CharField()
    waived_on = DateField()
    issuing_esd = CharField()
    grounds = TextField()
    document = ForeignKeyField(
        AttachmentRecord, null=True, backref="training_waivers", on_delete="SET NULL"
    )
    recorded_by = CharField(default="")

    class Meta:
        indexes = ((("staff", "requirement_code"), True),)


class EsdDocumentationRecord(BaseRecord):
    staff = ForeignKeyField(StaffRecord, backref="esd_documentation", on_delete="RESTRICT")
    received_on = DateField()
    issuing_esd = CharField()
    document = ForeignKeyField(
        AttachmentRecord, null=True, backref="esd_documentation", on_delete="SET NULL"
    )
    confirmed_by = CharField(default="")
    confirmed_at = DateTimeField(null=True)
    notes = TextField(default="")
