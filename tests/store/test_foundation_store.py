from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import peewee
import pytest

from sro_desk.domain.errors import NotFound, RuleViolation, ValidationError
from sro_desk.domain.roster import (
    Building,
    BuildingAssignment,
    Provider,
    ProviderKind,
    Role,
    StaffMember,
    StaffStatus,
)
from sro_desk.store import attachments, backups, roster_repo, settings
from sro_desk.store.audit import audit_entries, current_actor, set_actor, verify_audit_chain
from sro_desk.store.database import close_database, open_database
from sro_desk.store.errors import StoreProblem, classify
from tests.conftest import District


def test_every_write_is_audited_with_who_and_what(district: District) -> None:
    sro = district.staff["sro"]
    roster_repo.save_staff(replace(sro, phone="360-555-0001", notes="Coaches robotics"))
    entries = audit_entries("Staff", sro.id)
    assert [e.action for e in entries] == ["create", "update"]
    changes = json.loads(entries[-1].changes)
    assert changes["phone"] == ["", "360-555-0001"]
    assert changes["notes"] == ["", "Coaches robotics"]
    assert entries[-1].actor == "Test Coordinator"
    assert verify_audit_chain() is None


def test_saving_without_changes_writes_no_entry(district: District) -> None:
    before = len(audit_entries())
    roster_repo.save_staff(district.staff["sro"])
    assert len(audit_entries()) == before


def test_assignment_changes_are_audited(district: District) -> None:
    sro = district.staff["sro"]
    ths = district.buildings["THS"].id or 0
    roster_repo.save_staff(replace(sro, assignments=(BuildingAssignment(ths, 4, "THS"),)))
    kinds = {(e.record_type, e.action) for e in audit_entries()[-2:]}
    assert kinds == {("StaffAssignment", "delete"), ("StaffAssignment", "update")}
    member = roster_repo.get_staff(sro.id or 0)
    assert [(a.building_code, a.days_per_week) for a in member.assignments] == [("THS", 4.0)]


def test_actor_defaults_to_login_name(db: peewee.SqliteDatabase) -> None:
    set_actor(None)
    assert current_actor()
    set_actor("  Jo Principal ")
    assert current_actor() == "Jo Principal"


def test_tampering_with_an_entry_is_detected(district: District, db_path: Path) -> None:
    close_database()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE audit_record SET changes = replace(changes, 'Rivera', 'Rivers') WHERE record_type = 'Staff'")
    conn.commit()
    conn.close()
    open_database(db_path, daily_backup=False)
    problem = verify_audit_chain()
    assert problem is not None and "altered" in problem


def test_deleting_an_entry_is_detected(district: District, db_path: Path) -> None:
    close_database()
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM audit_record WHERE id = 3")
    conn.commit()
    conn.close()
    open_database(db_path, daily_backup=False)
    assert "Audit entry 4" in (verify_audit_chain() or "")


def test_invalid_staff_is_refused_in_words(district: District) -> None:
    bad = replace(district.staff["guard"], id=None, role=Role.SRO, commissioned=False)
    with pytest.raises(ValidationError) as caught:
        roster_repo.save_staff(bad)
    assert any("commissioned" in p for p in caught.value.problems)
    assert any("police department or sheriff" in p for p in caught.value.problems)


def test_staff_with_dependents_cannot_be_deleted(district: District) -> None:
    """A provider with staff cannot be deleted; the reason names what refers to it."""
    with pytest.raises(RuleViolation, match="1 staff record"):
        roster_repo.delete_provider(district.providers["police"].id or 0)
    with pytest.raises(RuleViolation, match="staff assignment"):
        roster_repo.delete_building(district.buildings["TES"].id or 0)


def test_deleting_a_person_without_records_is_audited(district: District) -> None:
    cso = district.staff["cso"]
    roster_repo.delete_staff(cso.id or 0)
    with pytest.raises(NotFound):
        roster_repo.get_staff(cso.id or 0)
    assert audit_entries("Staff", cso.id)[-1].action == "delete"
    assert verify_audit_chain() is None


def test_list_staff_resolves_names(district: District) -> None:
    staff = {m.last_name: m for m in roster_repo.list_staff()}
    assert staff["Rivera"].provider_name == "Test Police Department"
    assert staff["Rivera"].building_codes == "THS, TMS"
    assert staff["Rivera"].total_days_per_week == 5


def test_duplicate_building_code_refused(district: District) -> None:
    with pytest.raises(ValidationError, match="already used"):
        roster_repo.save_building(Building(None, "New High", "ths"))


def test_current_school_year(district: District) -> None:
    year = roster_repo.current_school_year(dt.date(2026, 11, 26))
    assert year is not None and year.label == "2026-27"
    summer = roster_repo.current_school_year(dt.date(2026, 7, 15))
    assert summer is not None and summer.label == "2026-27"
    with pytest.raises(NotFound, match="2030-31"):
        roster_repo.school_year_by_label("2030-31")


