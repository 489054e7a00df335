"""Migration 0009: a file that switched off a statutory duty is restored to the statute on open,
with an audit entry saying why (RCW 28A.400.345(2)(b)-(d); RCW 28A.320.1242, 28A.320.124(1))."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from playhouse.schema_diff import diff_models

from sro_desk.domain.agreements import Agreement, ItemStatus
from sro_desk.services import agreements
from sro_desk.services import training as training_svc
from sro_desk.store import agreement_repo
from sro_desk.store.audit import audit_entries, verify_audit_chain
from sro_desk.store.base import all_record_classes
from sro_desk.store.database import close_database, current_database, open_database
from sro_desk.store.foundation_records import SettingRecord
from sro_desk.store.settings import get_setting, set_setting
from tests.agreement_support import make_district

D = dt.date
LEGACY_SETTINGS = [
    {"code": "topic_m", "required": False, "reason": "Our 2019 policy lists 12 topics",
     "renewal_months": None, "once": False, "roles": None, "employer_kinds": None},
    {"code": "on_the_job", "required": False, "reason": "Officers train at their own school",
     "renewal_months": None, "once": False, "roles": None, "employer_kinds": None},
    {"code": "check_ins", "required": True, "reason": "", "renewal_months": None, "once": False,
     "roles": ["campus_security_officer"], "employer_kinds": None},
    {"code": "guard_refresher", "required": True, "reason": "", "renewal_months": 24,
     "once": False, "roles": None, "employer_kinds": None},
    {"code": "first_aid_cpr", "required": False, "reason": "County EMS trains them",
     "renewal_months": None, "once": False, "roles": None, "employer_kinds": None},
]


def _make_older_file(path: Path) -> int:
    """A file as an earlier version left it: relaxed settings, a statutory item marked N/A."""
    open_database(path, daily_backup=False)
    district = make_district()
    agreement = agreements.new_agreement(Agreement(
        "2025-26", district.police.id, "", "Agreement 2025-26", D(2025, 9, 1), D(2026, 8, 31),
        D(2025, 8, 20), responsible="Chief Ames"))
    assert agreement.id is not None
    set_setting("training.requirement_settings", LEGACY_SETTINGS, reason="before the lock")
    db = current_database()
    # written as the earlier version could: straight into the table
    db.execute_sql(
        "UPDATE agreement_item_record SET status = 'Not applicable', "
        "not_applicable_reason = 'Complaints go to the police' "
        "WHERE agreement_id = ? AND item_key IN ('complaint_process', "
        "'immigration_enforcement_limits')", (agreement.id,))
    db.execute_sql("DELETE FROM schema_migration WHERE name = '0009_statutory_locks'")
    db.execute_sql("DROP TABLE policy_review_record")
    for column in ("intervention_training_on", "intervention_trainer",
                   "intervention_training_notes"):
        db.execute_sql(f"ALTER TABLE building_start_of_year_record DROP COLUMN {column}")
    close_database()
    return agreement.id


def test_opening_an_older_file_restores_the_statute_with_audit_entries(tmp_path: Path) -> None:
    path = tmp_path / "older.db"
    agreement_id = _make_older_file(path)
    db = open_database(path, daily_backup=False)
    try:
        assert not diff_models(db, all_record_classes())
        kept = {s["code"] for s in get_setting("training.requirement_settings")}
        # the district's own certification keeps its setting; every relaxation of the law is gone
        assert kept == {"first_aid_cpr"}
        catalog = training_svc.district_catalog()
        assert catalog.get("topic_m").required and catalog.get("on_the_job").required
        assert catalog.get("check_ins").roles == frozenset(
            {"school_security_officer", "campus_security_officer", "other_safety_staff"})
        assert catalog.get("guard_refresher").renewal_months == 12
        assert not catalog.get("first_aid_cpr").required

        setting_id = SettingRecord.get(SettingRecord.key == "training.requirement_settings").id
        entry = audit_entries("Setting", setting_id)[-1]
        changes = json.loads(entry.changes)
        assert "RCW 28A.400.345(2)(b)-(d)" in changes["_reason"]
        assert "topic_m marked not required (Our 2019 policy lists 12 topics)" in changes["_reason"]
        assert "migration 0009" in changes["_reason"]

        entries = {e.item_key: e for e in agreement_repo.list_entries(agreement_id)}
        complaint = entries["complaint_process"]
        assert complaint.status is ItemStatus.NOT_STARTED and not complaint.not_applicable_reason
        assert "Complaints go to the police" in complaint.notes
        # a district item may stay not applicable
        assert entries["immigration_enforcement_limits"].status is ItemStatus.NOT_APPLICABLE
        item_audit = [e for e in audit_entries("AgreementItem") if e.record_id == str(complaint.id)]
        assert "RCW 28A.320.1242" in json.loads(item_audit[-1].changes)["_reason"]
        assert verify_audit_chain() is None
    finally:
        close_database()


def test_no_setting_path_turns_off_a_statutory_duty(tmp_path: Path) -> None:
    """The service refuses it; a raw settings key is not applied; the checklist refuses N/A."""
    open_database(tmp_path / "paths.db", daily_backup=False)
    try:
        import pytest

        from sro_desk.domain.agreements import ChecklistEntry
        from sro_desk.domain.errors import ValidationError
        from sro_desk.domain.training_catalog import RequirementSetting

        for code in [*(f"topic_{x}" for x in "abcdefghijklm"), "on_the_job", "check_ins"]:
            with pytest.raises(ValidationError):
                training_svc.save_requirement_setting(
                    RequirementSetting(code, required=False, reason="board"), reason="board")
        # written straight into the settings key (a hand edit, another tool, an import)
        set_setting("training.requirement_settings", LEGACY_SETTINGS, reason="raw write")
        catalog = training_svc.district_catalog()
        assert all(r.required for r in catalog.requirements if r.locked)
        district = make_district()
        agreement = agreements.new_agreement(Agreement(
            "2025-26", district.police.id, "", "A", D(2025, 9, 1), D(2026, 8, 31), None))
        assert agreement.id is not None
        for definition in agreements.checklist_catalog():
            if not definition.statutory:
                continue
            with pytest.raises(ValidationError):
                agreements.save_entry(agreement.id, ChecklistEntry(
                    definition.key, ItemStatus.NOT_APPLICABLE, not_applicable_reason="n/a",
                    checked_by="Dana", checked_on=D(2025, 8, 1)), D(2025, 8, 2))
    finally:
        close_database()
