"""The law is not a setting: statutory duties restored on open; the seed duties' records.

1. Training requirement settings that switched off or relaxed a statutory requirement are removed:
   every classroom topic of RCW 28A.310.515(2) and both on-the-job days are required of all safety
   and security staff (RCW 28A.400.345(2)(b)-(c)), the check-ins of every staff member who is not
   an SRO ((2)(d)), and the security guard trainings of RCW 18.170.105. Only an ESD may document
   prior training or waive a component, and that path (waivers, ESD documentation) is untouched.
2. Agreement checklist items of RCW 28A.320.1242 and RCW 28A.320.124(1) marked "not applicable"
   go back to "not started"; the old reason is kept in the item's notes.
3. Each building's start-of-year record gains the Snohomish procedure's duty "Staff will be trained
   on when it is appropriate to ask an SRO to intervene" (date, trainer, notes).
4. A table for the adoption and periodic review of the district's safety and security staff policy
   and procedure (RCW 28A.320.124(1); Index and Port Townsend Policy 4311).

Every change of (1) and (2) writes an audit entry saying why, in the same transaction, chained as
``sro_desk.store.audit`` chains them. Frozen: the locked codes and the statutory checklist keys are
written out here as they were at this migration, never read from the live catalogs.
"""

import json

from peewee import CharField, DateField, ForeignKeyField, Model, TextField

from sro_desk import clock
from sro_desk.domain.audit import GENESIS, canonical_changes, entry_hash
from sro_desk.store.audit import current_actor  # who opened the file (a function, not a model)

LOCKED_SERIES = frozenset(
    [f"topic_{letter}" for letter in "abcdefghijklm"] + ["on_the_job", "check_ins"]
)
GUARD_RENEWALS = {"guard_pre_assignment": None, "guard_post_assignment": None,
                  "guard_refresher": 12}
GUARD_EMPLOYERS = ["security_guard_company"]
STATUTORY_ITEMS = frozenset([
    "duties_no_formal_discipline", "informal_versus_enforcement", "request_to_intervene",
    "positive_climate", "complaint_process", "hiring_and_placement", "performance_evaluation",
    "training_documentation", "annual_data_collection", "review_involved_community",
    "adopted_this_year",
])

TRAINING_REASON = (
    "Statutory training requirements are locked: RCW 28A.400.345(2)(b)-(d) requires every topic "
    "of RCW 28A.310.515(2), both on-the-job days and (for staff who are not SROs) the check-ins, "
    "and RCW 18.170.105 the security guard trainings. A district setting cannot mark them not "
    "required or relax them; only an ESD may document prior training or waive a component. "
    "Removed on opening this file (migration 0009): {removed}."
)
CHECKLIST_REASON = (
    "Statutory checklist items are locked: RCW 28A.320.1242 and RCW 28A.320.124(1) ask them of "
    "every agreement, so they cannot be marked not applicable. Restored to not started on opening "
    "this file (migration 0009); the earlier reason is kept in the notes."
)


def _relaxes(item):
    """Would this stored training setting switch off or relax a statutory requirement?"""
    code = item.get("code")
    if code in LOCKED_SERIES:
        return not item.get("required", True) or any(
            item.get(key) not in (None, False)
            for key in ("renewal_months", "once", "roles", "employer_kinds")
        )
    if code in GUARD_RENEWALS:
        if not item.get("required", True):
            return True
        law = GUARD_RENEWALS[code]
        months = item.get("renewal_months")
        if law is not None and (item.get("once") or (months is not None and months > law)):
            return True
        roles = item.get("roles")
        employers = item.get("employer_kinds")
        if roles:  # the law names no roles: any list narrows it
            return True
        return bool(employers) and not set(GUARD_EMPLOYERS) <= set(employers)
    return False