def test_settings_round_trip_and_audit(db: peewee.SqliteDatabase) -> None:
    settings.set_setting("complaints.days", 20)
    settings.set_setting("complaints.days", 25)
    assert settings.get_setting("complaints.days") == 25
    assert settings.get_setting("missing", "dflt") == "dflt"
    assert [e.action for e in audit_entries("Setting")] == ["create", "update"]


def test_attachments_stored_with_hash(db: peewee.SqliteDatabase, tmp_path: Path) -> None:
    pdf = tmp_path / "cert.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% test\n")
    info = attachments.store_attachment_file(pdf)
    assert info.size == pdf.stat().st_size and len(info.sha256) == 64
    assert attachments.attachment_data(info.id) == pdf.read_bytes()
    assert attachments.mismatched_attachments() == []
    fake = tmp_path / "virus.pdf"
    fake.write_bytes(b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError, match="content is not one"):
        attachments.store_attachment_file(fake)


def test_attachment_tampering_detected(db: peewee.SqliteDatabase, tmp_path: Path) -> None:
    info = attachments.store_attachment("scan.png", b"\x89PNG\r\n\x1a\nDATA")
    db.execute_sql("UPDATE attachment_record SET data = ? WHERE id = ?", (b"\x89PNG\r\n\x1a\nDAT4", info.id))
    assert [i.id for i in attachments.mismatched_attachments()] == [info.id]


# ------------------------------------------------------------------ backups


def test_backup_restore_keeps_a_copy_of_current(district: District, db_path: Path, db: peewee.SqliteDatabase) -> None:
    first = backups.make_backup(db, db_path, reason="manual")
    roster_repo.save_provider(Provider(None, "Late Agency", ProviderKind.SHERIFF))
    assert any(p.name == "Late Agency" for p in roster_repo.list_providers())
    safety = backups.restore(db, db_path, first)
    assert not any(p.name == "Late Agency" for p in roster_repo.list_providers())
    assert safety.exists() and "before-restore" in safety.name
    assert verify_audit_chain() is None


def test_daily_backup_once_a_day_and_pruned(district: District, db_path: Path, db: peewee.SqliteDatabase) -> None:
    now = dt.datetime(2026, 11, 26, 9, 0)
    assert backups.backup_if_due(db, db_path, now) is not None
    assert backups.backup_if_due(db, db_path, now + dt.timedelta(hours=2)) is None
    for _ in range(20):
        backups.make_backup(db, db_path, reason="manual")
    assert len(backups.list_backups(db_path)) == backups.KEEP


def test_restore_refuses_a_damaged_backup(district: District, db_path: Path, db: peewee.SqliteDatabase, tmp_path: Path) -> None:
    bad = tmp_path / "backups" / "test-20260101-000000-000000-manual.db"
    bad.parent.mkdir(exist_ok=True)
    bad.write_bytes(b"garbage" * 100)
    with pytest.raises(sqlite3.DatabaseError):
        backups.restore(db, db_path, bad)
    assert len(roster_repo.list_staff()) == 4


# ------------------------------------------------------------------ error sorting


