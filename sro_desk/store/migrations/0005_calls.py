"""Calls for law enforcement service, the students involved in them, and district labels.

Frozen copies of the models as they were at this migration; the foundation table they refer to
is declared with only what the foreign key needs.
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
    TimeField,
)

from sro_desk import clock


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class BuildingRecord(Base):
        class Meta:
            table_name = "building_record"

    def now():
        return clock.now()

    class CallRecord(Base):
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
        created_at = DateTimeField(default=now)

    class CallStudentRecord(Base):
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

    class CallLabelRecord(Base):
        kind = CharField()
        label = CharField()
        added_at = DateTimeField(default=now)

        class Meta:
            indexes = ((("kind", "label"), True),)

    db.create_tables([CallRecord, CallStudentRecord, CallLabelRecord])