def _describe(item):
    code = item.get("code")
    if not item.get("required", True):
        return f"{code} marked not required ({item.get('reason') or 'no reason given'})"
    return f"{code} relaxed"


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

    class AgreementItemRecord(Base):
        item_key = CharField()
        status = CharField()
        not_applicable_reason = TextField(default="")
        notes = TextField(default="")

    class AttachmentRecord(Base):
        class Meta:
            table_name = "attachment_record"

    class PolicyReviewRecord(Base):
        title = CharField()
        adopted_on = DateField(null=True)
        board_action = TextField(default="")
        reviewed_on = DateField(null=True)
        next_review_on = DateField(null=True)
        notes = TextField(default="")
        document = ForeignKeyField(AttachmentRecord, null=True, on_delete="SET NULL")

    def audit(record_type, record_id, changes):
        last = AuditRecord.select(AuditRecord.entry_hash).order_by(AuditRecord.id.desc()).first()
        prev = last.entry_hash if last else GENESIS
        at = clock.utc_now().isoformat(timespec="microseconds")
        text = canonical_changes(changes)
        actor = current_actor()
        digest = entry_hash(prev, at, actor, "update", record_type, str(record_id), text)
        AuditRecord.create(at=at, actor=actor, action="update", record_type=record_type,
                           record_id=str(record_id), changes=text, prev_hash=prev,
                           entry_hash=digest)

    tables = set(db.get_tables())

    # 1. training settings
    if "setting_record" in tables:
        row = SettingRecord.get_or_none(SettingRecord.key == "training.requirement_settings")
        if row is not None:
            try:
                stored = json.loads(row.value)
            except ValueError:
                stored = None
            if isinstance(stored, list):
                kept = [i for i in stored if not (isinstance(i, dict) and _relaxes(i))]
                removed = [i for i in stored if isinstance(i, dict) and _relaxes(i)]
                if removed:
                    new_text = json.dumps(kept, sort_keys=True, default=str)
                    old_text = row.value
                    row.value = new_text
                    row.save()
                    audit("Setting", row.id, {
                        "value": [old_text, new_text],
                        "_reason": TRAINING_REASON.format(
                            removed="; ".join(_describe(i) for i in removed)),
                    })

    # 2. statutory checklist items marked not applicable
    if "agreement_item_record" in tables:
        marked = (AgreementItemRecord.select()
                  .where((AgreementItemRecord.status == "Not applicable")
                         & AgreementItemRecord.item_key.in_(sorted(STATUTORY_ITEMS)))
                  .order_by(AgreementItemRecord.id))
        for item in list(marked):
            old_reason = item.not_applicable_reason or ""
            note = ("Was marked not applicable before statutory items were locked"
                    + (f": {old_reason}" if old_reason else "") + ".")
            new_notes = f"{item.notes}\n{note}".strip() if item.notes else note
            changes = {
                "status": ["Not applicable", "Not started"],
                "not_applicable_reason": [old_reason, ""],
                "notes": [item.notes, new_notes],
                "_reason": CHECKLIST_REASON,
            }
            item.status = "Not started"
            item.not_applicable_reason = ""
            item.notes = new_notes
            item.save()
            audit("AgreementItem", item.id, changes)

    # 3. staff trained on when to ask an SRO to intervene, per building and year
    if "building_start_of_year_record" in tables:
        from playhouse.migrate import migrate

        columns = {c.name for c in db.get_columns("building_start_of_year_record")}
        operations = []
        if "intervention_training_on" not in columns:
            operations.append(migrator.add_column(
                "building_start_of_year_record", "intervention_training_on",
                DateField(null=True)))
        if "intervention_trainer" not in columns:
            operations.append(migrator.add_column(
                "building_start_of_year_record", "intervention_trainer",
                CharField(default="")))
        if "intervention_training_notes" not in columns:
            operations.append(migrator.add_column(
                "building_start_of_year_record", "intervention_training_notes",
                TextField(default="")))
        if operations:
            migrate(*operations)

    # 4. policy adoption and periodic review
    db.create_tables([PolicyReviewRecord])
