"""Hiring: a panelist's optional sheet PIN, kept as a salted PBKDF2 digest.

Frozen copies of the models as they were at this migration.
"""


from peewee import (
    BlobField,
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


def _now():
    return clock.now()


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class HiringRoundRecord(Base):
        position = CharField()
        agency = CharField()
        building = CharField(default="")
        start_date = DateField(null=True)
        end_date = DateField(null=True)
        status = CharField()
        revealed_at = DateTimeField(null=True)
        notes = TextField(default="")
        created_at = DateTimeField(default=_now)

    class HiringPanelistRecord(Base):
        round = ForeignKeyField(HiringRoundRecord, on_delete="RESTRICT")
        name = CharField()
        organization = CharField()
        role = CharField(default="")
        district_voting = BooleanField(default=False)
        submitted_at = DateTimeField(null=True)

    class HiringPanelistPinRecord(Base):
        panelist = ForeignKeyField(HiringPanelistRecord, unique=True, on_delete="CASCADE")
        salt = BlobField()
        digest = BlobField()
        iterations = IntegerField()
        failed_attempts = IntegerField(default=0)
        set_at = DateTimeField(default=_now)

    db.create_tables([HiringPanelistPinRecord])
