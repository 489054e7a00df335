"""The start-up snapshot: the same roster the store reads, or nothing at the least doubt."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

import peewee
import pytest

from sro_desk.store import roster_repo, roster_rows
from sro_desk.store.database import close_database, current_database, open_database
from sro_desk.store.snapshot import _json_text, read_start_snapshot, uri_text
from tests.conftest import District


@pytest.fixture
def closed_store() -> Iterator[None]:
    """The test's database closed, as before the program opens it; open again afterwards (the
    fixture that made it closes it)."""
    path = current_database().database
    close_database()
    yield
    open_database(Path(path), daily_backup=False)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_snapshot_reads_what_the_store_reads(district: District, db_path: Path, request: pytest.FixtureRequest) -> None:
    staff, providers, buildings = roster_repo.list_staff(), roster_repo.list_providers(), roster_repo.list_buildings()
    request.getfixturevalue("closed_store")
    snapshot = read_start_snapshot(db_path)
    assert snapshot is not None
    assert snapshot.district_name == "Test Valley School District"
    assert list(snapshot.staff) == staff and len(staff) == 4
    assert list(snapshot.providers) == providers
    assert list(snapshot.buildings) == buildings


def test_snapshot_of_the_demo_district_matches_the_store(demo_db: Path, request: pytest.FixtureRequest) -> None:
    staff = roster_repo.list_staff()
    request.getfixturevalue("closed_store")
    before = _digest(demo_db)
    snapshot = read_start_snapshot(demo_db)
    assert snapshot is not None and list(snapshot.staff) == staff
    assert _digest(demo_db) == before  # read-only: the file is not touched


def test_shared_roster_read_finds_one_person_or_none(district: District) -> None:
    def execute(sql: str, params: object) -> list[tuple[object, ...]]:
        return list(current_database().execute_sql(sql, params))

    sam = district.staff["sro"]
    assert roster_rows.read_staff(execute, [sam.id or 0]) == [roster_repo.get_staff(sam.id or 0)]
    assert roster_rows.read_staff(execute, []) == []
    assert roster_rows.read_assignments(execute, []) == {}


@pytest.mark.parametrize("case", ["missing", "empty", "text", "folder"])
def test_no_snapshot_of_what_is_not_a_database(tmp_path: Path, case: str) -> None:
    path = tmp_path / "district.db"
    if case == "empty":
        path.write_bytes(b"")
    elif case == "text":
        path.write_text("name,badge\nSam,1\n", encoding="utf-8")
    elif case == "folder":
        path.mkdir()
    assert read_start_snapshot(path) is None


def test_no_snapshot_of_a_district_not_set_up(db: peewee.SqliteDatabase, db_path: Path, closed_store: None) -> None:
    assert read_start_snapshot(db_path) is None  # the first-run questions need the store


@pytest.mark.parametrize("change", ["older", "newer"])
def test_no_snapshot_of_a_file_of_another_version(district: District, db_path: Path, closed_store: None, change: str) -> None:
    with sqlite3.connect(db_path) as con:
        if change == "older":  # a migration still to run
            con.execute("DELETE FROM schema_migration WHERE name = (SELECT max(name) FROM schema_migration)")
        else:  # written by a newer version of the program
            con.execute("INSERT INTO schema_migration (name, applied) VALUES ('9999_from_the_future', '2030-01-01')")
    con.close()
    assert read_start_snapshot(db_path) is None
    if change == "newer":  # (the older file is migrated again when the fixture reopens it)
        with sqlite3.connect(db_path) as con:
            con.execute("DELETE FROM schema_migration WHERE name = '9999_from_the_future'")
        con.close()


def test_no_snapshot_of_a_protected_file(district: District, db_path: Path, closed_store: None) -> None:
    pytest.importorskip("sqlcipher3")
    from sro_desk.store.encryption import change_protection, forget_passphrase

    change_protection(db_path, None, "correct horse battery staple")
    try:
        assert read_start_snapshot(db_path) is None  # the passphrase is asked with the store
    finally:
        change_protection(db_path, "correct horse battery staple", None)
        forget_passphrase()


def test_no_snapshot_while_another_program_holds_the_file(district: District, db_path: Path, closed_store: None) -> None:
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("PRAGMA journal_mode = DELETE")  # an exclusive lock blocks readers outside WAL
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE setting_record SET value = value")
    try:
        assert read_start_snapshot(db_path) is None
    finally:
        holder.execute("ROLLBACK")
        holder.execute("PRAGMA journal_mode = WAL")
        holder.close()


@pytest.mark.parametrize(("raw", "text"), [
    ('"Valley SD"', "Valley SD"),
    ('"Say \\"hi\\""', 'Say "hi"'),
    ('"Vall\\u00e9e SD"', "Vallée SD"),
    ('""', ""),
    ("null", ""),
])
def test_setting_text_reads_plain_and_escaped_json(raw: str, text: str) -> None:
    assert _json_text(raw) == text


def test_the_start_path_does_not_load_the_orm(demo_db: Path, closed_store: None) -> None:
    """The window is painted before peewee is imported; the store opens right after."""
    code = (
        "import sys, sro_desk.app as app, sro_desk.cli as cli\n"
        "paint = app._first_paint\n"
        "def first_paint(qapp, window, probe):\n"
        "    paint(qapp, window, probe)\n"
        "    print('orm loaded at first paint:', 'peewee' in sys.modules, flush=True)\n"
        "app._first_paint = first_paint\n"
        f"sys.exit(cli.main(['--db', {str(demo_db)!r}]))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SRO_DESK_EXIT_WHEN_READY="1")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines == ["sro-desk: ready", "orm loaded at first paint: False", "sro-desk: interactive"]


@pytest.mark.parametrize(("path", "uri"), [
    (PureWindowsPath(r"C:\Users\Pat\SRO Desk\district.db"), "/C:/Users/Pat/SRO Desk/district.db"),
    (PureWindowsPath(r"\\server\share\safety\district.db"), "////server/share/safety/district.db"),
    (PurePosixPath("/home/pat/50% #1?.db"), "/home/pat/50%25 %231%3f.db"),
])
def test_paths_are_written_as_sqlite_reads_file_uris(path: PurePath, uri: str) -> None:
    assert uri_text(path.as_posix()) == uri


@pytest.mark.parametrize("stored", [
    "2025-09-03", "2025-9-3", "2025-09-03 00:00:00", "2025-09-03 07:30:00.250000", "", None,
])
def test_dates_are_read_as_peewee_reads_them(stored: str | None) -> None:
    assert roster_rows.date_value(stored) == peewee.DateField().python_value(stored or None)


@pytest.mark.parametrize("stored", ["3 September 2025", "2025-13-45", 20250903, "soon"])
def test_a_date_cell_holding_something_else_is_no_date(stored: object) -> None:
    assert roster_rows.date_value(stored) is None


def test_one_bad_date_does_not_hide_the_roster(district: District) -> None:
    with current_database().atomic():
        current_database().execute_sql(
            "UPDATE staff_record SET first_day_with_students = 'first week' WHERE id = ?", (district.staff["sro"].id,))
    staff = {m.id: m for m in roster_repo.list_staff()}
    assert len(staff) == 4 and staff[district.staff["sro"].id].first_day_with_students is None
