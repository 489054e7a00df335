"""Complaints, the district calendar, supervision meetings and prevention activities.

Frozen copies of the models as they were at this migration; the foundation tables they refer to
are declared with only the columns needed for the foreign keys.
"""


from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
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

    class AttachmentRecord(Base):
        class Meta:
            table_name = "attachment_record"

    class BuildingRecord(Base):
        class Meta:
            table_name = "building_record"

    class SchoolYearRecord(Base):
        class Meta:
            table_name = "school_year_record"

    class StaffRecord(Base):
        class Meta:
            table_name = "staff_record"

    class CalendarYearRecord(Base):
        school_year = ForeignKeyField(SchoolYearRecord, unique=True, on_delete="RESTRICT")
        first_day = DateField()
        last_day = DateField()

    class NonSchoolDayRecord(Base):
        calendar = ForeignKeyField(CalendarYearRecord, on_delete="CASCADE")
        day = DateField(unique=True)
        kind = CharField()
        description = CharField(default="")
        added_at = DateTimeField(default=clock.now)

    class ComplaintRecord(Base):
        received_on = DateField(index=True)
        channel = CharField()
        category = CharField()
        building = ForeignKeyField(BuildingRecord, on_delete="RESTRICT")
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

    class ComplaintStaffRecord(Base):
        complaint = ForeignKeyField(ComplaintRecord, on_delete="CASCADE")
        staff = ForeignKeyField(StaffRecord, on_delete="RESTRICT")

        class Meta:
            indexes = ((("complaint", "staff"), True),)

    class ComplaintStepRecord(Base):
        complaint = ForeignKeyField(ComplaintRecord, on_delete="CASCADE")
        seq = IntegerField()
        stage = CharField()
        on = DateField()
        by = CharField()
        detail = TextField(default="")

        class Meta:
            indexes = ((("complaint", "seq"), True),)

    class ComplaintExtensionRecord(Base):
        complaint = ForeignKeyField(ComplaintRecord, on_delete="CASCADE")
        seq = IntegerField()
        deadline = CharField()
        notice_date = DateField()
        notice_reason = TextField()
        new_due = DateField()
        by = CharField()
        previous_due = DateField(null=True)

        class Meta:
            indexes = ((("complaint", "seq"), True),)

    class ComplaintAttachmentRecord(Base):
        complaint = ForeignKeyField(ComplaintRecord, on_delete="CASCADE")
        attachment = ForeignKeyField(AttachmentRecord, on_delete="CASCADE")

    class DeadlineChangeRecord(Base):
        complaint = ForeignKeyField(ComplaintRecord, on_delete="CASCADE")
        changed_at = DateTimeField(default=clock.now)
        old_due = DateField(null=True)
        new_due = DateField(null=True)
        explanation = TextField()

    class SupervisionMeetingRecord(Base):
        held_on = DateField(index=True)
        kind = CharField()
        principal = CharField()
        staff = ForeignKeyField(StaffRecord, on_delete="RESTRICT")
        building = ForeignKeyField(BuildingRecord, on_delete="RESTRICT")
        topics = TextField(default="")
        notes = TextField(default="")

    class PreventionActivityRecord(Base):
        held_on = DateField(index=True)
        kind = CharField()
        building = ForeignKeyField(BuildingRecord, on_delete="RESTRICT")
        staff = ForeignKeyField(StaffRecord, null=True, on_delete="RESTRICT")
        participants = IntegerField(default=0)
        notes = TextField(default="")

    db.create_tables(
        [
            CalendarYearRecord,
            NonSchoolDayRecord,
            ComplaintRecord,
            ComplaintStaffRecord,
            ComplaintStepRecord,
            ComplaintExtensionRecord,
            ComplaintAttachmentRecord,
            DeadlineChangeRecord,
            SupervisionMeetingRecord,
            PreventionActivityRecord,
        ]
    )
