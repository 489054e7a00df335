"""A laptop file moves onto the server whole, and a snapshot brings the same district back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import peewee
import pytest

from sro_desk.cli import main
from sro_desk.domain.errors import ValidationError
from sro_desk.store.audit import audit_entries, verify_audit_chain
from sro_desk.store.database import close_database, open_database
from sro_desk.store.foundation_records import BuildingRecord, StaffRecord
from sro_desk.store.server_transfer import bound, ordered_models, push, snapshot


def _counts(db: peewee.Database) -> dict[str, int]:
    with bound(db):
        return {m._meta.table_name: m.select().count() for m in ordered_models()}


def _report(db_file: Path, out: Path, year: str = "2025-26") -> bytes:
    """The internal annual report as the state would receive it (it carries no timestamp)."""
    assert main(["report", "annual", "--db", str(db_file), "--year", year, "--edition", "internal",
                 "--json", str(out)]) == 0
    data = out.read_bytes()
    assert json.loads(data)["calls"], "the demo district's year has calls to report"
    return data


def test_push_moves_every_row_and_the_audit_chain_then_a_snapshot_gives_the_same_reports(
    _demo_template: Path, tmp_path: Path, pg_database: peewee.PostgresqlDatabase
) -> None:
    laptop = tmp_path / "laptop.db"
    shutil.copyfile(_demo_template, laptop)
    before_report = _report(laptop, tmp_path / "before.json")
    source = open_database(laptop, daily_backup=False)
    try:
        entries_before = len(audit_entries())
        result = push(laptop, pg_database, note="Moving to the district server")
        file_counts = _counts(source)
    finally:
        close_database()
    with pg_database.connection_context():
        server_counts = _counts(pg_database)
        with bound(pg_database):
            assert verify_audit_chain() is None
            entries = audit_entries()
            # the next id the server gives follows the copied ones
            new = BuildingRecord.create(name="New School", code="NEW", grade_span="", active=True)
            assert new.id > max(b.id for b in BuildingRecord.select() if b.id != new.id)
            new.delete_instance()
    assert server_counts["audit_record"] == file_counts["audit_record"] + 1 == entries_before + 1
    assert {k: v for k, v in server_counts.items() if k != "audit_record"} == {
        k: v for k, v in file_counts.items() if k != "audit_record"}
    assert result.total == sum(file_counts.values()) and file_counts["staff_record"] > 10
    assert entries[-1].record_type == "server_move" and "Moving to the district server" in entries[-1].changes

    copy = tmp_path / "snapshot.db"
    taken = snapshot(pg_database, copy)
    assert taken.total == sum(server_counts.values())
    assert _report(copy, tmp_path / "after.json") == before_report  # byte for byte
    open_database(copy, daily_backup=False)
    try:
        assert verify_audit_chain() is None
        assert StaffRecord.select().count() == file_counts["staff_record"]
    finally:
        close_database()
    assert main(["check", "--db", str(copy)]) == 0


def test_push_onto_a_server_that_holds_data_is_refused_and_changes_nothing(
    _demo_template: Path, tmp_path: Path, pg_database: peewee.PostgresqlDatabase
) -> None:
    laptop = tmp_path / "laptop.db"
    shutil.copyfile(_demo_template, laptop)
    open_database(laptop, daily_backup=False)
    try:
        push(laptop, pg_database)
        with pg_database.connection_context():
            before = _counts(pg_database)
        with pytest.raises(ValidationError, match="already holds data"):
            push(laptop, pg_database)
    finally:
        close_database()
    with pg_database.connection_context():
        assert _counts(pg_database) == before


def test_a_push_that_fails_halfway_leaves_the_server_empty(
    _demo_template: Path, tmp_path: Path, pg_database: peewee.PostgresqlDatabase,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sro_desk.store.server_transfer as transfer

    laptop = tmp_path / "laptop.db"
    shutil.copyfile(_demo_template, laptop)
    real_reset = transfer._reset_sequences

    def fail_after_copy(db: peewee.PostgresqlDatabase) -> None:
        real_reset(db)
        raise OSError("the network went away")

    monkeypatch.setattr(transfer, "_reset_sequences", fail_after_copy)
    open_database(laptop, daily_backup=False)
    try:
        with pytest.raises(OSError):
            push(laptop, pg_database)
    finally:
        close_database()
    with pg_database.connection_context():
        assert set(_counts(pg_database).values()) == {0}


def test_a_snapshot_never_replaces_a_file_and_leaves_nothing_behind_on_failure(
    tmp_path: Path, pg_database: peewee.PostgresqlDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sro_desk.store.server_transfer as transfer

    existing = tmp_path / "mine.db"
    existing.write_bytes(b"precious")
    with pytest.raises(ValidationError, match="already exists"):
        snapshot(pg_database, existing)
    assert existing.read_bytes() == b"precious"
    transfer.migrate_server(pg_database)

    def broken(*_args: object) -> dict[str, int]:
        raise OSError("disk full")

    monkeypatch.setattr(transfer, "_copy", broken)
    with pytest.raises(OSError):
        snapshot(pg_database, tmp_path / "new.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.db"]


def test_a_protected_snapshot_needs_its_passphrase(
    _demo_template: Path, tmp_path: Path, pg_database: peewee.PostgresqlDatabase
) -> None:
    from sro_desk.store.encryption import forget_passphrase, looks_encrypted

    laptop = tmp_path / "laptop.db"
    shutil.copyfile(_demo_template, laptop)
    open_database(laptop, daily_backup=False)
    try:
        push(laptop, pg_database)
    finally:
        close_database()
    copy = tmp_path / "offline.db"
    snapshot(pg_database, copy, passphrase="correct horse battery staple")
    forget_passphrase()
    assert looks_encrypted(copy)
    assert b"Okafor" not in copy.read_bytes()
