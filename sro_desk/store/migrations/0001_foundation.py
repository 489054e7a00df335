"""Foundation: settings, audit trail, attachments, buildings, providers, school years, staff.

Frozen copies of the models as they were at this migration: later changes to the live models in
``sro_desk/store/foundation_records.py`` must come with a new numbered migration, never an edit here.
"""


from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from sro_desk import clock


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class SettingRecord(Base):
        key = CharField(unique=True)
        value = TextField()

    class AuditRecord(Base):
        at = CharField()
        actor = CharField()
        action = CharField()
        record_type = CharField(index=True)
        record_id = CharField()
        changes = TextField()
        prev_hash = CharField()
        entry_hash = CharField()

    class AttachmentRecord(Base):
        filename = CharField()
        mime_type = CharField()
        size = IntegerField()
        sha256 = CharField(index=True)
        data = BlobField()
        added_at = DateTimeField(default=clock.now)

    class BuildingRecord(Base):
        name = CharField(unique=True)
        code = CharField(unique=True)
        grade_span = CharField(default="")
        active = BooleanField(default=True)

    class ProviderRecord(Base):
        name = CharField(unique=True)
        kind = CharField()
        contact_name = CharField(default="")
        phone = CharField(default="")
        email = CharField(default="")

    class SchoolYearRecord(Base):
        label = CharField(unique=True)
        first_day = DateField()
        last_day = DateField()

    class StaffRecord(Base):
        first_name = CharField(default="")
        last_name = CharField(index=True)
        role = CharField()
        commissioned = BooleanField(default=False)
        provider = ForeignKeyField(ProviderRecord, on_delete="RESTRICT")
        badge_number = CharField(default="")
        phone = CharField(default="")
        email = CharField(default="")
        first_day_with_students = DateField(null=True)
        assignment_start = DateField(null=True)
        assignment_end = DateField(null=True)
        status = CharField(index=True)
        notes = TextField(default="")
        created_at = DateTimeField(default=clock.now)

    class StaffAssignmentRecord(Base):
        staff = ForeignKeyField(StaffRecord, on_delete="CASCADE")
        building = ForeignKeyField(BuildingRecord, on_delete="RESTRICT")
        days_per_week = FloatField()

        class Meta:
            indexes = ((("staff", "building"), True),)

    db.create_tables(
        [
            SettingRecord,
            AuditRecord,
            AttachmentRecord,
            BuildingRecord,
            ProviderRecord,
            SchoolYearRecord,
            StaffRecord,
            StaffAssignmentRecord,
        ]
    )
