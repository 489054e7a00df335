"""Training: completion records, evidence links, ESD waivers, ESD training series documentation.

Frozen copies of the models as they were at this migration; the foundation tables they refer to
are declared with only what the foreign keys need.
"""

from peewee import (
    CharField,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    Model,
    TextField,
)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class AttachmentRecord(Base):
        class Meta:
            table_name = "attachment_record"

    class StaffRecord(Base):
        class Meta:
            table_name = "staff_record"

    class TrainingCompletionRecord(Base):
        staff = ForeignKeyField(StaffRecord, on_delete="RESTRICT")
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

    class TrainingEvidenceRecord(Base):
        completion = ForeignKeyField(TrainingCompletionRecord, on_delete="CASCADE")
        attachment = ForeignKeyField(AttachmentRecord, on_delete="RESTRICT")

        class Meta:
            indexes = ((("completion", "attachment"), True),)

    class TrainingWaiverRecord(Base):
        staff = ForeignKeyField(StaffRecord, on_delete="RESTRICT")
        requirement_code = CharField()
        waived_on = DateField()
        issuing_esd = CharField()
        grounds = TextField()
        document = ForeignKeyField(AttachmentRecord, null=True, on_delete="SET NULL")
        recorded_by = CharField(default="")

        class Meta:
            indexes = ((("staff", "requirement_code"), True),)

    class EsdDocumentationRecord(Base):
        staff = ForeignKeyField(StaffRecord, on_delete="RESTRICT")
        received_on = DateField()
        issuing_esd = CharField()
        document = ForeignKeyField(AttachmentRecord, null=True, on_delete="SET NULL")
        confirmed_by = CharField(default="")
        confirmed_at = DateTimeField(null=True)
        notes = TextField(default="")

    db.create_tables(
        [
            TrainingCompletionRecord,
            TrainingEvidenceRecord,
            TrainingWaiverRecord,
            EsdDocumentationRecord,
        ]
    )
