"""Agreements: annual agreements, their checklists, review meetings, start-of-year duties.

Frozen copies of the models as they were at this migration; the foundation tables they refer to
are declared with only the columns needed for the foreign keys.
"""

from peewee import CharField, DateField, ForeignKeyField, IntegerField, Model, TextField


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

    class ProviderRecord(Base):
        class Meta:
            table_name = "provider_record"

    class AgreementRecord(Base):
        school_year = CharField(index=True)
        provider = ForeignKeyField(ProviderRecord, on_delete="RESTRICT")
        title = CharField()
        effective_on = DateField(null=True)
        expires_on = DateField(null=True)
        adopted_on = DateField(null=True)
        responsible = TextField(default="")
        notes = TextField(default="")
        previous_notes = TextField(default="")
        rolled_from_id = IntegerField(null=True)
        document = ForeignKeyField(AttachmentRecord, null=True, on_delete="SET NULL")

        class Meta:
            indexes = ((("school_year", "provider"), True),)

    class AgreementItemRecord(Base):
        agreement = ForeignKeyField(AgreementRecord, on_delete="CASCADE")
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

    class ReviewMeetingRecord(Base):
        school_year = CharField(index=True)
        agreement = ForeignKeyField(AgreementRecord, null=True, on_delete="CASCADE")
        held_on = DateField()
        kind = CharField()
        parents = IntegerField(default=0)
        students = IntegerField(default=0)
        community = IntegerField(default=0)
        staff = IntegerField(default=0)
        agency = IntegerField(default=0)
        notes = TextField(default="")
        minutes = ForeignKeyField(AttachmentRecord, null=True, on_delete="SET NULL")

    class BuildingStartOfYearRecord(Base):
        building = ForeignKeyField(BuildingRecord, on_delete="RESTRICT")
        school_year = CharField(index=True)
        presented_on = DateField(null=True)
        presenter = CharField(default="")
        audience = CharField(default="")
        presentation_notes = TextField(default="")
        distributed_on = DateField(null=True)
        methods = CharField(default="")
        languages = CharField(default="")
        distribution_notes = TextField(default="")

        class Meta:
            indexes = ((("building", "school_year"), True),)

    db.create_tables(
        [AgreementRecord, AgreementItemRecord, ReviewMeetingRecord, BuildingStartOfYearRecord]
    )
