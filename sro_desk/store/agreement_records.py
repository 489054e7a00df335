"""Tables of the Agreements tab: agreements, their checklists, review meetings, start-of-year duties.

Each change goes through the audited helpers in ``sro_desk.store.audit``. Signed documents and
minutes are ``AttachmentRecord`` rows (bytes and SHA-256 in the database).
"""

from __future__ import annotations

from peewee import CharField, DateField, ForeignKeyField, IntegerField, TextField

from sro_desk.store.base import BaseRecord
from sro_desk.store.foundation_records import AttachmentRecord, BuildingRecord, ProviderRecord


class AgreementRecord(BaseRecord):
    school_year = CharField(index=True)
    provider = ForeignKeyField(ProviderRecord, backref="agreements", on_delete="RESTRICT")
    title = CharField()
    effective_on = DateField(null=True)
    expires_on = DateField(null=True)
    adopted_on = DateField(null=True)
    responsible = TextField(default="")
    notes = TextField(default="")
    previous_notes = TextField(default="")
    rolled_from_id = IntegerField(null=True)
    document = ForeignKeyField(
        AttachmentRecord, null=True, backref="agreements", on_delete="SET NULL"
    )

    class Meta:
        indexes = ((("school_year", "provider"), True),)


class AgreementItemRecord(BaseRecord):
    agreement = ForeignKeyField(AgreementRecord, backref="items", on_delete="CASCADE")
    item_key = CharField()
    status = CharField()
    not_applicable_reason = TextField(default="")
    section = CharField(default="")
    evidence = TextField(default="")
    checked_by = CharField(default="")
    checked_on = DateField(null=True)
    notes = TextField(default="")
    previous_notes = TextField(default="")

    class Meta:
        indexes = ((("agreement", "item_key"), True),)


class ReviewMeetingRecord(BaseRecord):
    school_year = CharField(index=True)
    agreement = ForeignKeyField(
        AgreementRecord, null=True, backref="meetings", on_delete="CASCADE"
    )
    held_on = DateField()
    kind = CharField()
    parents = IntegerField(default=0)
    students = IntegerField(default=0)
    community = IntegerField(default=0)
    staff = IntegerField(default=0)
    agency = IntegerField(default=0)
    notes = TextField(default="")
    minutes = ForeignKeyField(
        AttachmentRecord, null=True, backref="review_meetings", on_delete="SET NULL"
    )


class BuildingStartOfYearRecord(BaseRecord):
    building = ForeignKeyField(BuildingRecord, backref="start_of_year", on_delete="RESTRICT")
    school_year = CharField(index=True)
    presented_on = DateField(null=True)
    presenter = CharField(default="")
    audience = CharField(default="")
    presentation_notes = TextField(default="")
    distributed_on = DateField(null=True)
    methods = CharField(default="")
    languages = CharField(default="")
    distribution_notes = TextField(default="")
    intervention_training_on = DateField(null=True)
    intervention_trainer = CharField(default="")
    intervention_training_notes = TextField(default="")

    class Meta:
        indexes = ((("building", "school_year"), True),)
