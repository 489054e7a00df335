"""The district's safety and security staff policy: its adoption and periodic reviews."""

from __future__ import annotations

from peewee import CharField, DateField, ForeignKeyField, TextField

from sro_desk.store.base import BaseRecord
from sro_desk.store.foundation_records import AttachmentRecord


class PolicyReviewRecord(BaseRecord):
    """One board action on the policy and procedure: its adoption, or a periodic review."""

    title = CharField()
    adopted_on = DateField(null=True)
    board_action = TextField(default="")
    reviewed_on = DateField(null=True)
    next_review_on = DateField(null=True)
    notes = TextField(default="")
    document = ForeignKeyField(
        AttachmentRecord, null=True, backref="policy_reviews", on_delete="SET NULL"
    )
