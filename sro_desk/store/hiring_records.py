"""Tables of the Hiring tab: rounds, panelists, questions, candidates, scores, consensus, decision.

Every coordinator change goes through the audited helpers in ``sro_desk.store.audit``. Scores hang
off their panelist, candidate and question with RESTRICT, so a scored person or question cannot
disappear from the record; weights and consensus values are stored as decimal text (exact).
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from sro_desk import clock
from sro_desk.store.base import BaseRecord


def _now() -> dt.datetime:
    return clock.now()


class HiringRoundRecord(BaseRecord):
    position = CharField()
    agency = CharField()
    building = CharField(default="")
    start_date = DateField(null=True)
    end_date = DateField(null=True)
    status = CharField()
    revealed_at = DateTimeField(null=True)
    notes = TextField(default="")
    created_at = DateTimeField(default=_now)


class HiringPanelistRecord(BaseRecord):
    round = ForeignKeyField(HiringRoundRecord, backref="panelists", on_delete="RESTRICT")
    name = CharField()
    organization = CharField()
    role = CharField(default="")
    district_voting = BooleanField(default=False)
    submitted_at = DateTimeField(null=True)


class HiringQuestionRecord(BaseRecord):
    round = ForeignKeyField(HiringRoundRecord, backref="questions", on_delete="RESTRICT")
    position = IntegerField()
    text = TextField()
    competency = CharField()
    provided_by = CharField()
    weight = CharField(default="1")
    weight_reason = TextField(default="")
    anchors = TextField()  # JSON list of five texts


class HiringCandidateRecord(BaseRecord):
    round = ForeignKeyField(HiringRoundRecord, backref="candidates", on_delete="RESTRICT")
    name = CharField()
    current_assignment = CharField(default="")
    screening_passed = DateField(null=True)
    notes = TextField(default="")


class HiringScoreRecord(BaseRecord):
    panelist = ForeignKeyField(HiringPanelistRecord, backref="scores", on_delete="RESTRICT")
    candidate = ForeignKeyField(HiringCandidateRecord, backref="scores", on_delete="RESTRICT")
    question = ForeignKeyField(HiringQuestionRecord, backref="scores", on_delete="RESTRICT")
    value = IntegerField()
    comment = TextField(default="")
    justification = TextField(default="")
    entry = CharField()
    updated_at = DateTimeField(default=_now)

    class Meta:
        indexes = ((("panelist", "candidate", "question"), True),)


class HiringConsensusRecord(BaseRecord):
    candidate = ForeignKeyField(
        HiringCandidateRecord, backref="consensus", unique=True, on_delete="RESTRICT"
    )
    value = CharField()
    note = TextField()


class HiringDecisionRecord(BaseRecord):
    round = ForeignKeyField(HiringRoundRecord, backref="decision", unique=True, on_delete="RESTRICT")
    kind = CharField()
    candidate = ForeignKeyField(HiringCandidateRecord, backref="decisions", on_delete="RESTRICT")
    rationale = TextField()
    outcome = TextField(default="")
    decided_on = DateField(null=True)


class HiringSheetImportRecord(BaseRecord):
    round = ForeignKeyField(HiringRoundRecord, backref="sheet_imports", on_delete="RESTRICT")
    panelist = ForeignKeyField(HiringPanelistRecord, backref="sheet_imports", on_delete="RESTRICT")
    sheet_id = CharField(index=True)
    content_digest = CharField(index=True)
    filename = CharField(default="")
    imported_at = DateTimeField(default=_now)


class HiringPanelistPinRecord(BaseRecord):
    """A panelist's sheet PIN as a salted PBKDF2 digest (never the PIN). Bytes fields show in the
    audit trail only as "<16 bytes>", so the digest is not copied into the audit chain either."""

    panelist = ForeignKeyField(HiringPanelistRecord, backref="pin", unique=True,
                               on_delete="CASCADE")
    salt = BlobField()
    digest = BlobField()
    iterations = IntegerField()
    failed_attempts = IntegerField(default=0)
    set_at = DateTimeField(default=_now)
