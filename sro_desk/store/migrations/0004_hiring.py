"""Hiring: rounds, panelists, questions, candidates, scores, consensus, decisions, sheet imports.

Frozen copies of the models as they were at this migration.
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

    class HiringQuestionRecord(Base):
        round = ForeignKeyField(HiringRoundRecord, on_delete="RESTRICT")
        position = IntegerField()
        text = TextField()
        competency = CharField()
        provided_by = CharField()
        weight = CharField(default="1")
        weight_reason = TextField(default="")
        anchors = TextField()

    class HiringCandidateRecord(Base):
        round = ForeignKeyField(HiringRoundRecord, on_delete="RESTRICT")
        name = CharField()
        current_assignment = CharField(default="")
        screening_passed = DateField(null=True)
        notes = TextField(default="")

    class HiringScoreRecord(Base):
        panelist = ForeignKeyField(HiringPanelistRecord, on_delete="RESTRICT")
        candidate = ForeignKeyField(HiringCandidateRecord, on_delete="RESTRICT")
        question = ForeignKeyField(HiringQuestionRecord, on_delete="RESTRICT")
        value = IntegerField()
        comment = TextField(default="")
        justification = TextField(default="")
        entry = CharField()
        updated_at = DateTimeField(default=_now)

        class Meta:
            indexes = ((("panelist", "candidate", "question"), True),)

    class HiringConsensusRecord(Base):
        candidate = ForeignKeyField(HiringCandidateRecord, unique=True, on_delete="RESTRICT")
        value = CharField()
        note = TextField()

    class HiringDecisionRecord(Base):
        round = ForeignKeyField(HiringRoundRecord, unique=True, on_delete="RESTRICT")
        kind = CharField()
        candidate = ForeignKeyField(HiringCandidateRecord, on_delete="RESTRICT")
        rationale = TextField()
        outcome = TextField(default="")
        decided_on = DateField(null=True)

    class HiringSheetImportRecord(Base):
        round = ForeignKeyField(HiringRoundRecord, on_delete="RESTRICT")
        panelist = ForeignKeyField(HiringPanelistRecord, on_delete="RESTRICT")
        sheet_id = CharField(index=True)
        content_digest = CharField(index=True)
        filename = CharField(default="")
        imported_at = DateTimeField(default=_now)

    db.create_tables([
        HiringRoundRecord, HiringPanelistRecord, HiringQuestionRecord, HiringCandidateRecord,
        HiringScoreRecord, HiringConsensusRecord, HiringDecisionRecord, HiringSheetImportRecord,
    ])