def _real_error(kind: str, tmp_path: Path) -> BaseException:
    """A failure produced by SQLite itself, so the result code is the driver's own."""
    path = tmp_path / "e.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    try:
        if kind == "locked":
            holder = sqlite3.connect(path, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            sqlite3.connect(path, timeout=0, isolation_level=None).execute("BEGIN IMMEDIATE")
        elif kind == "read-only":
            sqlite3.connect(f"file:{path}?mode=ro", uri=True).execute("INSERT INTO t VALUES (1)")
        elif kind == "full":
            conn = sqlite3.connect(path)
            conn.execute("PRAGMA max_page_count = 3")
            conn.execute("INSERT INTO t VALUES (?)", (b"x" * 100_000,))
        elif kind == "not a database":
            path.write_bytes(b"not sqlite at all" * 200)
            sqlite3.connect(path).execute("SELECT * FROM sqlite_master")
        elif kind == "cannot open":
            sqlite3.connect(tmp_path / "missing" / "x.db")
    except sqlite3.Error as error:
        return error
    raise AssertionError(f"no error for {kind}")


@pytest.mark.parametrize(
    ("kind", "problem"),
    [("locked", StoreProblem.LOCKED), ("read-only", StoreProblem.READ_ONLY), ("full", StoreProblem.DISK_FULL),
     ("not a database", StoreProblem.NOT_A_DATABASE), ("cannot open", StoreProblem.CANNOT_OPEN)],
)
def test_sqlite_errors_are_sorted_by_their_result_code(kind: str, problem: StoreProblem, tmp_path: Path) -> None:
    error = _real_error(kind, tmp_path)
    assert classify(error) is problem
    assert classify(peewee.OperationalError(error, *error.args)) is problem  # as peewee wraps it


@pytest.mark.parametrize(
    ("code", "problem"),
    [(5, StoreProblem.LOCKED), (6, StoreProblem.LOCKED), (8, StoreProblem.READ_ONLY), (10, StoreProblem.IO_ERROR),
     (266, StoreProblem.IO_ERROR), (11, StoreProblem.CORRUPT), (13, StoreProblem.DISK_FULL),
     (14, StoreProblem.CANNOT_OPEN), (26, StoreProblem.NOT_A_DATABASE), (1, None), (19, None)],
)
def test_extended_codes_sort_by_their_primary_code(code: int, problem: StoreProblem | None) -> None:
    error = sqlite3.OperationalError("whatever the message says")
    error.sqlite_errorcode = code  # type: ignore[attr-defined]
    assert classify(error) is problem


def test_a_message_that_mentions_a_problem_is_not_that_problem(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "m.db")
    with pytest.raises(sqlite3.OperationalError) as raised:
        conn.execute("SELECT * FROM database_is_locked_and_disk_is_full")
    assert "locked" in str(raised.value) and classify(raised.value) is None


def test_other_errors_are_bugs() -> None:
    assert classify(peewee.OperationalError("no such column: foo")) is None
    assert classify(ValueError("x")) is None


def test_read_only_file_is_explained(district: District, db_path: Path) -> None:
    import os

    from sro_desk.store.errors import StoreError, as_store_error

    close_database()
    os.chmod(db_path, 0o444)
    try:
        if os.access(db_path, os.W_OK):
            pytest.skip("running as a user who can write read-only files (root)")
        open_database(db_path, daily_backup=False)
        with pytest.raises(peewee.OperationalError) as caught:
            roster_repo.save_provider(Provider(None, "X", ProviderKind.POLICE))
        known = as_store_error(caught.value)
        assert isinstance(known, StoreError) and known.problem is StoreProblem.READ_ONLY
    finally:
        os.chmod(db_path, 0o644)


def test_status_values_round_trip(district: District) -> None:
    member = roster_repo.set_staff_status(district.staff["cso"].id or 0, StaffStatus.ACTIVE, reason="training verified")
    assert member.status is StaffStatus.ACTIVE
    assert json.loads(audit_entries("Staff", member.id)[-1].changes)["_reason"] == "training verified"


def test_new_member_gets_provider_kind_checked(district: District) -> None:
    new = StaffMember(None, "Nia", "Cole", Role.SRO, True, district.providers["district"].id)
    with pytest.raises(ValidationError, match="police department or sheriff"):
        roster_repo.save_staff(new)


def test_restoring_the_oldest_of_fourteen_backups(district: District, db_path: Path, db: peewee.SqliteDatabase) -> None:
    """The safety copy taken before a restore must not prune the backup being restored."""
    oldest = backups.make_backup(db, db_path, reason="manual")
    roster_repo.save_provider(Provider(None, "After The Oldest", ProviderKind.SHERIFF))
    for _ in range(backups.KEEP - 1):
        backups.make_backup(db, db_path, reason="manual")
    assert len(backups.list_backups(db_path)) == backups.KEEP
    assert backups.list_backups(db_path)[-1].path == oldest
    backups.restore(db, db_path, oldest)
    assert not any(p.name == "After The Oldest" for p in roster_repo.list_providers())
    assert len(roster_repo.list_staff()) == 4
    assert len(backups.list_backups(db_path)) == backups.KEEP


def test_restore_refuses_missing_or_foreign_files(district: District, db_path: Path, db: peewee.SqliteDatabase, tmp_path: Path) -> None:
    from sro_desk.store.errors import StoreError

    with pytest.raises(StoreError):
        backups.restore(db, db_path, tmp_path / "backups" / "gone.db")
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError):
        backups.restore(db, db_path, foreign)
    assert len(roster_repo.list_staff()) == 4


def test_agency_with_sros_cannot_become_a_security_company(district: District) -> None:
    police = district.providers["police"]
    with pytest.raises(ValidationError, match="supplies school resource officers \\(Sam Rivera\\)"):
        roster_repo.save_provider(Provider(police.id, police.name, ProviderKind.SECURITY_COMPANY))
    roster_repo.save_provider(Provider(police.id, police.name, ProviderKind.SHERIFF))
    assert roster_repo.roster_rule_breaches() == []


def test_rule_breaches_written_outside_the_app_are_found(district: District, db: peewee.SqliteDatabase) -> None:
    db.execute_sql("UPDATE staff_record SET commissioned = 0 WHERE last_name = 'Rivera'")
    breaches = roster_repo.roster_rule_breaches()
    assert len(breaches) == 1 and breaches[0].startswith("Sam Rivera:") and "commissioned" in breaches[0]


def test_restore_rewrites_the_audit_anchor(district: District, db_path: Path, db: peewee.SqliteDatabase) -> None:
    from sro_desk.store.audit import anchor_problem, write_anchor

    first = backups.make_backup(db, db_path, reason="manual")
    roster_repo.save_provider(Provider(None, "Later Agency", ProviderKind.SHERIFF))
    write_anchor(db_path)
    backups.restore(db, db_path, first)
    assert anchor_problem(db_path) is None
